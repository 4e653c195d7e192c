#' Train a classifier on expression profiles
#'
#' Fits a neural network that maps each sample's expression profile to the
#' probabilities of its classes (cell type, tumour subtype, time point,
#' ...), trained in exprae's C++ engine on the softmax cross-entropy of
#' the labelled samples. The input is prepared as for [trainAutoencoder()]
#' and stored in the fit, so that [predict()][predict.ClassifierFit],
#' [classifySamples()] and [evaluateClassifier()] see new samples the same
#' way: the `ntop` genes (after `subset_row`) that best tell the classes
#' apart, centred and, with `scale = TRUE` (the default here), scaled per
#' gene; raw counts (`counts = TRUE`, or the `"counts"` assay of a
#' SummarizedExperiment without `"logcounts"`) become `log1p(counts / size
#' factor)` first. The genes are ranked by the F statistic of a one-way
#' analysis of variance over the labelled samples (the spread of the class
#' means against the spread within the classes); `gene_selection =
#' "variance"` keeps the most variable genes instead, as
#' [trainAutoencoder()] does. Either is learned from the training samples
#' alone (not the validation split's), so [crossValidate()] chooses the
#' genes anew in each fold. Data
#' in which no gene varies are an error of class `exprae_error_input`, as
#' for [trainAutoencoder()].
#'
#' Labels are a `colData` column (by name) or a vector or factor with one
#' value per sample; `NA` marks an unlabelled sample, which the loss skips.
#' The classes are the factor's levels (unused ones dropped) or the sorted
#' values. The validation split is stratified: `validation_split` of each
#' class is held out (drawn with R's random numbers, so `set.seed()`
#' repeats it), and training stops early when the validation loss has not
#' improved for `patience` epochs, keeping the best weights.
#'
#' The defaults (the 1000 genes of largest F, 64 hidden units, dropout
#' 0.5, minibatches of 16, balanced class weights, half of the inputs
#' masked, nothing held out below 1000 labelled samples) were chosen by
#' the macro-F1 of stratified 5-fold cross-validation in
#' `bench/classify.R` on ALL's molecular subtypes, ALL's B/T stages and
#' HSMMSingleCell's time points, averaged over three fold splits and three
#' training seeds: 0.876, 0.478 and 0.905 with the genes of largest F,
#' 0.866, 0.458 and 0.847 with the 2000 most variable; a linear SVM on
#' the 2000 most variable had 0.888, 0.434 and 0.858, SingleR 0.793, 0.463
#' and 0.750. 500 genes of largest F did better on the subtypes (0.886)
#' and worse on the time points (0.863); masking half of the inputs raised
#' all three (with the most variable genes from 0.853 to 0.886, 0.430 to
#' 0.442 and 0.835 to 0.852, single seed). Masking 0.4 or 0.6, 32 or 128
#' units, dropout 0.2, more weight decay, a lower learning rate,
#' learning-rate decay, no early stopping or softer class weights did no
#' better on the three at once; 256 units or two hidden layers did no
#' better on ALL's subtypes.
#'
#' Bad labels are errors of class `exprae_error_labels`: the wrong length,
#' fewer than two classes, every label `NA`, an infinite label or an empty
#' string; a class with a single labelled sample, and numeric labels with
#' fractions (each distinct value would be a class), are warnings of the
#' same class. `NaN` and a factor's `NA` level mean unlabelled, as `NA`
#' does.
#'
#' @inheritParams trainAutoencoder
#' @param labels The class of each sample: the name of a `colData` column
#'   (SummarizedExperiment methods) or a vector or factor, `NA` for
#'   unlabelled samples, taken in the order of the samples (a vector named
#'   by sample in another order is an error).
#' @param ntop Number of genes to keep (see `gene_selection`); `NULL` or
#'   `Inf` keeps all.
#' @param gene_selection How the `ntop` genes are chosen: `"anova"` (the
#'   default) keeps those of largest F statistic between the labelled
#'   classes, `"variance"` the most variable.
#' @param hidden Units of the hidden dense layers; `NULL` or `integer(0)`
#'   gives a multinomial logistic regression on the genes.
#' @param dropout Dropout rate after each hidden layer, in \[0, 1).
#' @param layers `NULL`, or a list of hidden layers made with
#'   [layer_dense()] and friends, replacing `hidden`, `activation` and
#'   `dropout`; the output layer (one linear unit per class) is added.
#' @param class_weights `"balanced"` (each class weighs as much in total:
#'   `n / (k * n_class)`, so that small classes are not ignored), `NULL`
#'   (every sample counts alike) or a named vector of positive weights, one
#'   per class (a name that is not a class is a warning).
#' @param epochs Maximum number of passes over the training samples.
#' @param validation_split Fraction of the labelled samples of each class
#'   held out for early stopping, in \[0, 1); `NULL` chooses by the number
#'   of labelled samples (see Details).
#' @param corruption,corruption_rate Input corruption in training, as for
#'   [trainAutoencoder()]: a regulariser that shows the network noisy
#'   versions of each sample. By default each input value of a training
#'   minibatch is set to 0 with probability 0.5, drawn anew at every step
#'   (see Details); `corruption = "none"` turns it off (a rate other than
#'   0.5 with it is a warning).
#' @param patience Stop when the validation loss (the training loss without
#'   a validation split) has not improved for this many epochs, and keep
#'   the best weights; 0 never stops early. `NULL` (the default): 15, or
#'   as many epochs as make 100 optimizer steps when an epoch has fewer
#'   than 7 minibatches, whose mean loss under masking and dropout is too
#'   noisy to stop on after 15.
#' @param counts Are the data raw counts, to be log1p-normalised by size
#'   factors (see [trainAutoencoder()]'s section on count likelihoods)?
#' @param size_factors `NULL` or a positive number per sample, with
#'   `counts = TRUE`; for a SummarizedExperiment, `NULL` uses
#'   `sizeFactors(x)` when set (as [trainAutoencoder()] does), else the
#'   library sizes.
#' @param assay.type Assay to use; `NULL` uses `"logcounts"` when present,
#'   else `"counts"` (then normalised as raw counts).
#'
#' @return A [ClassifierFit].
#' @seealso [predict()][predict.ClassifierFit], [classifySamples()],
#'   [evaluateClassifier()]; [trainAutoencoder()] with `labels` for a
#'   semi-supervised autoencoder.
#' @name trainClassifier
#' @aliases trainClassifier,ANY-method
#' @examples
#' se <- exampleALL()
#' set.seed(1)
#' train <- seq(1, 128, by = 2)
#' fit <- trainClassifier(se[, train], labels = "type", hidden = 16,
#'     epochs = 20, n_threads = 1, verbose = FALSE)
#' fit
#' head(classifySamples(fit, se[, -train]))
#' evaluateClassifier(fit, se[, -train], labels = "type")
NULL

.train_classifier <- function(x, labels, hidden = 64, activation = "relu",
    dropout = 0.5, layers = NULL, class_weights = "balanced",
    corruption = c("mask", "none", "gaussian"), corruption_rate = 0.5,
    counts = FALSE, size_factors = NULL, epochs = 100, batch_size = 16,
    learning_rate = 1e-3, optimizer = "adam", weight_decay = 1e-4,
    momentum = 0.9, validation_split = NULL, patience = NULL, lr_decay = 1,
    lr_patience = 5, clip_norm = 0, ntop = 1000,
    gene_selection = c("anova", "variance"), subset_row = NULL,
    scale = TRUE, n_threads = 1, device = "auto", precision = "float",
    verbose = TRUE, ...) {
    .check_required(c(labels = missing(labels)))
    .check_no_dots(..., .known = names(formals(.train_classifier)),
        .se_only = .se_arguments["assay.type"])
    train <- .classifier_training_options(NCOL(x), .n_labelled(labels),
        patience = patience, validation_split = validation_split,
        epochs = epochs, batch_size = batch_size,
        learning_rate = learning_rate, optimizer = optimizer,
        weight_decay = weight_decay, momentum = momentum,
        lr_decay = lr_decay, lr_patience = lr_patience,
        clip_norm = clip_norm, n_threads = n_threads, precision = precision)
    device <- .resolve_device(device, train$precision, isTRUE(verbose))
    counts <- .check_flag(counts, "counts")
    verbose <- .check_flag(verbose, "verbose")
    gene_selection <- .match_choice(gene_selection, "gene_selection",
        c("anova", "variance"))
    ntop <- .check_ntop(ntop)
    scale <- .check_flag(scale, "scale")
    prepared <- .classifier_data(x, labels, subset_row, ntop, scale,
        counts, size_factors, gene_selection, train$validation_split)
    data <- prepared$data
    labels <- prepared$labels
    validation <- prepared$validation
    model <- .classifier_model(labels$classes, hidden, activation, dropout,
        layers)
    corruption <- .match_choice(corruption, "corruption",
        c("mask", "none", "gaussian"))
    options <- .engine_options(c(train, .corruption_settings(corruption,
        corruption_rate, formals(.train_classifier)$corruption_rate)),
        device = device,
        size_factors = data$size_factors, log1p = isTRUE(data$counts$log1p),
        labels = labels$codes,
        class_weights = .class_weights(class_weights, labels),
        validation = validation,
        seed = as.numeric(sample.int(.Machine$integer.max, 2L)))
    result <- .run_engine(data$x, data$prep, model, options, verbose = verbose)
    options <- .fit_options(options, list(ntop = ntop,
        gene_selection = gene_selection, scale = scale,
        classes = labels$classes, training_labels = labels$codes),
        data$counts)
    .new_classifier_fit(data, model, options, result, device)
}

# The labels and the validation samples first: the genes kept are those
# that tell the classes of the training samples apart (the validation
# samples rank as unlabelled).
.classifier_data <- function(x, labels, subset_row, ntop, scale, counts,
    size_factors, gene_selection, validation_split) {
    x <- .training_matrix(x, subset_row)
    labels <- .training_labels(labels, ncol(x), colnames(x))
    validation <- .stratified_validation(labels$codes, validation_split)
    classes <- if (gene_selection == "anova") {
        replace(labels$codes, validation, 0L)
    }
    if (!counts && !is.null(size_factors)) {
        .abort("argument", c(
            "{.arg size_factors} apply to raw counts only.",
            i = "Give raw counts with {.code counts = TRUE}, or leave
                {.arg size_factors} out."
        ))
    }
    data <- if (counts) {
        .count_training_data(x, ntop, scale, "poisson", size_factors,
            classes, center = TRUE)
    } else {
        .training_data(x, ntop, scale, "gaussian", size_factors, classes)
    }
    list(data = data, labels = labels, validation = validation)
}

# The network: the hidden layers, then one linear unit per class.
.classifier_model <- function(classes, hidden, activation, dropout,
    layers) {
    encoder <- if (is.null(layers)) {
        arch <- .check_architecture(1, hidden, activation, dropout)
        .hidden_layers(arch$hidden, arch$activation, arch$dropout)
    } else {
        .check_layers(layers, "layers")
    }
    list(encoder = encoder, decoder = list(),
        classifier = list(layer_dense(length(classes), "linear")))
}

#' @rdname trainClassifier
#' @export
setMethod("trainClassifier", "ANY", .train_classifier)

#' @rdname trainClassifier
#' @export
setMethod("trainClassifier", "SummarizedExperiment",
    function(x, labels, ..., assay.type = NULL) {
        .train_classifier_se(x, labels, ..., assay.type = assay.type)
    })

# The SummarizedExperiment defaults: "logcounts", else raw "counts"; the
# labels as a colData column by name; the samples' annotation kept.
.train_classifier_se <- function(x, labels, ..., counts = NULL,
    size_factors = NULL, assay.type = NULL) {
    .check_required(c(labels = missing(labels)))
    if (is.null(assay.type)) {
        have <- SummarizedExperiment::assayNames(x)
        assay.type <- if ("logcounts" %in% have || !"counts" %in% have) {
            "logcounts"
        } else {
            "counts"
        }
    }
    counts <- counts %||% identical(assay.type, "counts")
    if (isTRUE(counts)) {
        size_factors <- .training_size_factors(x, size_factors)
    }
    fit <- .train_classifier(.pick_matrix(x, assay.type),
        .labels_from_se(x, labels), ..., counts = counts,
        size_factors = size_factors)
    fit <- .with_sample_data(fit, x, assay.type = assay.type)
    if (is.character(labels) && length(labels) == 1L &&
        labels %in% colnames(SummarizedExperiment::colData(x))) {
        fit@options$label_column <- labels
    }
    fit
}
