#' Is a CUDA GPU available to exprae?
#'
#' Reports whether this installation of exprae can train on an NVIDIA GPU:
#' it must have been built with CUDA (`configure` finds the CUDA toolkit;
#' see the README) and the machine must have a GPU and a driver that
#' matches. [cudaDevices()] lists the GPUs.
#'
#' @return `TRUE`, or `FALSE` with an attribute `"reason"` (a string) that
#'   says why: a build without CUDA, no GPU, or a driver that is too old.
#' @seealso [cudaDevices()]; the `device` argument of [trainAutoencoder()].
#' @export
#' @examples
#' cudaAvailable()
#' attr(cudaAvailable(), "reason")
cudaAvailable <- function() {
    info <- .engine_cuda_info()
    if (isTRUE(info$available)) {
        return(TRUE)
    }
    structure(FALSE, reason = info$reason)
}

#' The CUDA GPUs exprae can use
#'
#' Lists the GPUs that this installation of exprae sees, one row per
#' device, with what decides whether and how fast it trains: its memory,
#' compute capability and the CUDA driver and runtime versions.
#'
#' @return A data.frame with one row per GPU (none when [cudaAvailable()]
#'   is `FALSE`) and the columns `device` (the value for the `device`
#'   argument, `"cuda:0"`, ...), `name`, `memory_gb` (total memory in GB),
#'   `compute_capability` (e.g. `"9.0"`), `multiprocessors`,
#'   `driver_version` and `runtime_version` (e.g. `"13.0"`, `NA` when
#'   unknown).
#' @seealso [cudaAvailable()]
#' @export
#' @examples
#' cudaDevices()
cudaDevices <- function() {
    info <- .engine_cuda_info()
    devices <- info$devices
    version <- function(v) {
        if (v > 0) sprintf("%d.%d", v %/% 1000, (v %% 1000) %/% 10)
        else NA_character_
    }
    pick <- function(field, type) vapply(devices, `[[`, type, field)
    data.frame(
        device = sprintf("cuda:%d", pick("index", integer(1))),
        name = pick("name", character(1)),
        memory_gb = round(pick("memory", numeric(1)) / 1e9, 1),
        compute_capability = sprintf("%d.%d", pick("major", integer(1)),
            pick("minor", integer(1))),
        multiprocessors = pick("multiprocessors", integer(1)),
        driver_version = rep(version(info$driver_version), length(devices)),
        runtime_version = rep(version(info$runtime_version),
            length(devices)),
        stringsAsFactors = FALSE
    )
}

# Resolves the user's `device` to "cpu" or "cuda:N". "auto" takes the
# first GPU when one can be used (and the precision is not "double", which
# GPUs do not train in), else the CPU, saying why when this build has CUDA
# and `verbose`; a CUDA device that cannot be used is an error, never a
# silent fallback.
.resolve_device <- function(device, precision = "float", verbose = FALSE) {
    if (!is.character(device) || length(device) != 1L || is.na(device) ||
        !grepl("^(auto|cpu|cuda|cuda:[0-9]+)$", device)) {
        .abort("argument", c(
            "{.arg device} must be {.val auto}, {.val cpu}, {.val cuda} or
            {.val cuda:N}.",
            x = "It is {.val {device}}."
        ))
    }
    if (device == "cpu") {
        return("cpu")
    }
    info <- .engine_cuda_info()
    if (device == "auto") {
        return(.auto_device(info, precision, verbose))
    }
    .check_cuda_device(device, info, precision)
}

.auto_device <- function(info, precision, verbose) {
    if (isTRUE(info$available) && !identical(precision, "double")) {
        return("cuda:0")
    }
    if (isTRUE(info$built) && isTRUE(verbose)) {
        why <- if (isTRUE(info$available)) {
            "GPUs train in single precision, not {.val double}."
        } else {
            info$reason
        }
        cli::cli_inform(c("Training on the CPU.", i = why),
            class = "exprae_message_device")
    }
    "cpu"
}

.check_cuda_device <- function(device, info, precision) {
    if (!isTRUE(info$available)) {
        reason <- info$reason
        .abort("device", c(
            "{.arg device} is {.val {device}}, but CUDA is not available.",
            i = "{reason}",
            i = "Use {.code device = \"cpu\"} or {.code device = \"auto\"}."
        ))
    }
    index <- if (device == "cuda") 0L else as.integer(sub("cuda:", "", device))
    count <- length(info$devices)
    if (index >= count) {
        .abort("device", c(
            "{.arg device} is {.val {device}}, but there is no such GPU.",
            i = "This machine has {count} GPU{?s}: {.val cuda:0} to
                {.val {paste0('cuda:', count - 1L)}} (see
                {.fn cudaDevices})."
        ))
    }
    if (identical(precision, "double")) {
        .abort("argument", c(
            "{.code precision = \"double\"} runs on the CPU only.",
            i = "Use {.val float} or {.val tf32} on a GPU, or
                {.code device = \"cpu\"}."
        ))
    }
    paste0("cuda:", index)
}

# Which compiled set of the engine's CPU kernels trains on this machine
# ("avx512", "avx2+fma" or "generic"), for the fit to record: the sets may
# differ in the last bits. NULL for a fit trained on a GPU.
.cpu_kernels <- function(device) {
    if (identical(device, "cpu")) .engine_info()$kernels else NULL
}
