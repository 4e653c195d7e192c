# Generics of exprae. Methods for ANY (matrix-like), SummarizedExperiment
# and SingleCellExperiment only pick the matrix; the work is done once, in
# a private function (scater's calculateX/runX pattern).

#' @export
#' @rdname trainAutoencoder
setGeneric("trainAutoencoder", function(x, ...) {
    standardGeneric("trainAutoencoder")
})

#' @export
#' @rdname calculateAutoencoder
setGeneric("calculateAutoencoder", function(x, ...) {
    standardGeneric("calculateAutoencoder")
})

#' @export
#' @rdname calculateAutoencoder
setGeneric("runAutoencoder", function(x, ...) {
    standardGeneric("runAutoencoder")
})

#' @export
#' @rdname as.data.frame.AutoencoderFit
setGeneric("trainingHistory", function(object) {
    standardGeneric("trainingHistory")
})

#' @export
#' @rdname reconstructionError
setGeneric("reconstructionError", function(object, ...) {
    standardGeneric("reconstructionError")
})

#' @export
#' @rdname calculateDenoised
setGeneric("calculateDenoised", function(x, ...) {
    standardGeneric("calculateDenoised")
})

#' @export
#' @rdname calculateDenoised
setGeneric("runDenoised", function(x, ...) {
    standardGeneric("runDenoised")
})

#' @export
#' @rdname geneDispersion
setGeneric("geneDispersion", function(object, ...) {
    standardGeneric("geneDispersion")
})

#' @export
#' @rdname trainClassifier
setGeneric("trainClassifier", function(x, ...) {
    standardGeneric("trainClassifier")
})
