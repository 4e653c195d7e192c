#' exprae: autoencoders for expression matrices
#'
#' exprae trains autoencoders on expression matrices with its own C++
#' engine (tensors, an autograd tape and Eigen kernels), so it needs no
#' Python, no libtorch and no download. It follows the calculateX/runX
#' pattern of scater:
#'
#' * [trainAutoencoder()] fits a model and returns an [AutoencoderFit].
#' * [calculateAutoencoder()] returns the samples x latent embedding.
#' * [runAutoencoder()] stores it as a `reducedDim` of a
#'   SingleCellExperiment.
#' * [predict()][predict.AutoencoderFit] embeds or reconstructs new
#'   samples, [as.data.frame()][as.data.frame.AutoencoderFit],
#'   [trainingHistory()] and [plot()][plot.AutoencoderFit]
#'   turn a fit into tables and figures.
#'
#' [exampleALL()] loads the bundled example data (1000 genes x 128 leukaemia
#' samples).
#'
#' @keywords internal
#' @useDynLib exprae, .registration = TRUE
#' @importFrom Rcpp sourceCpp
#' @importFrom methods as is new validObject callNextMethod setClass
#'   setGeneric setMethod setValidity show
#' @importClassesFrom Matrix dgCMatrix
#' @importClassesFrom SummarizedExperiment SummarizedExperiment
#' @importClassesFrom SingleCellExperiment SingleCellExperiment
"_PACKAGE"
