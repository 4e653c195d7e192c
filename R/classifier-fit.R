# What a ClassifierFit prints and the tables it gives.

#' @rdname ClassifierFit
#' @param object A `ClassifierFit`.
#' @export
setMethod("show", "ClassifierFit", function(object) {
    classes <- object@options$classes
    history <- object@history
    cat("ClassifierFit:", length(object@genes), "genes ->",
        length(classes), "classes\n")
    shown <- paste(utils::head(classes, 6), collapse = ", ")
    if (length(classes) > 6L) shown <- paste0(shown, ", ...")
    cat("  classes: ", shown, "\n", sep = "")
    cat("  network: ", .describe_layers(c(object@model$encoder,
        object@model$classifier), length(object@genes)), "\n", sep = "")
    if (!is.null(object@options$class_weights)) {
        cat("  class weights:", paste(format(object@options$class_weights,
            digits = 3), collapse = ", "), "\n")
    }
    cat("  samples:", nrow(object@embedding),
        sprintf("(%d held out for validation)\n", length(object@validation)))
    cat(sprintf("  epochs:  %d of %d (%s), best epoch %d\n",
        nrow(history), object@options$epochs, object@stop_reason,
        object@best_epoch))
    .show_loss_and_device(object)
    invisible(object)
})

#' @rdname ClassifierFit
#' @export
setMethod("trainingHistory", "ClassifierFit", function(object) {
    object@history
})

#' @rdname ClassifierFit
#' @param x A `ClassifierFit`.
#' @param row.names,optional,... Not used; for compatibility with the
#'   generic.
#' @return `as.data.frame()`: one row per training sample, with its name,
#'   its class probabilities and, for a SummarizedExperiment input, its
#'   `colData` columns.
#' @export
as.data.frame.ClassifierFit <- function(x, row.names = NULL,
    optional = FALSE, ...) {
    .sample_frame(x@embedding, x@sample_data)
}
