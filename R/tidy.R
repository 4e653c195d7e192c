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
    embedding <- x@embedding
    df <- data.frame(sample = rownames(embedding), stringsAsFactors = FALSE)
    rownames(embedding) <- NULL
    df <- cbind(df, as.data.frame(embedding, optional = TRUE))
    if (ncol(x@sample_data) > 0L) {
        df <- cbind(df, x@sample_data)
    }
    names(df) <- make.unique(names(df))
    rownames(df) <- NULL
    df
}

#' @rdname as.data.frame.AutoencoderFit
#' @export
setMethod("trainingHistory", "AutoencoderFit", function(object) {
    object@history
})
