#' Plot a fitted autoencoder
#'
#' `type = "loss"` draws the training loss and, when samples were held
#' out, the validation loss per epoch, with a dashed line at the epoch
#' whose weights were kept. `type = "latent"` draws the training samples
#' in two latent components, coloured by any column of the sample
#' annotation (the `colData` of a SummarizedExperiment input).
#' `type = "error"` draws the distribution of the training samples'
#' reconstruction error (see [reconstructionError()]), the held-out ones
#' apart: samples far in the right tail are reconstructed badly.
#'
#' For a SingleCellExperiment with the embedding stored by
#' [runAutoencoder()], scater's `plotReducedDim(sce, "AE")` works too.
#'
#' @param x An [AutoencoderFit].
#' @param y Not used.
#' @param type `"loss"`, `"latent"` or `"error"`.
#' @param colour_by For `type = "latent"`, `NULL` or the name of a column of
#'   `as.data.frame(x)` (an annotation column, or e.g. `"AE3"`); otherwise
#'   an error of class `exprae_error_argument` lists the columns.
#' @param dims For `type = "latent"`, the two components to draw.
#' @param bins For `type = "error"`, the number of histogram bins.
#' @param ... Not used: an unknown argument (e.g. a misspelt `type`) is
#'   an error of class `exprae_error_argument`.
#'
#' @return A ggplot object; print it to draw it, or add layers to it.
#' @seealso [trainingHistory()], [as.data.frame()][as.data.frame.AutoencoderFit]
#'   and [reconstructionError()] for the numbers.
#' @examples
#' fit <- trainAutoencoder(exampleALL(), ncomponents = 2, epochs = 10,
#'     n_threads = 1, verbose = FALSE)
#' plot(fit)
#' plot(fit, type = "latent", colour_by = "BT")
#' plot(fit, type = "error")
#' @importFrom ggplot2 ggplot aes geom_line geom_point geom_vline labs
#'   theme_bw .data geom_histogram
#' @export
plot.AutoencoderFit <- function(x, y, type = c("loss", "latent", "error"),
    colour_by = NULL, dims = c(1L, 2L), bins = 30L, ...) {
    .check_no_dots(...)
    type <- .match_choice(type, "type", c("loss", "latent", "error"))
    switch(type,
        loss = .plot_loss(x),
        latent = .plot_latent(x, colour_by, dims),
        error = .plot_error(x, .check_count(bins, "bins"))
    )
}

.plot_loss <- function(fit) {
    history <- fit@history
    n <- nrow(history)
    curves <- data.frame(
        epoch = rep(history$epoch, 2L),
        loss = c(history$loss, history$val_loss),
        set = factor(rep(c("training", "validation"), each = n),
            levels = c("training", "validation"))
    )
    curves <- curves[is.finite(curves$loss), , drop = FALSE]
    ggplot(curves, aes(.data$epoch, .data$loss, colour = .data$set)) +
        geom_vline(xintercept = fit@best_epoch, linetype = "dashed",
            colour = "grey60") +
        geom_line() +
        geom_point(size = 0.8) +
        labs(x = "Epoch", y = .loss_label(fit), colour = NULL,
            subtitle = sprintf("stopped: %s, best epoch %d",
                fit@stop_reason, fit@best_epoch)) +
        theme_bw()
}

# What the engine minimises: the MSE for a Gaussian model, else the
# negative log-likelihood; a variational model adds the KL term, a
# semi-supervised one the classifier's loss; a classifier minimises its
# cross-entropy alone.
.loss_label <- function(fit) {
    if (is(fit, "ClassifierFit")) {
        return("Loss (softmax cross-entropy)")
    }
    likelihood <- .fit_likelihood(fit)
    loss <- if (likelihood == "gaussian") "mean squared error" else
        paste(likelihood, "negative log-likelihood")
    if (isTRUE(fit@options$variational)) loss <- paste(loss, "+ KL")
    if (length(fit@options$classes) > 0L) {
        loss <- paste(loss, "+ classifier cross-entropy")
    }
    sprintf("Loss (%s)", loss)
}

.plot_latent <- function(fit, colour_by, dims) {
    df <- as.data.frame(fit)
    axes <- colnames(fit@embedding)[.check_dims(dims, ncol(fit@embedding))]
    mapping <- if (is.null(colour_by)) {
        aes(.data[[axes[1L]]], .data[[axes[2L]]])
    } else {
        colour_by <- .check_colour_by(colour_by, names(df))
        aes(.data[[axes[1L]]], .data[[axes[2L]]],
            colour = .data[[colour_by]])
    }
    ggplot(df, mapping) +
        geom_point(size = 1.2) +
        labs(colour = colour_by) +
        theme_bw()
}

.check_dims <- function(dims, ncomp) {
    if (ncomp < 2L) {
        .abort("argument", c(
            "A latent plot needs two components; this model has one.",
            i = "Plot {.code predict(fit)} as a strip or histogram, or
                train with {.code ncomponents = 2} or more."
        ))
    }
    if (!is.numeric(dims) || length(dims) != 2L || anyNA(dims) ||
        any(dims < 1 | dims > ncomp | dims != round(dims))) {
        .abort("argument", "{.arg dims} must be two components in
            1..{ncomp}, not {.val {dims}}.")
    }
    as.integer(dims)
}

.check_colour_by <- function(colour_by, columns) {
    if (!is.character(colour_by) || length(colour_by) != 1L ||
        !colour_by %in% columns) {
        .abort("argument", c(
            "{.arg colour_by} must name a column of the sample annotation.",
            x = "It is {.val {colour_by}}.",
            i = "Columns: {.val {columns}}."
        ))
    }
    colour_by
}

.plot_error <- function(fit, bins) {
    err <- reconstructionError(fit)
    err$set <- factor(ifelse(seq_len(nrow(err)) %in% fit@validation,
        "validation", "training"), levels = c("training", "validation"))
    ggplot(err, aes(.data$nll, fill = .data$set)) +
        geom_histogram(bins = bins, position = "stack") +
        labs(x = "Reconstruction error per sample (negative log-likelihood)",
            y = "Samples", fill = NULL) +
        theme_bw()
}
