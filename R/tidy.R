#' A fitted autoencoder as tables
#'
#' `as.data.frame()` gives one row per training sample: its name, its
#' latent values and, for a SummarizedExperiment input, its `colData`
#' columns (ready for ggplot2). `trainingHistory()` gives one row per
#' epoch.
#'
#' @param x,object An [AutoencoderFit].
#' @param row.names,optional Not used; for compatibility with the generic.
#' @param ... Not used.
#'
#' @return `as.data.frame()`: a data frame with column `sample`, columns
#'   `AE1`, `AE2`, ... and the sample annotation (column names made unique
#'   where they clash). `trainingHistory()`: a data frame with columns
#'   `epoch`, `loss` (training loss), `val_loss` (validation loss, `NA`
#'   without validation), `seconds` (elapsed since the start) and
#'   `learning_rate`.
#' @seealso [trainAutoencoder()], [plot()][plot.AutoencoderFit]
#' @name as.data.frame.AutoencoderFit
#' @aliases trainingHistory,AutoencoderFit-method
#' @examples
#' fit <- trainAutoencoder(exampleALL(), ncomponents = 2, epochs = 5,
#'     verbose = FALSE)
#' head(as.data.frame(fit))
#' trainingHistory(fit)
#' @export
as.data.frame.AutoencoderFit <- function(x, row.names = NULL,
    optional = FALSE, ...) {
    x <- .check_fit(x)
    .sample_frame(x@embedding, x@sample_data)
}

# One row per sample: its name, its latent values, its annotation (names
# made unique where they clash), no row names.
.sample_frame <- function(embedding, annotation = NULL) {
    df <- data.frame(sample = rownames(embedding), stringsAsFactors = FALSE)
    rownames(embedding) <- NULL
    df <- cbind(df, as.data.frame(embedding, optional = TRUE))
    if (!is.null(annotation) && ncol(annotation) > 0L) {
        df <- cbind(df, annotation)
    }
    names(df) <- make.unique(names(df))
    rownames(df) <- NULL
    df
}

#' @rdname as.data.frame.AutoencoderFit
#' @export
setMethod("trainingHistory", "AutoencoderFit", function(object) {
    .check_fit(object)@history
})

#' @rdname as.data.frame.AutoencoderFit
#' @export
setMethod("trainingHistory", "ANY", function(object) {
    .check_is_fit(object)  # an error: the fits have their own methods
})

#' Tidy, glance and augment a fitted autoencoder
#'
#' Methods for the `generics` (broom) verbs, so that a fit joins a tidy
#' workflow. Every table has a `sample` or a `gene` column (row names are
#' never the only id).
#'
#' `tidy()` gives one of the fit's tables: `matrix = "samples"`, the
#' latent embedding of the training samples in long form (one row per
#' sample and component); `"genes"`, a per-gene summary (centre and scale
#' of the preprocessing, the training samples' mean reconstruction error
#' and, for `"nb"` and `"zinb"` models, the fitted dispersion); `"history"`,
#' one row per epoch as [trainingHistory()].
#'
#' `glance()` gives a one-row summary of the model and its training.
#'
#' `augment()` gives one row per sample: the embedding, the reconstruction
#' error (`.nll`, see [reconstructionError()]) and the sample annotation;
#' for the training samples (no `newdata`) also whether each was held out
#' for validation (`.validation`). With `type = "reconstruction"` or
#' `"expression"`, it gives one row per gene and sample of `newdata`: the
#' observed `value` and the model's `.fitted` value (see
#' [predict()][predict.AutoencoderFit]), e.g. to plot the denoised
#' expression of a gene.
#'
#' @param x An [AutoencoderFit].
#' @param matrix Which table: `"samples"`, `"genes"` or `"history"`.
#' @param newdata `NULL` (the training samples), or new data as for
#'   [predict()][predict.AutoencoderFit].
#' @param type `"latent"` (one row per sample), `"reconstruction"` or
#'   `"expression"` (one row per gene and sample; needs `newdata`).
#' @param ... For `augment()`, arguments of
#'   [predict()][predict.AutoencoderFit] such as `assay.type`, `batch` or
#'   `n_threads` (`sample` and `transform_batch` change the embedding
#'   columns, not `.nll`); otherwise none (an unknown argument is an
#'   error of class `exprae_error_argument`).
#'
#' @return A data frame. `tidy()`: columns `sample`, `component`, `value`
#'   (samples); `gene`, `center`, `scale`, `nll` and, for dispersion
#'   models, `theta` or `theta_<batch>` (genes); as [trainingHistory()]
#'   (history). `glance()`: one row with columns `genes`, `samples`,
#'   `validation_samples`, `components`, `likelihood`, `variational`,
#'   `batches`, `classes` (0 without `labels`), `epochs`, `best_epoch`,
#'   `stop_reason`, `loss`, `val_loss`
#'   (at the best epoch), `seconds`, `device`, `version`. `augment()`:
#'   `sample`, the annotation, `AE1`, ..., `.nll` (and `.validation`); or
#'   `gene`, `sample`, `value`, `.fitted`.
#' @seealso [as.data.frame()][as.data.frame.AutoencoderFit],
#'   [reconstructionError()], [geneDispersion()]
#' @name tidy.AutoencoderFit
#' @examples
#' se <- exampleALL()
#' fit <- trainAutoencoder(se, ncomponents = 2, epochs = 5, n_threads = 1,
#'     verbose = FALSE)
#' head(tidy(fit))
#' head(tidy(fit, matrix = "genes"))
#' glance(fit)
#' head(augment(fit))
#' head(augment(fit, se[, 1:4], type = "expression"))
#' @importFrom generics tidy glance augment
#' @export
tidy.AutoencoderFit <- function(x, matrix = c("samples", "genes",
    "history"), ...) {
    .check_no_dots(...)
    x <- .check_fit(x)
    matrix <- .match_choice(matrix, "matrix", c("samples", "genes",
        "history"))
    if (matrix == "history") {
        return(trainingHistory(x))
    }
    if (matrix == "genes") {
        return(.gene_summary(x))
    }
    embedding <- x@embedding
    data.frame(
        sample = rep(rownames(embedding), ncol(embedding)),
        component = factor(rep(colnames(embedding), each = nrow(embedding)),
            levels = colnames(embedding)),
        value = as.vector(embedding)
    )
}

# One row per gene of the fit: preprocessing, training error, dispersion.
.gene_summary <- function(fit) {
    out <- data.frame(gene = fit@genes, center = fit@center,
        scale = fit@scale)
    out$nll <- fit@options$training_error$per_gene %||% NA_real_
    if (.fit_likelihood(fit) %in% c("nb", "zinb")) {
        out <- cbind(out, geneDispersion(fit)[-1L])
    }
    out
}

# Seconds from the start of training to the end of its last epoch.
.training_seconds <- function(fit) {
    if (nrow(fit@history) > 0L) max(fit@history$seconds) else 0
}

#' @rdname tidy.AutoencoderFit
#' @export
glance.AutoencoderFit <- function(x, ...) {
    .check_no_dots(...)
    x <- .check_fit(x)
    cbind(data.frame(
        genes = length(x@genes),
        samples = nrow(x@embedding),
        validation_samples = length(x@validation),
        components = ncol(x@embedding),
        likelihood = .fit_likelihood(x),
        variational = isTRUE(x@options$variational),
        batches = length(x@options$batch_levels),
        classes = length(x@options$classes)
    ), .glance_training(x))
}

# The columns of glance() that every fit has: how training went.
.glance_training <- function(x) {
    history <- x@history
    best <- history[history$epoch == x@best_epoch, , drop = FALSE]
    data.frame(
        epochs = nrow(history),
        best_epoch = x@best_epoch,
        stop_reason = x@stop_reason,
        loss = if (nrow(best)) best$loss else NA_real_,
        val_loss = if (nrow(best)) best$val_loss else NA_real_,
        seconds = .training_seconds(x),
        device = x@device,
        version = x@version
    )
}

#' @rdname tidy.AutoencoderFit
#' @export
augment.AutoencoderFit <- function(x, newdata = NULL,
    type = c("latent", "reconstruction", "expression"), ...) {
    # the fit is checked by what each path calls (as.data.frame(),
    # predict(), reconstructionError())
    type <- .match_choice(type, "type",
        c("latent", "reconstruction", "expression"))
    if (type != "latent") {
        if (is.null(newdata)) {
            .abort("argument", "{.arg newdata} is needed for {.arg type}
                {.val {type}}: the fit keeps no expression data.")
        }
        return(.augment_genes(x, newdata, type, ...))
    }
    if (is.null(newdata)) {
        .check_no_dots(...)  # predict()'s arguments need newdata
        out <- as.data.frame(x)
        out$.nll <- reconstructionError(x)$nll
        out$.validation <- seq_len(nrow(out)) %in% x@validation
        return(out)
    }
    annotation <- if (is(newdata, "SummarizedExperiment")) {
        .plain_columns(SummarizedExperiment::colData(newdata))
    }
    both <- .latent_and_error(x, newdata, ...)
    out <- .sample_frame(both$latent, annotation)
    out$.nll <- both$nll
    out
}

# Embedding and per-sample error of new data; the arguments are
# predict()'s. The error is that of the reconstruction through the latent
# mean in the samples' own batches: `sample` and `transform_batch` change
# the embedding only. Without them both come from one pass, so that the
# data are read once.
.latent_and_error <- function(fit, newdata, assay.type = NULL,
    dimred = NULL, batch = NULL, transform_batch = NULL,
    size_factors = NULL, sample = FALSE, n_threads = 1,
    BPPARAM = BiocParallel::SerialParam(), ...) {
    .check_no_dots(...)
    if (isTRUE(sample) || !is.null(transform_batch)) {
        latent <- predict(fit, newdata, type = "latent",
            assay.type = assay.type, dimred = dimred, batch = batch,
            transform_batch = transform_batch, size_factors = size_factors,
            sample = sample, n_threads = n_threads, BPPARAM = BPPARAM)
        # without a batch, predict() takes each sample as transform_batch
        own <- batch %||% .newdata_batch(fit, newdata, NULL) %||%
            if (!is.null(transform_batch)) {
                rep(transform_batch, NCOL(newdata))
            }
        # predict() has warned of missing size factors already
        nll <- withCallingHandlers(reconstructionError(fit, newdata,
            assay.type = assay.type, dimred = dimred, batch = own,
            size_factors = size_factors, n_threads = n_threads,
            BPPARAM = BPPARAM)$nll,
            exprae_warning_size_factors = function(w) {
                invokeRestart("muffleWarning")
            })
        return(list(latent = latent, nll = nll))
    }
    fit <- .check_fit(fit)  # intact before its settings are read
    .check_sample(fit, "latent", sample)
    n_threads <- .check_count(n_threads, "n_threads")
    input <- .prediction_input(fit, newdata, assay.type, dimred, batch,
        size_factors)
    both <- .predict_columns(.fit_net(fit), input, c("latent", "nll"),
        n_threads, BPPARAM)
    list(latent = both$latent, nll = both$nll$per_sample)
}

# Observed and fitted values of new data, one row per gene and sample.
.augment_genes <- function(fit, newdata, type, ...) {
    fitted <- as.matrix(predict(fit, newdata, type = type, ...))
    args <- list(...)
    # a model of a reducedDim is compared with that reducedDim
    dimred <- if (is(newdata, "SingleCellExperiment")) {
        args$dimred %||% fit@options$dimred
    }
    observed <- .pick_matrix(newdata, args$assay.type %||%
        fit@options$assay.type %||% .default_assay(.fit_likelihood(fit)),
        dimred)
    observed <- as.matrix(.default_dimnames_raw(observed)[rownames(fitted),
        , drop = FALSE])
    data.frame(
        gene = rep(rownames(fitted), ncol(fitted)),
        sample = rep(colnames(fitted), each = nrow(fitted)),
        value = as.vector(observed),
        .fitted = as.vector(fitted)
    )
}

#' @importFrom generics tidy
#' @examples
#' # the generics' verbs work on a fit without loading broom or generics
#' fit <- trainAutoencoder(exampleALL(), ncomponents = 2, epochs = 3,
#'     n_threads = 1, verbose = FALSE)
#' glance(fit)[, c("genes", "samples", "components", "loss")]
#' @export
generics::tidy

#' @importFrom generics glance
#' @export
generics::glance

#' @importFrom generics augment
#' @export
generics::augment
