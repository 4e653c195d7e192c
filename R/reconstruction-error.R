#' Reconstruction error of each sample or gene
#'
#' The negative log-likelihood (NLL) of the data under a fitted model's
#' reconstruction (through the latent mean), summed over the genes for each
#' sample or averaged over the samples for each gene. A sample the model
#' reconstructs badly stands out: the per-sample NLL is an anomaly score.
#'
#' For count models the NLL is that of the likelihood (Poisson, NB or
#' ZINB, constants included, so it equals `-dnbinom(log = TRUE)` and the
#' like). For Gaussian models it is half the squared error in the space
#' the model was trained in, i.e. after centring (and scaling, with
#' `scale = TRUE`).
#'
#' @param object An [AutoencoderFit].
#' @param newdata `NULL` for the training samples (the error computed when
#'   the model was trained), or new data as for
#'   [predict()][predict.AutoencoderFit].
#' @param by `"sample"` or `"gene"`.
#' @param assay.type,dimred,batch,size_factors,n_threads,BPPARAM As for
#'   [predict()][predict.AutoencoderFit].
#' @param ... Not used: an argument not named above is an error.
#'
#' @return A data frame: for `by = "sample"`, columns `sample` (the sample
#'   names) and `nll` (summed over genes); for `by = "gene"`, columns
#'   `gene` and `nll` (mean over samples).
#' @seealso [predict()][predict.AutoencoderFit], [trainAutoencoder()]
#' @name reconstructionError
#' @aliases reconstructionError,AutoencoderFit-method
#' @examples
#' se <- exampleALL()
#' fit <- trainAutoencoder(se, ncomponents = 2, epochs = 3, n_threads = 1,
#'     verbose = FALSE)
#' err <- reconstructionError(fit)
#' head(err[order(-err$nll), ])
#' head(reconstructionError(fit, se[, 1:10], by = "gene"))
NULL

#' @rdname reconstructionError
#' @export
setMethod("reconstructionError", "AutoencoderFit", function(object,
    newdata = NULL, by = c("sample", "gene"), assay.type = NULL,
    dimred = NULL, batch = NULL, size_factors = NULL, n_threads = 1,
    BPPARAM = BiocParallel::SerialParam(), ...) {
    .check_no_dots(...)
    object <- .check_fit(object)
    by <- .match_choice(by, "by", c("sample", "gene"))
    if (is.null(newdata)) {
        nll <- object@options$training_error
        samples <- rownames(object@embedding)
        if (is.null(nll)) {
            .abort("argument", c(
                "This fit keeps no training error (an older exprae made
                it).",
                i = "Give {.arg newdata}, e.g. the training data."
            ))
        }
    } else {
        n_threads <- .check_count(n_threads, "n_threads")
        input <- .prediction_input(object, newdata, assay.type, dimred,
            batch, size_factors)
        nll <- .predict_columns(.fit_net(object), input, "nll", n_threads,
            BPPARAM)$nll
        samples <- colnames(input$x)
    }
    if (by == "sample") {
        return(data.frame(sample = samples, nll = nll$per_sample))
    }
    data.frame(gene = object@genes, nll = nll$per_gene)
})

#' @rdname reconstructionError
#' @export
setMethod("reconstructionError", "ANY", function(object, ...) {
    .abort_not_autoencoder(object, "reconstructionError")
})
