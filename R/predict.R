#' Embed, reconstruct or denoise samples with a fitted autoencoder
#'
#' Passes new samples through a fitted model. Genes are matched by name:
#' `newdata` must hold every gene of the fit (extra genes are ignored, the
#' order does not matter), and is preprocessed as the training data were
#' (the stored centre and scale; for count models, log1p of the counts
#' divided by their size factors). Works on a fit read back with
#' [readRDS()] in a new R session.
#'
#' For a count model, new samples need size factors for the encoder's
#' input: `size_factors` when given; else `sizeFactors(newdata)` when the
#' model was trained on given size factors and `newdata` has them; else
#' the library size over the model's genes divided by the training
#' samples' mean library size (with a warning of class
#' `exprae_warning_size_factors` for a model trained on given size
#' factors, whose scale library sizes need not share).
#'
#' For a model trained with `batch`, new samples need their batch: `batch`,
#' or for a SummarizedExperiment the `colData` column the model was
#' trained with; otherwise `transform_batch`, and every sample is taken to
#' come from that batch. Missing or unknown batches are errors of class
#' `exprae_error_batch`.
#'
#' @section Large data and parallel prediction:
#' The samples are passed through the model in chunks of columns. A
#' DelayedMatrix (e.g. an HDF5Matrix) is read a block at a time, never
#' whole, and its reconstruction or expression is written block by block
#' to DelayedArray's realization backend: a DelayedMatrix comes back, on
#' disk after e.g. `DelayedArray::setAutoRealizationBackend("HDF5Array")`.
#' With a `BPPARAM` of several workers, the chunks are spread over them
#' (a DelayedMatrix is then read by the workers themselves); each worker
#' uses `n_threads` threads. Values that are not finite, or not counts for
#' a count model, are errors of class `exprae_error_input` or
#' `exprae_error_counts` wherever the chunk was read.
#'
#' @param object An [AutoencoderFit].
#' @param newdata A numeric matrix, dgCMatrix or DelayedMatrix (genes x
#'   samples), a SummarizedExperiment or a SingleCellExperiment. If missing,
#'   the latent embedding of the training samples is returned.
#' @param type `"latent"` for the embedding; `"reconstruction"` for the
#'   decoder's output on the scale of the input data (count models: the
#'   denoised counts, the mean of each count given its size factor);
#'   `"expression"` for denoised expression (Gaussian models: the same as
#'   `"reconstruction"`; count models: the mean per unit size factor,
#'   i.e. normalised expression, or denoised counts when `size_factors` are
#'   given); for a model trained with `labels`, `"class"` (a factor named
#'   by sample) or `"prob"` (class probabilities, samples x classes).
#' @param assay.type Assay of a SummarizedExperiment `newdata`; `NULL` uses
#'   the assay the model was trained on (`"logcounts"`, or `"counts"` for a
#'   count model, for a matrix fit). Given with a matrix, it is an error
#'   of class `exprae_error_argument`.
#' @param dimred ReducedDim of a SingleCellExperiment `newdata`, for models
#'   trained with `dimred`; `NULL` uses the one the model was trained on.
#' @param batch For a model trained with batches: the batch of each new
#'   sample (a vector or factor, or a `colData` column name), in the
#'   training levels.
#' @param transform_batch `NULL`, or a training batch level: the decoder
#'   treats every sample as coming from it, giving expression as if all
#'   samples had been measured in that batch.
#' @param size_factors `NULL` or one positive number per new sample (count
#'   models); see Details.
#' @param sample With `type = "latent"` and a variational model, draw each
#'   sample's latent values from its posterior instead of giving the mean.
#'   The draw's seed comes from R's random number generator, so
#'   `set.seed()` makes it reproducible.
#' @param n_threads Number of CPU threads of the engine (per worker).
#' @param BPPARAM A BiocParallelParam: how to spread the chunks of samples
#'   over workers (see the section on large data); the default works in
#'   this process.
#' @param ... Not used: an unknown argument is an error of class
#'   `exprae_error_argument`.
#'
#' @return For `type = "latent"`, a numeric matrix, samples x components,
#'   with columns `AE1`, `AE2`, ...; for `"class"` a factor, for `"prob"`
#'   a numeric matrix, samples x classes. Otherwise a numeric matrix,
#'   genes x samples, with the fit's genes as row names; a DelayedMatrix
#'   when `newdata` is one.
#'
#'   Genes of the fit missing from `newdata` are an error of class
#'   `exprae_error_genes` that gives their number and the first few names.
#' @seealso [trainAutoencoder()], [calculateDenoised()],
#'   [reconstructionError()]
#' @examples
#' se <- exampleALL()
#' fit <- trainAutoencoder(se[, 1:100], ncomponents = 2, epochs = 5,
#'     verbose = FALSE)
#' predict(fit, se[, 101:128])[1:3, ]
#' rec <- predict(fit, se[, 101:128], type = "reconstruction")
#' dim(rec)
#'
#' # a saved model predicts in another session
#' path <- tempfile(fileext = ".rds")
#' saveRDS(fit, path)
#' head(predict(readRDS(path), se[, 101:128]), 3)
#'
#' # an HDF5-backed matrix is read a block at a time
#' if (requireNamespace("HDF5Array", quietly = TRUE)) {
#'     h5 <- HDF5Array::writeHDF5Array(SummarizedExperiment::assay(se),
#'         with.dimnames = TRUE)
#'     head(predict(fit, h5), 3)
#' }
#'
#' # a batch-aware count model: expression as if all came from batch "b1"
#' set.seed(1)
#' counts <- matrix(rpois(100 * 30, 4), 100,
#'     dimnames = list(paste0("g", 1:100), paste0("s", 1:30)))
#' batch <- rep(c("b1", "b2", "b3"), 10)
#' fit <- trainAutoencoder(counts, likelihood = "nb", batch = batch,
#'     ncomponents = 2, hidden = 8, epochs = 3, verbose = FALSE)
#' expr <- predict(fit, counts, type = "expression", batch = batch,
#'     transform_batch = "b1")
#' expr[1:3, 1:4]
#' @importFrom stats predict
#' @export
predict.AutoencoderFit <- function(object, newdata,
    type = c("latent", "reconstruction", "expression", "class", "prob"),
    assay.type = NULL, dimred = NULL, batch = NULL, transform_batch = NULL,
    size_factors = NULL, sample = FALSE, n_threads = 1,
    BPPARAM = BiocParallel::SerialParam(), ...) {
    type <- .match_choice(type, "type",
        c("latent", "reconstruction", "expression", "class", "prob"))
    .check_no_dots(...)
    object <- .check_fit(object)  # intact before its settings are read
    if (type %in% c("class", "prob")) {
        if (missing(newdata)) {
            .abort("argument", "{.arg newdata} is needed for {.arg type}
                {.val {type}}.")
        }
        probs <- .predict_labels(object, newdata, "prob", assay.type,
            size_factors, n_threads, BPPARAM, batch = batch,
            transform_batch = transform_batch)
        return(if (type == "class") .top_class(probs) else probs)
    }
    sample <- .check_sample(object, type, sample)
    if (missing(newdata)) {
        if (type != "latent" || sample) {
            .abort("argument", "{.arg newdata} is needed for {.arg type}
                {.val {type}} and for sampling.")
        }
        return(object@embedding)
    }
    .predict_newdata(object, newdata, type, assay.type, dimred, batch,
        size_factors, transform_batch, sample, n_threads, BPPARAM,
        per_unit = is.null(size_factors))
}

# predict() on new data (`object` checked by the caller). `per_unit`: a
# count model's expression per unit size factor (as predict() gives it for
# library-size factors; for given ones it gives counts at those factors).
.predict_newdata <- function(object, newdata, type, assay.type = NULL,
    dimred = NULL, batch = NULL, size_factors = NULL, transform_batch = NULL,
    sample = FALSE, n_threads = 1, BPPARAM = BiocParallel::SerialParam(),
    per_unit = is.null(size_factors)) {
    n_threads <- .check_count(n_threads, "n_threads")
    net <- .fit_net(object)
    input <- .prediction_input(object, newdata, assay.type, dimred, batch,
        size_factors, transform_batch)
    if (sample) {
        input$seed <- as.numeric(sample.int(.Machine$integer.max, 2L))
    }
    .predict_columns(net, input, type, n_threads, BPPARAM,
        per_unit = per_unit)[[type]]
}

.check_sample <- function(object, type, sample) {
    sample <- .check_flag(sample, "sample")
    if (sample && (type != "latent" || !isTRUE(object@model$variational))) {
        .abort("argument", c(
            "{.code sample = TRUE} draws the latent values of a variational
            model.",
            x = "The model is {if (isTRUE(object@model$variational)) '' else
                'not '}variational and {.arg type} is {.val {type}}.",
            i = "Use {.code type = \"latent\"} with a fit trained with
                {.code variational = TRUE}."
        ))
    }
    sample
}

# New data as the engine takes them, with the fit's genes, and what each
# sample needs: its batch code and, for count models, a given size factor
# (NULL: from its library size, computed chunk by chunk).
# predict() and reconstructionError() share it.
.prediction_input <- function(fit, newdata, assay.type = NULL,
    dimred = NULL, batch = NULL, size_factors = NULL,
    transform_batch = NULL) {
    .check_assay_type_applies(newdata, assay.type, "newdata")
    likelihood <- .fit_likelihood(fit)
    counts <- isTRUE(fit@options$log1p)  # count models, count classifiers
    if (is(newdata, "SingleCellExperiment")) {
        .check_one_source(assay.type, dimred, fit@options$dimred)
        dimred <- dimred %||% fit@options$dimred
    }
    assay.type <- assay.type %||% fit@options$assay.type %||%
        if (counts) "counts" else "logcounts"
    x <- .prediction_matrix(.pick_matrix(newdata, assay.type, dimred),
        fit@genes)
    batch <- .prediction_batch(fit, .newdata_batch(fit, newdata, batch),
        ncol(x), transform_batch, colnames(x))
    sf <- NULL
    if (counts) {
        sf <- .prediction_size_factors(fit, x, size_factors,
            .se_size_factors(newdata))
    } else if (!is.null(size_factors)) {
        .abort("argument", "{.arg size_factors} apply to models of counts
            only; this one is {.val {likelihood}}.")
    }
    list(x = x, batch = batch$batch, transform_batch = batch$transform_batch,
        size_factors = sf)
}

# What prediction needs of a model, as plain data (it goes to workers):
# from a fit that the caller has checked (.check_fit()), or from a
# training run (.new_fit()).
.fit_net <- function(fit) {
    .net(fit@model, fit@weights, fit@center, fit@scale, fit@options)
}

# A classifier of counts checks its input as a Poisson model would.
.net <- function(model, weights, center, scale, options) {
    log1p <- isTRUE(options$log1p)
    list(model = model, weights = weights, center = center, scale = scale,
        likelihood = options$likelihood %||% if (log1p) "poisson"
            else "gaussian",
        log1p = log1p, library_mean = options$library_mean,
        classes = options$classes)
}

# The options of .engine_predict().
.predict_options <- function(n_threads, size_factors = NULL, batch = NULL,
    transform_batch = 0L, log1p = FALSE) {
    .engine_options(n_threads = n_threads, size_factors = size_factors,
        batch = if (!is.null(batch)) as.integer(batch),
        transform_batch = as.integer(transform_batch),
        log1p = isTRUE(log1p))
}

# The engine's output in R's orientation and scale: latent as samples x
# components, logits as samples x classes; "nll" as the engine's list;
# genes x samples otherwise, a Gaussian model's on the input's scale
# (count models give means on the count scale already).
.engine_output <- function(x, net, type, options) {
    out <- .call_engine(.engine_predict(x, net$center, net$scale,
        net$model, net$weights, type, options))
    if (type == "nll") {
        return(out)
    }
    if (type == "latent") {
        out <- t(out)
        dimnames(out) <- list(colnames(x), paste0("AE", seq_len(ncol(out))))
        return(out)
    }
    if (type == "logits") {
        out <- t(out)
        dimnames(out) <- list(colnames(x), net$classes)
        return(out)
    }
    if (!.is_count_model(net$model$likelihood)) {
        out <- out * net$scale + net$center
    }
    dimnames(out) <- dimnames(x)
    out
}
