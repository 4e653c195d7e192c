# What a fit prints: a few lines that read well in a knitted report.
#' @rdname AutoencoderFit
#' @param object An `AutoencoderFit`.
#' @export
setMethod("show", "AutoencoderFit", function(object) {
    model <- object@model
    latent <- ncol(object@embedding)
    history <- object@history
    last <- history[nrow(history), , drop = FALSE]
    held_out <- length(object@validation)
    cat("AutoencoderFit:", length(object@genes), "genes ->", latent,
        "latent components\n")
    cat("  encoder: ", .describe_layers(model$encoder,
        length(object@genes)), "\n", sep = "")
    cat("  decoder: ", .describe_layers(model$decoder, latent), "\n",
        sep = "")
    cat("  samples:", nrow(object@embedding),
        sprintf("(%d held out for validation)\n", held_out))
    cat(sprintf("  epochs:  %d of %d (%s), best epoch %d\n",
        nrow(history), object@options$epochs, object@stop_reason,
        object@best_epoch))
    if (nrow(history) > 0L) {
        cat(sprintf("  loss:    %.4g (validation %s)\n", last$loss,
            if (is.na(last$val_loss)) "none"
            else sprintf("%.4g", last$val_loss)))
    }
    cat(sprintf("  device:  %s, %s precision, %d thread%s\n",
        object@device, object@options$precision, object@options$n_threads,
        if (object@options$n_threads == 1L) "" else "s"))
    invisible(object)
})
