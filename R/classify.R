#' Classify new samples with a fitted classifier
#'
#' `predict()` gives each new sample's class (a factor in the fit's
#' classes), its class probabilities, or its last hidden layer. Genes are
#' matched by name as for [predict()][predict.AutoencoderFit] (every gene
#' of the fit must be in `newdata`; extra genes are ignored), and the
#' stored preprocessing is applied. `classifySamples()` returns the same
#' as a DataFrame shaped like SingleR's results, so that code written for
#' SingleR takes it: `scores` (a matrix column of class probabilities),
#' `labels`, and `pruned.labels`, `NA` where the top probability is below
#' `min_prob`; a sequence model with several yes/no labels per sequence
#' has no single label to give, so there it is an error (use `predict()`).
#' `runClassifier()` stores the classes in a `colData` column of a
#' SummarizedExperiment or SingleCellExperiment.
#'
#' @param object,fit A [ClassifierFit], or an [AutoencoderFit] trained
#'   with `labels` (a semi-supervised autoencoder).
#' @param newdata A numeric matrix, dgCMatrix or DelayedMatrix (genes x
#'   samples), a SummarizedExperiment or a SingleCellExperiment. If missing,
#'   the training samples' predictions.
#' @param type `"class"`, `"prob"` (samples x classes) or `"latent"` (the
#'   last hidden layer, samples x units; a semi-supervised autoencoder's
#'   latent space).
#' @param assay.type Assay of a SummarizedExperiment `newdata`; `NULL` uses
#'   the one the model was trained on.
#' @param size_factors For a model of counts, `NULL` or a positive number
#'   per new sample (see [predict()][predict.AutoencoderFit]).
#' @param min_prob Probability below which a sample's label is pruned to
#'   `NA`.
#' @param n_threads Number of CPU threads of the engine.
#' @param BPPARAM A BiocParallelParam for prediction in chunks.
#' @param ... Passed on to `predict()` (`classifySamples()`, except
#'   `type`); `predict()` takes no others, and an unknown argument is an
#'   error of class `exprae_error_argument`.
#'
#' @return `predict()`: a factor named by sample (`"class"`), or a numeric
#'   matrix with samples as rows. `classifySamples()`: a DataFrame with one
#'   row per sample.
#' @seealso [trainClassifier()], [evaluateClassifier()]
#' @name predict.ClassifierFit
#' @examples
#' se <- exampleALL()
#' set.seed(1)
#' fit <- trainClassifier(se[, 1:100], labels = "type", hidden = 16,
#'     epochs = 10, verbose = FALSE)
#' predict(fit, se[, 101:106])
#' round(predict(fit, se[, 101:106], type = "prob"), 3)
#' classifySamples(fit, se[, 101:106])
#' table(runClassifier(se[, 101:128], fit, name = "predicted")$predicted)
NULL

#' @rdname predict.ClassifierFit
#' @export
predict.ClassifierFit <- function(object, newdata,
    type = c("class", "prob", "latent"), assay.type = NULL,
    size_factors = NULL, n_threads = 1,
    BPPARAM = BiocParallel::SerialParam(), ...) {
    type <- .match_choice(type, "type", c("class", "prob", "latent"))
    .check_no_dots(...)
    object <- .check_fit(object)  # intact before its layers are read
    if (type == "latent") {
        .check_has_hidden_layer(object)
    }
    probs <- if (missing(newdata)) {
        if (type == "latent") {
            .abort("argument", "{.arg newdata} is needed for
                {.code type = \"latent\"}.")
        }
        object@embedding
    } else {
        .predict_labels(object, newdata, type, assay.type, size_factors,
            n_threads, BPPARAM)
    }
    if (type == "class") .top_class(probs) else probs
}

# Class probabilities (or the latent) of new samples from any fit with a
# classifier; `fit` checked by the caller (.check_fit()).
.predict_labels <- function(fit, newdata, type, assay.type = NULL,
    size_factors = NULL, n_threads = 1, BPPARAM = BiocParallel::SerialParam(),
    batch = NULL, transform_batch = NULL) {
    .require_classifier(fit)
    n_threads <- .check_count(n_threads, "n_threads")
    net <- .fit_net(fit)
    input <- .prediction_input(fit, newdata, assay.type, NULL, batch,
        size_factors, transform_batch)
    output <- if (type == "latent") "latent" else "logits"
    out <- .predict_columns(net, input, output, n_threads,
        BPPARAM)[[output]]
    if (type == "latent") out else .softmax_rows(out)
}

# A classifier without hidden layers (`hidden = NULL`) has no latent
# space: its "last hidden layer" would be the preprocessed genes.
.check_has_hidden_layer <- function(fit) {
    types <- vapply(fit@model$encoder, `[[`, "", "type")
    if (!any(types %in% c("dense", "conv1d", "gru", "lstm"))) {
        .abort("argument", c(
            "This classifier has no hidden layer, so no latent space.",
            i = "{.code type = \"latent\"} needs a fit trained with
                {.arg hidden} units (the default) or hidden {.arg layers}."
        ))
    }
}

# An intact fit with a classifier (the check of the functions that take
# one).
.check_has_classifier <- function(fit) {
    .require_classifier(.check_fit(fit))  # intact before settings are read
}

.require_classifier <- function(fit) {
    if (length(fit@options$classes) < 2L &&
        !isTRUE(fit@options$multi_label)) {
        .abort("argument", c(
            "This fit has no classifier.",
            i = "Train one with {.fn trainClassifier}, or an autoencoder
                with {.arg labels}."
        ))
    }
}

# Row-wise softmax, from logits that may be large.
.softmax_rows <- function(logits) {
    e <- exp(logits - apply(logits, 1L, max))
    e / rowSums(e)
}

# The most probable class of each row, as a factor of the classes.
.top_class <- function(probs) {
    classes <- colnames(probs)
    stats::setNames(factor(classes[max.col(probs, ties.method = "first")],
        levels = classes), rownames(probs))
}

#' @rdname predict.ClassifierFit
#' @export
classifySamples <- function(fit, newdata, min_prob = 0.5, ...) {
    min_prob <- .check_number(min_prob, "min_prob", 0, 1)
    .check_has_classifier(fit)
    .check_dots_exclude("type", ...)
    if (isTRUE(fit@options$multi_label)) {
        .abort("argument", c(
            "{.fn classifySamples} gives one label per sample, and this fit
            gives each sequence several yes/no labels.",
            i = "Use {.code predict(fit, newdata)} (a logical matrix) or
                {.code type = \"prob\"}."
        ))
    }
    if (missing(newdata) && is(fit, "AutoencoderFit")) {
        .abort("argument", "{.arg newdata} is needed: an autoencoder trained
            with labels keeps its training samples' latent space, not
            their class probabilities.")
    }
    probs <- if (missing(newdata)) {
        predict(fit, type = "prob")
    } else {
        predict(fit, newdata, type = "prob", ...)
    }
    labels <- as.character(.top_class(probs))
    pruned <- ifelse(unname(apply(probs, 1L, max)) < min_prob,
        NA_character_, labels)
    samples <- rownames(probs)
    if (anyNA(samples)) {
        .abort("input", c(
            "Some samples of the new data have {.code NA} as their name.",
            i = "Give every column a name (or none)."
        ))
    }
    out <- S4Vectors::DataFrame(labels = labels, pruned.labels = pruned,
        row.names = samples)
    out$scores <- probs
    out[, c("scores", "labels", "pruned.labels")]
}

#' @rdname predict.ClassifierFit
#' @param x A SummarizedExperiment or SingleCellExperiment to label.
#' @param name Name of the `colData` column that receives the labels (a
#'   non-empty string).
#' @return `runClassifier()`: `x` with the predicted classes (a factor) in
#'   `colData(x)[[name]]`.
#' @export
runClassifier <- function(x, fit, name = "label", ...) {
    .check_has_classifier(fit)
    if (!is(x, "SummarizedExperiment")) {
        .abort("argument", "{.arg x} must be a SummarizedExperiment or
            SingleCellExperiment, not a {.cls {class(x)}}.")
    }
    if (!is.character(name) || length(name) != 1L || is.na(name) ||
        !nzchar(name)) {
        .abort("argument", "{.arg name} must be a single, non-empty
            string.")
    }
    .check_dots_exclude("type", ...)
    labels <- predict(fit, x, type = "class", ...)
    SummarizedExperiment::colData(x)[[name]] <- unname(labels)
    x
}
