#' Evaluate a classifier on labelled samples
#'
#' Predicts the class of each sample of `x` and compares it with its
#' label: overall accuracy, balanced accuracy (the mean recall over the
#' classes present), macro F1 (the mean over the classes present or
#' predicted, as scikit-learn's: a class predicted but absent counts with
#' F1 0), support-weighted F1 and the mean
#' one-vs-rest AUROC and AUPRC (average precision), and per class
#' precision, recall, F1, support, one-vs-rest AUROC and AUPRC (from the
#' class probabilities; `NA` where a class has no sample or every
#' sample). Samples whose label is `NA` are left out. Judge a classifier
#' on samples it was not trained on.
#'
#' @param fit A [ClassifierFit], a [SequenceFit], or an [AutoencoderFit]
#'   trained with `labels`.
#' @param x Samples to classify, as `newdata` of
#'   [predict()][predict.ClassifierFit] (sequences for a [SequenceFit]).
#' @param labels Their true classes: the name of a `colData` column of a
#'   SummarizedExperiment `x`, or a vector or factor. A label that is not
#'   one of the fit's classes is an error of class `exprae_error_labels`.
#' @param ... Passed on to [predict()][predict.ClassifierFit] (e.g.
#'   `assay.type`, `n_threads`).
#'
#' For a [SequenceFit] with several labels per sequence, `labels` is a
#' matrix as in training, and each label is judged on its own (a
#' probability above 0.5 counts as yes): per label AUROC, AUPRC,
#' precision, recall, F1 and support (the known positives), and their
#' means over the labels (`macro_auroc`, `macro_auprc`, `macro_f1`) and
#' the share of known label values predicted right (`accuracy`).
#'
#' @return A data frame with columns `metric`, `class` (`NA` for the
#'   overall metrics) and `value`; its attribute `"confusion"` is the
#'   confusion matrix as a long data frame (`truth`, `predicted`, `n`).
#' @seealso [trainClassifier()], [classifySamples()]
#' @examples
#' se <- exampleALL()
#' set.seed(1)
#' train <- seq(1, 128, by = 2)
#' fit <- trainClassifier(se[, train], labels = "type", hidden = 16,
#'     epochs = 20, verbose = FALSE)
#' metrics <- evaluateClassifier(fit, se[, -train], labels = "type")
#' metrics[is.na(metrics$class), ]
#' attr(metrics, "confusion")
#' @export
evaluateClassifier <- function(fit, x, labels, ...) {
    .check_required(c(fit = missing(fit), x = missing(x),
        labels = missing(labels)))
    .check_has_classifier(fit)
    .check_dots_exclude(c("type", "newdata"), ...)
    if (isTRUE(fit@options$multi_label)) {
        return(.evaluate_multi_label(fit, x, labels, ...))
    }
    classes <- fit@options$classes
    if (is(x, "SummarizedExperiment")) labels <- .labels_from_se(x, labels)
    if (is(fit, "SequenceFit")) {
        x <- .sequence_input_of(x)
    } else if (!is(x, "SummarizedExperiment")) {
        .check_is_matrix(x, "x")
    }
    truth <- if (is.null(dim(x))) {
        .label_values(labels, length(x), names(x), unit = "sequence")
    } else {
        .label_values(labels, ncol(x), colnames(x))
    }
    codes <- .match_levels(truth, classes)
    unknown <- unique(as.character(truth[!is.na(truth) & is.na(codes)]))
    if (length(unknown) > 0L) {
        .abort("labels", c(
            "{length(unknown)} label{?s} {?is/are} not among the fit's
            classes: {.val {unknown}}.",
            i = "The fit knows {.val {classes}}."
        ))
    }
    keep <- !is.na(truth)
    if (!any(keep)) .abort("labels", "Every label is NA.")
    probs <- predict(fit, x, type = "prob", ...)[keep, , drop = FALSE]
    truth <- factor(classes[codes[keep]], levels = classes)
    .classification_metrics(truth, probs)
}

# Metrics of predictions `probs` (samples x classes) against `truth` (a
# factor with the same levels as probs' columns).
.classification_metrics <- function(truth, probs) {
    classes <- levels(truth)
    predicted <- factor(classes[max.col(probs, ties.method = "first")],
        levels = classes)
    tab <- table(truth = truth, predicted = predicted)
    per_class <- .per_class_metrics(tab, truth, probs)
    present <- per_class$support > 0
    predicted_or_present <- present | colSums(tab) > 0
    overall <- c(
        accuracy = sum(diag(tab)) / sum(tab),
        balanced_accuracy = mean(per_class$recall[present]),
        macro_f1 = mean(per_class$f1[predicted_or_present]),
        weighted_f1 = sum(per_class$f1 * per_class$support) /
            sum(per_class$support),
        macro_auroc = .mean_known(per_class$auroc),
        macro_auprc = .mean_known(per_class$auprc)
    )
    long <- utils::stack(per_class[c("precision", "recall", "f1",
        "support", "auroc", "auprc")])
    out <- data.frame(
        metric = c(names(overall), as.character(long$ind)),
        class = c(rep(NA_character_, length(overall)),
            rep(classes, 6L)),
        value = c(unname(overall), long$values)
    )
    attr(out, "confusion") <- as.data.frame(tab, responseName = "n",
        stringsAsFactors = FALSE)
    out
}

# The mean of the values that are known; NA (not NaN) when none is.
.mean_known <- function(v) {
    if (all(is.na(v))) NA_real_ else mean(v, na.rm = TRUE)
}

.per_class_metrics <- function(tab, truth, probs) {
    tp <- diag(tab)
    predicted_n <- colSums(tab)
    support <- rowSums(tab)
    precision <- ifelse(predicted_n > 0, tp / predicted_n, 0)
    recall <- ifelse(support > 0, tp / support, NA_real_)
    f1 <- ifelse(!is.na(recall) & precision + recall > 0,
        2 * precision * recall / (precision + recall), 0)
    auroc <- vapply(seq_along(levels(truth)), function(k) {
        .auroc(probs[, k], truth == levels(truth)[k])
    }, numeric(1))
    auprc <- vapply(seq_along(levels(truth)), function(k) {
        .auprc(probs[, k], truth == levels(truth)[k])
    }, numeric(1))
    list(precision = unname(precision), recall = unname(recall),
        f1 = unname(f1), support = as.numeric(support), auroc = auroc,
        auprc = auprc)
}

# Area under the precision-recall curve of `score` for `positive` samples
# as average precision (the mean precision at each positive's rank, as
# scikit-learn's average_precision_score; tied scores share a threshold);
# NA without both positives and negatives (as .auroc(): with positives
# only, every score would give 1).
.auprc <- function(score, positive) {
    n_pos <- sum(positive)
    if (n_pos == 0L || n_pos == length(positive)) {
        return(NA_real_)
    }
    o <- order(score, decreasing = TRUE)
    score <- score[o]
    positive <- positive[o]
    last <- c(score[-1L] != score[-length(score)], TRUE)  # end of each tie
    tp <- cumsum(positive)[last]
    n_at <- which(last)
    gained <- diff(c(0, tp))
    sum(gained / n_pos * tp / n_at)
}

# Area under the ROC curve of `score` for `positive` samples, by ranks
# (the Mann-Whitney U statistic, ties counting half); NA without both.
.auroc <- function(score, positive) {
    n_pos <- sum(positive)
    n_neg <- sum(!positive)
    if (n_pos == 0L || n_neg == 0L) {
        return(NA_real_)
    }
    r <- rank(score)
    (sum(r[positive]) - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
}

# The true labels as a samples x classes matrix in the fit's order: named
# columns are matched by name, unnamed ones taken in the fit's order.
.evaluation_multi_labels <- function(labels, x, classes) {
    truth <- .multi_labels(labels, length(x), names(x))
    m <- .label_matrix(truth)
    # named as training names them (empty names label<k>, repeats made
    # unique), so the training matrix itself matches
    given <- if (!is.null(colnames(as.matrix(labels)))) truth$classes
    at <- if (is.null(given)) seq_along(classes) else match(classes, given)
    if (ncol(m) != length(classes) || anyNA(at) || anyDuplicated(given)) {
        .abort("labels", c(
            "The true labels need one column per label of the fit
            ({.val {classes}}), named as those or in their order.",
            x = "They have {ncol(m)} column{?s}{if (!is.null(given))
                paste0(': ', paste(given, collapse = ', '))}."
        ))
    }
    m[, at, drop = FALSE]
}

# Several labels per sample: each label a two-class problem of its own.
.evaluate_multi_label <- function(fit, x, labels, ...) {
    classes <- fit@options$classes
    x <- .sequence_input_of(x)
    truth <- .evaluation_multi_labels(labels, x, classes)
    probs <- predict(fit, x, type = "prob", ...)
    per <- lapply(seq_along(classes), function(k) {
        known <- !is.na(truth[, k])
        t_k <- truth[known, k] >= 0.5
        p_k <- probs[known, k]
        yes <- p_k > 0.5
        tp <- sum(yes & t_k)
        precision <- if (sum(yes) > 0) tp / sum(yes) else 0
        recall <- if (sum(t_k) > 0) tp / sum(t_k) else NA_real_
        f1 <- if (!is.na(recall) && precision + recall > 0) {
            2 * precision * recall / (precision + recall)
        } else 0
        c(precision = precision, recall = recall, f1 = f1,
            support = sum(t_k), auroc = .auroc(p_k, t_k),
            auprc = .auprc(p_k, t_k), right = sum(yes == t_k),
            known = length(t_k))
    })
    per <- do.call(rbind, per)
    overall <- c(accuracy = sum(per[, "right"]) / sum(per[, "known"]),
        macro_f1 = mean(per[, "f1"]),
        macro_auroc = .mean_known(per[, "auroc"]),
        macro_auprc = .mean_known(per[, "auprc"]))
    metrics <- c("precision", "recall", "f1", "support", "auroc", "auprc")
    data.frame(
        metric = c(names(overall), rep(metrics, each = length(classes))),
        class = c(rep(NA_character_, length(overall)),
            rep(classes, length(metrics))),
        value = c(unname(overall), as.vector(per[, metrics]))
    )
}
