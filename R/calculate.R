#' Latent embedding of an autoencoder
#'
#' `calculateAutoencoder()` trains an autoencoder with [trainAutoencoder()]
#' and returns the latent embedding of the samples. `runAutoencoder()`
#' stores it in a SingleCellExperiment as a `reducedDim`, like scater's
#' `runPCA()`.
#'
#' @param x For `calculateAutoencoder()`, anything [trainAutoencoder()]
#'   takes: a numeric matrix, dgCMatrix or DelayedMatrix (genes x samples),
#'   a SummarizedExperiment or a SingleCellExperiment. For
#'   `runAutoencoder()`, a SingleCellExperiment; a SummarizedExperiment is
#'   converted to one, and other inputs are an error of class
#'   `exprae_error_input` (use `calculateAutoencoder()` for matrices).
#' @param ... Arguments of [trainAutoencoder()], e.g. `ncomponents`,
#'   `assay.type`, `ntop`, `epochs`.
#' @param name Name of the `reducedDim` to store the embedding in.
#'
#' @return `calculateAutoencoder()`: a numeric matrix, samples x
#'   components, with columns `AE1`, `AE2`, ... and the [AutoencoderFit] in
#'   the attribute `"fit"`. `runAutoencoder()`: `x` as a
#'   SingleCellExperiment with that matrix (attribute included) as
#'   `reducedDim(x, name)`.
#' @seealso [trainAutoencoder()] for the options, and for the fit alone.
#' @name calculateAutoencoder
#' @aliases calculateAutoencoder,ANY-method
#' @examples
#' se <- exampleALL()
#' emb <- calculateAutoencoder(se, ncomponents = 2, epochs = 5,
#'     verbose = FALSE)
#' head(emb)
#'
#' sce <- as(se, "SingleCellExperiment")
#' sce <- runAutoencoder(sce, ncomponents = 2, epochs = 5, verbose = FALSE)
#' SingleCellExperiment::reducedDimNames(sce)
#' attr(SingleCellExperiment::reducedDim(sce, "AE"), "fit")
NULL

#' @rdname calculateAutoencoder
#' @export
setMethod("calculateAutoencoder", "ANY", function(x, ...) {
    fit <- trainAutoencoder(x, ...)
    embedding <- fit@embedding
    attr(embedding, "fit") <- fit
    embedding
})

#' @rdname calculateAutoencoder
#' @export
setMethod("runAutoencoder", "SingleCellExperiment",
    function(x, ..., name = "AE") {
        if (!is.character(name) || length(name) != 1L || is.na(name)) {
            .abort("argument", "{.arg name} must be a string, not
                {.val {name}}.")
        }
        embedding <- calculateAutoencoder(x, ...)
        rownames(embedding) <- colnames(x)
        SingleCellExperiment::reducedDim(x, name) <- embedding
        x
    })

#' @rdname calculateAutoencoder
#' @export
setMethod("runAutoencoder", "SummarizedExperiment",
    function(x, ..., name = "AE") {
        runAutoencoder(as(x, "SingleCellExperiment"), ..., name = name)
    })

#' @rdname calculateAutoencoder
#' @export
setMethod("runAutoencoder", "ANY", function(x, ..., name = "AE") {
    .abort("input", c(
        "{.fn runAutoencoder} stores the embedding in a
        SingleCellExperiment.",
        x = "{.arg x} is a {.cls {class(x)}}.",
        i = "Use {.fn calculateAutoencoder} for a matrix."
    ))
})
