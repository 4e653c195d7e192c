#' Is a CUDA GPU available to exprae?
#'
#' Reports whether this build of exprae can train on an NVIDIA GPU. This
#' build has only the CPU backend, so the answer is always `FALSE`; the
#' attribute `"reason"` says why.
#'
#' @return `TRUE` or `FALSE`, with an attribute `"reason"` (a string) when
#'   `FALSE`.
#' @seealso The `device` argument of [trainAutoencoder()].
#' @export
#' @examples
#' cudaAvailable()
#' attr(cudaAvailable(), "reason")
cudaAvailable <- function() {
    structure(FALSE, reason = "exprae was built without CUDA support.")
}

# Resolves the user's `device` to the device the engine runs on: "auto"
# takes the CPU silently where no GPU can be used; a CUDA device that is
# not there is an error, never a silent fallback.
.resolve_device <- function(device) {
    if (!is.character(device) || length(device) != 1L || is.na(device) ||
        !grepl("^(auto|cpu|cuda|cuda:[0-9]+)$", device)) {
        .abort("argument", c(
            "{.arg device} must be {.val auto}, {.val cpu}, {.val cuda} or
            {.val cuda:N}.",
            x = "It is {.val {device}}."
        ))
    }
    if (device %in% c("auto", "cpu")) {
        return("cpu")
    }
    cuda <- cudaAvailable()
    if (!isTRUE(cuda)) {
        reason <- attr(cuda, "reason")
        .abort("device", c(
            "{.arg device} is {.val {device}}, but CUDA is not available.",
            i = "{reason}",
            i = "Use {.code device = \"cpu\"} or {.code device = \"auto\"}."
        ))
    }
    device
}
