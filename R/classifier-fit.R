# What a ClassifierFit prints and the tables it gives.

#' @rdname ClassifierFit
#' @param object A `ClassifierFit`.
#' @export
setMethod("show", "ClassifierFit", function(object) {
    cat(.fit_summary(object, .classifier_lines), sep = "")
    invisible(object)
})

# What a classifier's summary says before the training lines.
.classifier_lines <- function(object) {
    o <- object@options
    weights <- o$class_weights
    c(sprintf("ClassifierFit: %d genes -> %d classes",
            length(object@genes), length(o$classes)),
        paste0("  classes: ", .classes_text(o$classes)),
        paste0("  network: ", .describe_layers(c(object@model$encoder,
            object@model$classifier), length(object@genes))),
        if (!is.null(weights)) paste0("  class weights: ",
            paste(format(weights, digits = 3), collapse = ", ")),
        .samples_line(nrow(object@embedding), length(object@validation),
            if (!is.null(o$training_labels)) sum(o$training_labels > 0L)))
}

#' @rdname ClassifierFit
#' @export
setMethod("trainingHistory", "ClassifierFit", function(object) {
    .check_fit(object)@history
})

#' @rdname ClassifierFit
#' @param x A `ClassifierFit`.
#' @param row.names,optional,... Not used; for compatibility with the
#'   generic.
#' @return `as.data.frame()`: one row per training sample, with its name,
#'   its class probabilities and, for a SummarizedExperiment input, its
#'   `colData` columns.
#' @export
as.data.frame.ClassifierFit <- function(x, row.names = NULL,
    optional = FALSE, ...) {
    x <- .check_fit(x)
    .sample_frame(x@embedding, x@sample_data)
}

#' Tidy, glance and augment a fitted classifier
#'
#' The `generics` (broom) verbs for a [ClassifierFit]. `tidy()` gives the
#' training samples' class probabilities in long form (`matrix =
#' "samples"`: one row per sample and class) or the training history;
#' `glance()` one row about the fit; `augment()` one row per sample with
#' its predicted class (`.predicted`), the probability of that class
#' (`.probability`) and, for the training samples, whether it was held out
#' for validation (`.validation`), beside its annotation. A sequence model
#' with several yes/no labels per sequence gives `.predicted_<label>`
#' (probability above 0.5) and `.probability_<label>` for each label
#' instead.
#'
#' @param x A [ClassifierFit].
#' @param matrix `"samples"` or `"history"`.
#' @param newdata `NULL` (the training samples) or new samples, as for
#'   [predict()][predict.ClassifierFit].
#' @param ... Passed on to [predict()][predict.ClassifierFit] (`augment()`
#'   with `newdata`); otherwise none (an unknown argument is an error of
#'   class `exprae_error_argument`).
#'
#' @return A data frame.
#' @seealso [evaluateClassifier()]
#' @name tidy.ClassifierFit
#' @examples
#' se <- exampleALL()
#' set.seed(1)
#' fit <- trainClassifier(se, labels = "type", hidden = 16, epochs = 5,
#'     verbose = FALSE)
#' head(tidy(fit))
#' glance(fit)
#' head(augment(fit))
#' @export
tidy.ClassifierFit <- function(x, matrix = c("samples", "history"), ...) {
    .check_no_dots(...)
    x <- .check_fit(x)
    matrix <- .match_choice(matrix, "matrix", c("samples", "history"))
    if (matrix == "history") {
        return(trainingHistory(x))
    }
    probs <- x@embedding
    data.frame(
        sample = rep(rownames(probs), ncol(probs)),
        class = factor(rep(colnames(probs), each = nrow(probs)),
            levels = colnames(probs)),
        probability = as.vector(probs)
    )
}

#' @rdname tidy.ClassifierFit
#' @export
glance.ClassifierFit <- function(x, ...) {
    .check_no_dots(...)
    x <- .check_fit(x)
    cbind(data.frame(
        genes = length(x@genes),
        samples = nrow(x@embedding),
        validation_samples = length(x@validation),
        classes = length(x@options$classes)
    ), .glance_training(x))
}

#' @rdname tidy.ClassifierFit
#' @export
augment.ClassifierFit <- function(x, newdata = NULL, ...) {
    x <- .check_fit(x)
    if (is.null(newdata)) {
        .check_no_dots(...)  # predict()'s arguments need newdata
        probs <- x@embedding
        annotation <- x@sample_data
    } else {
        .check_dots_exclude("type", ...)
        probs <- predict(x, newdata, type = "prob", ...)
        annotation <- if (is(newdata, "SummarizedExperiment")) {
            .plain_columns(SummarizedExperiment::colData(newdata))
        }
    }
    out <- .sample_frame(probs[, 0L, drop = FALSE], annotation)
    if (isTRUE(x@options$multi_label)) {
        for (label in colnames(probs)) {
            out[[paste0(".predicted_", label)]] <- unname(probs[, label] > 0.5)
            out[[paste0(".probability_", label)]] <- unname(probs[, label])
        }
    } else {
        out$.predicted <- .top_class(probs)
        out$.probability <- unname(apply(probs, 1L, max))
    }
    if (is.null(newdata)) {
        out$.validation <- seq_len(nrow(out)) %in% x@validation
    }
    out
}

#' Plot a fitted classifier
#'
#' `type = "loss"` draws the training and validation loss per epoch, as
#' for an autoencoder. `type = "confusion"` draws the confusion matrix as
#' a heat map (true class by row, predicted class by column, counts in the
#' cells): of `newdata` against `labels` when given, else of the samples
#' held out for validation during training (which the classifier did not
#' learn from).
#'
#' @param x A [ClassifierFit].
#' @param y Not used.
#' @param type `"loss"` or `"confusion"`.
#' @param newdata,labels `NULL`, or samples and their true classes as for
#'   [evaluateClassifier()] (`type = "confusion"` only; one without the
#'   other is an error of class `exprae_error_argument`).
#' @param ... With `newdata`, passed on to [evaluateClassifier()];
#'   otherwise an unknown argument is an error of class
#'   `exprae_error_argument`.
#'
#' @return A ggplot object.
#' @seealso [evaluateClassifier()] for the numbers.
#' @examples
#' se <- exampleALL()
#' set.seed(1)
#' fit <- trainClassifier(se, labels = "type", hidden = 16, epochs = 10,
#'     validation_split = 0.2, verbose = FALSE)
#' plot(fit)
#' plot(fit, type = "confusion")  # the validation samples
#' @importFrom ggplot2 geom_tile geom_text scale_fill_gradient
#' @export
plot.ClassifierFit <- function(x, y, type = c("loss", "confusion"),
    newdata = NULL, labels = NULL, ...) {
    x <- .check_fit(x)
    type <- .match_choice(type, "type", c("loss", "confusion"))
    if (type == "loss" || is.null(newdata)) {
        .check_no_dots(...)  # they go to evaluateClassifier() only
    }
    given <- c(!is.null(newdata), !is.null(labels))
    if (any(given) && (type == "loss" || !all(given))) {
        .abort("argument", c(
            "{.arg newdata} and {.arg labels} go together, and only with
            {.code type = \"confusion\"}.",
            i = "Without them the confusion matrix is the validation
                samples'."
        ))
    }
    if (type == "loss") {
        return(.plot_loss(x))
    }
    confusion <- if (is.null(newdata)) {
        .validation_confusion(x)
    } else {
        attr(evaluateClassifier(x, newdata, labels, ...), "confusion")
    }
    ggplot(confusion, aes(.data$predicted, .data$truth, fill = .data$n)) +
        geom_tile(colour = "white") +
        geom_text(aes(label = .data$n)) +
        scale_fill_gradient(low = "white", high = "steelblue") +
        labs(x = "Predicted class", y = "True class", fill = "Samples",
            subtitle = if (is.null(newdata)) "validation samples") +
        theme_bw()
}

# The confusion matrix of the labelled samples held out in training.
.validation_confusion <- function(fit) {
    classes <- fit@options$classes
    codes <- fit@options$training_labels[fit@validation]
    held <- fit@validation[codes > 0L]
    if (length(held) == 0L) {
        .abort("argument", c(
            "No labelled sample was held out for validation.",
            i = "Give {.arg newdata} and {.arg labels}, or train with
                {.arg validation_split} > 0."
        ))
    }
    m <- .classification_metrics(factor(classes[codes[codes > 0L]],
        levels = classes), fit@embedding[held, , drop = FALSE])
    attr(m, "confusion")
}
