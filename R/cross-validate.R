#' Cross-validate a classifier
#'
#' Stratified k-fold cross-validation of [trainClassifier()]: the labelled
#' samples are split into `folds` parts with each class spread evenly over
#' them (drawn with R's random numbers, so `set.seed()` repeats the
#' split); each part in turn is classified by a classifier trained on the
#' others. Everything learned from data (the genes kept by `ntop`, their
#' centre and scale, the size factors' scale, the weights) is learned on
#' the training folds only, so no information leaks from the samples a
#' fold is judged on. On data sets of a hundred samples this is the honest
#' estimate of how a classifier will do on new samples. Unlabelled samples
#' (`NA`) are never judged; they join every training fold.
#'
#' @param x A numeric matrix, dgCMatrix or DelayedMatrix (genes x
#'   samples), a SummarizedExperiment or a SingleCellExperiment.
#' @param labels The class of each sample, as for [trainClassifier()].
#' @param folds Number of folds, at least 2 and at most the number of
#'   labelled samples of the largest class (else an error of class
#'   `exprae_error_argument`). A fold whose training samples would hold a
#'   single class is an error of class `exprae_error_labels`.
#' @param ... Arguments of [trainClassifier()] (e.g. `hidden`, `epochs`,
#'   `assay.type`, `n_threads`); `size_factors`, one per sample of `x`, go
#'   with each fold's samples, in training and in prediction.
#' @param verbose Say which fold is being trained?
#'
#' @return A data frame with columns `fold` (`"1"`, `"2"`, ... and
#'   `"pooled"`, the held-out predictions of all folds together), `metric`,
#'   `class` and `value`, as [evaluateClassifier()] gives for each. Its
#'   attribute `"predictions"` has one row per judged sample: `sample`,
#'   `fold`, `truth`, `predicted` and the class probabilities; its
#'   attribute `"confusion"` is the pooled confusion matrix.
#' @seealso [trainClassifier()], [evaluateClassifier()]
#' @examples
#' se <- exampleALL()
#' set.seed(1)
#' cv <- crossValidate(se, labels = "type", folds = 3, hidden = 16,
#'     epochs = 10, verbose = FALSE)
#' cv[cv$fold == "pooled" & is.na(cv$class), ]
#' @export
crossValidate <- function(x, labels, folds = 5, ..., verbose = TRUE) {
    .check_required(c(x = missing(x), labels = missing(labels)))
    if (is(x, "SummarizedExperiment")) {
        labels <- .labels_from_se(x, labels)
    } else {
        .check_is_matrix(x, "x")
    }
    coded <- .training_labels(labels, ncol(x), colnames(x))
    # one per sample of x, split by fold below: checked against x, not a
    # fold
    .check_size_factors(list(...)$size_factors, ncol(x),
        samples = colnames(x))
    folds <- .check_count(folds, "folds", min = 2)
    verbose <- .check_flag(verbose, "verbose")
    fold_of <- .stratified_folds(coded$codes, folds)
    .check_folds(coded$codes, fold_of, folds, coded$classes)
    held_out <- lapply(seq_len(folds), function(k) {
        if (verbose) cli::cli_inform("Fold {k} of {folds}")
        .cross_validation_fold(x, coded$values, coded$classes, fold_of, k,
            ...)
    })
    .cross_validation_metrics(do.call(rbind, held_out), coded$classes)
}

# Fold of each sample: each class's samples in a random order dealt to
# the folds in turn; unlabelled samples (code 0) are in none (0).
.stratified_folds <- function(codes, folds) {
    fold_of <- integer(length(codes))
    for (cls in setdiff(unique(codes), 0L)) {
        idx <- which(codes == cls)
        idx <- idx[sample.int(length(idx))]
        fold_of[idx] <- rep_len(seq_len(folds), length(idx))
    }
    fold_of
}

# Every fold must hold samples to judge, and train on two classes at least.
.check_folds <- function(codes, fold_of, folds, classes) {
    largest <- max(tabulate(codes[codes > 0L]))
    if (largest < 2L) {
        .abort("labels", c(
            "Cross-validation needs a class with at least 2 labelled
            samples; each class here has one.",
            i = "Label more samples, or judge the classifier on other
                labelled data with {.fn evaluateClassifier}."
        ))
    }
    if (largest < folds) {
        .abort("argument", c(
            "{.arg folds} ({folds}) is more than the largest class has
            labelled samples ({largest}): some folds would hold none.",
            i = "Use {.code folds <= {largest}}."
        ))
    }
    for (k in seq_len(folds)) {
        trained <- unique(codes[fold_of != k & codes > 0L])
        if (length(trained) < 2L) {
            .abort("labels", c(
                "In fold {k}, the samples left for training hold one class
                only ({.val {classes[trained]}}).",
                i = "Use fewer {.arg folds}, or leave out the classes with
                    very few samples."
            ))
        }
    }
}

# Fold k's held-out samples: their truth, prediction and probabilities
# (one column per class of the whole data set; 0 for a class the fold's
# training samples lacked).
.cross_validation_fold <- function(x, values, classes, fold_of, k, ...) {
    train <- fold_of != k
    test <- which(fold_of == k)
    args <- list(...)
    sf <- args$size_factors
    # one per sample of x (checked): each fold's own, in training and
    # prediction
    per_sample <- !is.null(sf)
    if (per_sample) args$size_factors <- sf[train]
    # the labels' warnings were given once for the whole data set; an
    # argument's (an ignored corruption_rate) in the first fold
    fit <- withCallingHandlers(do.call(trainClassifier, c(list(
        x[, train, drop = FALSE],
        labels = values[train], verbose = FALSE), args)),
        exprae_warning_labels = function(w) invokeRestart("muffleWarning"),
        exprae_warning_argument = function(w) {
            if (k > 1L) invokeRestart("muffleWarning")
        })
    probs <- predict(fit, x[, test, drop = FALSE], type = "prob",
        size_factors = if (per_sample) sf[test],
        n_threads = args$n_threads %||% 1)
    all <- matrix(0, length(test), length(classes),
        dimnames = list(colnames(x)[test], classes))
    all[, colnames(probs)] <- probs
    predicted <- classes[max.col(all, ties.method = "first")]
    data.frame(sample = colnames(x)[test] %||% as.character(test),
        fold = k, truth = as.character(values[test]),
        predicted = predicted, all, check.names = FALSE,
        stringsAsFactors = FALSE)
}

# Metrics per fold and pooled over all held-out samples. The
# probabilities are the columns after the four fixed ones, taken by
# position: a class may be called "fold" or "truth".
.cross_validation_metrics <- function(pred, classes) {
    probs <- as.matrix(pred[, 4L + seq_along(classes), drop = FALSE])
    truth <- factor(pred$truth, levels = classes)
    per_fold <- lapply(sort(unique(pred$fold)), function(k) {
        rows <- pred$fold == k
        m <- .classification_metrics(truth[rows], probs[rows, , drop = FALSE])
        cbind(fold = as.character(k), m)
    })
    pooled <- .classification_metrics(truth, probs)
    out <- rbind(do.call(rbind, per_fold), cbind(fold = "pooled", pooled))
    rownames(out) <- NULL
    rownames(pred) <- NULL
    attr(out, "predictions") <- pred
    attr(out, "confusion") <- attr(pooled, "confusion")
    out
}
