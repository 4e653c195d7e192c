#' Embed or reconstruct samples with a fitted autoencoder
#'
#' Passes new samples through a fitted model. Genes are matched by name:
#' `newdata` must hold every gene of the fit (extra genes are ignored, the
#' order does not matter), and is preprocessed with the centre and scale
#' stored in the fit. Works on a fit read back with [readRDS()] in a new R
#' session.
#'
#' @param object An [AutoencoderFit].
#' @param newdata A numeric matrix, dgCMatrix or DelayedMatrix (genes x
#'   samples), a SummarizedExperiment or a SingleCellExperiment. If missing,
#'   the latent embedding of the training samples is returned.
#' @param type `"latent"` for the embedding, `"reconstruction"` for the
#'   decoder's output on the scale of the input data.
#' @param assay.type Assay of a SummarizedExperiment `newdata`; `NULL` uses
#'   the assay the model was trained on (`"logcounts"` for a matrix fit).
#' @param dimred ReducedDim of a SingleCellExperiment `newdata`, for models
#'   trained with `dimred`; `NULL` uses the one the model was trained on.
#' @param n_threads Number of CPU threads of the engine.
#' @param ... Not used.
#'
#' @return For `type = "latent"`, a numeric matrix, samples x components,
#'   with columns `AE1`, `AE2`, ... For `type = "reconstruction"`, a numeric
#'   matrix, genes x samples, with the fit's genes as row names.
#'
#'   Genes of the fit missing from `newdata` are an error of class
#'   `exprae_error_genes` that gives their number and the first few names.
#' @seealso [trainAutoencoder()]
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
#' @importFrom stats predict
#' @export
predict.AutoencoderFit <- function(object, newdata,
    type = c("latent", "reconstruction"), assay.type = NULL,
    dimred = NULL, n_threads = 1, ...) {
    if (identical(type, c("latent", "reconstruction"))) {
        type <- "latent"
    }
    type <- .check_choice(type, "type", c("latent", "reconstruction"))
    if (missing(newdata)) {
        if (type == "reconstruction") {
            .abort("argument", "{.arg newdata} is needed for
                {.code type = \"reconstruction\"}.")
        }
        return(object@embedding)
    }
    n_threads <- .check_count(n_threads, "n_threads")
    if (is(newdata, "SingleCellExperiment")) {
        dimred <- dimred %||% object@options$dimred
    }
    assay.type <- assay.type %||% object@options$assay.type %||% "logcounts"
    x <- .pick_matrix(newdata, assay.type, dimred)
    x <- .prediction_matrix(x, object@genes)
    prep <- list(center = object@center, scale = object@scale)
    .engine_output(x, prep, object@model, object@weights, type, n_threads)
}

# The engine's output in R's orientation and scale: latent as samples x
# components, reconstruction as genes x samples on the input's scale.
.engine_output <- function(x, prep, model, weights, type, n_threads) {
    out <- .call_engine(.engine_predict(x, prep$center, prep$scale, model,
        weights, type, n_threads))
    if (type == "latent") {
        out <- t(out)
        dimnames(out) <- list(colnames(x), paste0("AE", seq_len(ncol(out))))
    } else {
        out <- out * prep$scale + prep$center
        dimnames(out) <- dimnames(x)
    }
    out
}
