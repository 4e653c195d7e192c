#' Plot the loss curves of a fitted autoencoder
#'
#' Draws the training loss and, when samples were held out, the validation
#' loss per epoch, with a dashed line at the epoch whose weights were kept.
#'
#' @param x An [AutoencoderFit].
#' @param y Not used.
#' @param ... Not used.
#'
#' @return A ggplot object; print it to draw it, or add layers to it.
#' @seealso [trainingHistory()] for the numbers.
#' @examples
#' fit <- trainAutoencoder(exampleALL(), ncomponents = 2, epochs = 10,
#'     verbose = FALSE)
#' plot(fit)
#' @importFrom ggplot2 ggplot aes geom_line geom_point geom_vline labs
#'   theme_bw .data
#' @export
plot.AutoencoderFit <- function(x, y, ...) {
    history <- x@history
    n <- nrow(history)
    curves <- data.frame(
        epoch = rep(history$epoch, 2L),
        loss = c(history$loss, history$val_loss),
        set = factor(rep(c("training", "validation"), each = n),
            levels = c("training", "validation"))
    )
    curves <- curves[is.finite(curves$loss), , drop = FALSE]
    ggplot(curves, aes(.data$epoch, .data$loss, colour = .data$set)) +
        geom_vline(xintercept = x@best_epoch, linetype = "dashed",
            colour = "grey60") +
        geom_line() +
        geom_point(size = 0.8) +
        labs(x = "Epoch", y = "Loss (mean squared error)",
            colour = NULL,
            subtitle = sprintf("stopped: %s, best epoch %d",
                x@stop_reason, x@best_epoch)) +
        theme_bw()
}
