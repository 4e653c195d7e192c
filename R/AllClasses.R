# What every fitted model holds (AutoencoderFit, ClassifierFit): plain R
# data, so that saveRDS() and readRDS() work and the engine state is
# rebuilt from it when needed. The slots are documented with
# AutoencoderFit.
setClass("ExpraeFit", contains = "VIRTUAL", slots = c(
    weights = "list",
    model = "list",
    genes = "character",
    center = "numeric",
    scale = "numeric",
    embedding = "matrix",
    sample_data = "data.frame",
    history = "data.frame",
    options = "list",
    seed = "integer",
    device = "character",
    stop_reason = "character",
    best_epoch = "integer",
    validation = "integer",
    version = "character",
    format = "integer"
))

#' A fitted autoencoder
#'
#' An `AutoencoderFit` is what [trainAutoencoder()] returns. It holds plain
#' R data only: the weights as numeric matrices, the architecture, the genes
#' and the preprocessing (centre and scale per gene) it was trained with,
#' the training options and history, the seed, the device and the version
#' of exprae. So it can be saved with [saveRDS()] and used again, with
#' [predict()][predict.AutoencoderFit], in another R session; the
#' engine state is rebuilt from it when needed.
#'
#' @slot weights Named list of numeric matrices, e.g. `"encoder.1.weight"`
#'   (units x inputs) and `"encoder.1.bias"` (units x 1).
#' @slot model List with elements `encoder` and `decoder`, each a list of
#'   layers as made by [layer_dense()] and friends.
#' @slot genes Character vector, the genes (features) in training order.
#' @slot center,scale Numeric vectors, one value per gene: the network sees
#'   `(x - center) / scale`.
#' @slot embedding Numeric matrix, samples x latent components: the latent
#'   representation of the training samples.
#' @slot sample_data Data frame with one row per training sample: the
#'   (atomic) `colData` columns of a SummarizedExperiment input.
#' @slot history Data frame with one row per epoch, see [trainingHistory()].
#' @slot options List of training settings.
#' @slot seed Integer vector of length 2, the engine's random seed.
#' @slot device Character, the device the model was trained on.
#' @slot stop_reason Character, why training stopped: `"completed"`,
#'   `"early_stopping"`, `"interrupted"` or `"non_finite"`.
#' @slot best_epoch Integer, the epoch whose weights were kept.
#' @slot validation Integer vector, the indices of the held-out samples.
#' @slot version Character, the version of exprae that trained the model.
#' @slot format Integer, the layout of the object (see Details); fits
#'   older than the slot are format 1.
#'
#' @details A fit carries the version of its layout (`format`). A fit
#'   from a newer exprae, with a format this one does not know, is an
#'   error of class `exprae_error_fit` that says to update exprae; so is a
#'   damaged fit (weights missing, of the wrong shape or not finite,
#'   preprocessing or genes that do not match), which is checked before
#'   any of it reaches the engine.
#'
#' @return `AutoencoderFit` objects are made by [trainAutoencoder()];
#'   `show()` prints a summary and returns the object invisibly.
#' @seealso [trainAutoencoder()], [predict()][predict.AutoencoderFit],
#'   [as.data.frame()][as.data.frame.AutoencoderFit], [trainingHistory()]
#' @name AutoencoderFit
#' @aliases AutoencoderFit-class show,AutoencoderFit-method
#' @exportClass AutoencoderFit
#' @examples
#' fit <- trainAutoencoder(exampleALL(), ncomponents = 2, epochs = 3,
#'     verbose = FALSE)
#' fit
#' dim(predict(fit))  # the training samples' embedding
setClass("AutoencoderFit", contains = "ExpraeFit")

#' A fitted classifier
#'
#' A `ClassifierFit` is what [trainClassifier()] returns: the same plain R
#' data as an [AutoencoderFit] (both extend one base class, so
#' [trainingHistory()], saving and reading work alike), for a network
#' that maps each sample's expression profile to class probabilities.
#' Its `embedding` holds the training samples' class probabilities
#' (samples x classes); the classes are `options$classes`.
#'
#' @return `ClassifierFit` objects are made by [trainClassifier()];
#'   `show()` prints a summary and returns the object invisibly.
#' @seealso [trainClassifier()], [predict()][predict.ClassifierFit],
#'   [evaluateClassifier()], [classifySamples()]
#' @name ClassifierFit
#' @aliases ClassifierFit-class show,ClassifierFit-method
#' @exportClass ClassifierFit
#' @examples
#' se <- exampleALL()
#' set.seed(1)
#' fit <- trainClassifier(se, labels = "type", epochs = 5, verbose = FALSE)
#' fit
setClass("ClassifierFit", contains = "ExpraeFit")

#' A fitted sequence model
#'
#' A `SequenceFit` is what [trainSequenceModel()] returns: a
#' [ClassifierFit] whose input is one-hot DNA. Its `genes` name the
#' one-hot inputs (`A1`, `C1`, `G1`, `T1`, `A2`, ...), its `embedding`
#' holds the training sequences' class probabilities, and its options
#' the sequence `width`, whether both strands were used
#' (`reverse_complement`) and the `classes`. It is saved, read,
#' evaluated ([evaluateClassifier()]) and tidied like any classifier.
#'
#' @return `SequenceFit` objects are made by [trainSequenceModel()];
#'   `show()` prints a summary and returns the object invisibly.
#' @seealso [trainSequenceModel()], [predict()][predict.SequenceFit],
#'   [filterMotifs()]
#' @name SequenceFit
#' @aliases SequenceFit-class show,SequenceFit-method
#' @exportClass SequenceFit
#' @examples
#' set.seed(1)
#' x <- vapply(1:40, function(i) paste(sample(c("A", "C", "G", "T"), 20,
#'     TRUE), collapse = ""), "")
#' fit <- trainSequenceModel(x, factor(rep(c("a", "b"), 20)), epochs = 2,
#'     layers = list(layer_conv1d(4, 5), layer_global_max_pool()),
#'     verbose = FALSE)
#' fit
setClass("SequenceFit", contains = "ClassifierFit")

# The layout of a fit as this exprae writes it. 1: before the slot
# existed; 2: with it. A change that older code cannot read raises it.
.format_version <- 2L

.stop_reasons <- c("completed", "early_stopping", "interrupted", "non_finite")
.history_columns <- c("epoch", "loss", "val_loss", "seconds", "learning_rate")

setValidity("ExpraeFit", function(object) {
    msg <- c(.check_fit_genes(object), .check_fit_weights_list(object))
    if (nrow(object@sample_data) != nrow(object@embedding)) {
        msg <- c(msg, "'sample_data' needs one row per sample")
    }
    if (!all(.history_columns %in% names(object@history))) {
        msg <- c(msg, "'history' misses columns")
    }
    if (length(object@stop_reason) != 1L ||
        !object@stop_reason %in% .stop_reasons) {
        msg <- c(msg, "'stop_reason' is not a known reason")
    }
    if (length(object@seed) != 2L) {
        msg <- c(msg, "'seed' must have length 2")
    }
    if (length(object@version) != 1L || length(object@best_epoch) != 1L) {
        msg <- c(msg, "'version' and 'best_epoch' must have length 1")
    }
    n <- nrow(object@embedding)
    if (any(!object@validation %in% seq_len(n))) {
        msg <- c(msg, "'validation' must index the samples")
    }
    per_sample <- object@options$training_error$per_sample
    if (!is.null(per_sample) && length(per_sample) != n) {
        msg <- c(msg, "the training error needs one value per sample")
    }
    if (length(msg)) msg else TRUE
})

.check_fit_genes <- function(object) {
    n <- length(object@genes)
    if (length(object@center) != n || length(object@scale) != n) {
        return("'center' and 'scale' need one value per gene")
    }
    NULL
}

setValidity("AutoencoderFit", function(object) {
    model <- object@model
    if (!is.list(model$encoder) || !is.list(model$decoder) ||
        length(model$encoder) == 0L || length(model$decoder) == 0L) {
        return("'model' needs non-empty 'encoder' and 'decoder' lists")
    }
    latent <- model$encoder[[length(model$encoder)]]$units
    if (!identical(as.integer(ncol(object@embedding)), latent)) {
        return("'embedding' needs one column per latent unit")
    }
    TRUE
})

setValidity("ClassifierFit", function(object) {
    classes <- object@options$classes
    layers <- object@model$classifier
    fewest <- if (isTRUE(object@options$multi_label)) 1L else 2L
    if (!is.character(classes) || length(classes) < fewest ||
        !is.list(layers) || length(layers) == 0L ||
        !identical(layers[[length(layers)]]$units, length(classes))) {
        return("'model' needs a classifier with one output per class")
    }
    if (anyNA(classes) || anyDuplicated(classes)) {
        return("the class names must be unique and not NA")
    }
    if (!identical(colnames(object@embedding), classes)) {
        return("'embedding' needs one column per class")
    }
    TRUE
})

.check_fit_weights_list <- function(object) {
    is_matrix <- vapply(object@weights, is.matrix, logical(1))
    if (is.null(names(object@weights))) {
        return("'weights' must be a named list of matrices")
    }
    if (!all(is_matrix)) {
        return(paste("'weights' must be a named list of matrices; not a",
            "matrix:", paste(names(object@weights)[!is_matrix],
                collapse = ", ")))
    }
    NULL
}
