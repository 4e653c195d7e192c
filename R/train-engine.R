# The engine's training call from R: the data handed over (in memory or
# streamed), a progress bar per epoch, and warnings for how training
# stopped.

# Trains with a progress bar tied to this frame.
.run_engine <- function(x, prep, model, options, weights = NULL,
    verbose = TRUE) {
    callback <- if (verbose) .progress_callback(options$epochs) else NULL
    result <- .with_engine_data(x, options$batch_size, function(data) {
        .call_engine(.engine_fit(data, prep$center, prep$scale, model,
            options, weights, callback))
    })
    .warn_stop_reason(result)
    result
}

# The stop reasons that need the user's attention are classed warnings;
# the fit is returned all the same.
.warn_stop_reason <- function(result) {
    last <- max(0L, result$history$epoch)
    if (identical(result$stop_reason, "interrupted")) {
        .warn("interrupted", c(
            "Training was interrupted after epoch {last}.",
            i = "The fit keeps the weights reached so far."
        ))
    } else if (identical(result$stop_reason, "non_finite") &&
        isTRUE(result$best_epoch == 0)) {
        # values beyond single precision, or steps that diverge at once
        .warn("non_finite", c(
            "The loss was NaN or infinite before the first epoch ended;
            training stopped.",
            i = "The fit keeps its untrained initial weights.",
            i = "Values too large for single-precision arithmetic do this
                (log-transform or rescale the data, or use
                {.code scale = TRUE} or {.code precision = \"double\"}),
                as does a {.arg learning_rate} so large that the first
                steps diverge (use a smaller one, or {.arg clip_norm})."
        ))
    } else if (identical(result$stop_reason, "non_finite")) {
        .warn("non_finite", c(
            "The loss became NaN or infinite; training stopped.",
            i = "The fit keeps the weights of epoch {result$best_epoch}.",
            i = "Try a smaller {.arg learning_rate}, {.arg clip_norm} or
                {.code scale = TRUE}."
        ))
    }
    invisible(result)
}

.progress_callback <- function(epochs, .envir = parent.frame()) {
    id <- cli::cli_progress_bar(
        total = epochs, clear = TRUE, .envir = .envir,
        format = paste(
            "Epoch {cli::pb_current}/{cli::pb_total} {cli::pb_bar}",
            "loss {cli::pb_extra$loss} val_loss {cli::pb_extra$val_loss}",
            "| ETA {cli::pb_eta}"
        ),
        extra = list(loss = "-", val_loss = "-")
    )
    function(epoch, epochs, loss, val_loss) {
        cli::cli_progress_update(id = id, set = epoch, .envir = .envir,
            extra = list(loss = .format_loss(loss),
                val_loss = .format_loss(val_loss)))
    }
}

.format_loss <- function(loss) {
    if (is.na(loss)) "-" else format(signif(loss, 4))
}
