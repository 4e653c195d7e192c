# Classed conditions. Every error of the package has class
# c("exprae_error_<kind>", "exprae_error") so that callers and tests can
# catch one kind; messages name the argument and the value that was given.
# `call = NULL`: the message itself names the argument, and the internal
# helper that happened to detect the problem means nothing to the user.

.abort <- function(kind, message, ..., .envir = parent.frame()) {
    cli::cli_abort(
        message, ...,
        class = c(paste0("exprae_error_", kind), "exprae_error"),
        call = NULL, .envir = .envir
    )
}

.warn <- function(kind, message, ..., .envir = parent.frame()) {
    cli::cli_warn(
        message, ...,
        class = c(paste0("exprae_warning_", kind), "exprae_warning"),
        .envir = .envir
    )
}

.is_count <- function(x, min = 1) {
    is.numeric(x) && length(x) == 1L && !is.na(x) && is.finite(x) &&
        x == round(x) && x >= min && x <= .Machine$integer.max
}

.check_count <- function(x, arg, min = 1) {
    if (!.is_count(x, min)) {
        max <- .Machine$integer.max
        .abort("argument",
            "{.arg {arg}} must be a whole number in [{min}, {max}], not
            {.val {x}}.")
    }
    as.integer(x)
}

# A number in [lower, upper]; `open` names the ends that are excluded.
.check_number <- function(x, arg, lower = -Inf, upper = Inf,
    open = character()) {
    ok <- is.numeric(x) && length(x) == 1L && !is.na(x) && is.finite(x)
    if (ok) {
        ok <- (if ("lower" %in% open) x > lower else x >= lower) &&
            (if ("upper" %in% open) x < upper else x <= upper)
    }
    if (!ok) {
        left <- if ("lower" %in% open) "(" else "["
        right <- if ("upper" %in% open) ")" else "]"
        range <- paste0(left, lower, ", ", upper, right)
        .abort("argument",
            "{.arg {arg}} must be a number in {range}, not {.val {x}}.")
    }
    as.numeric(x)
}

.check_choice <- function(x, arg, choices) {
    if (!is.character(x) || length(x) != 1L || !x %in% choices) {
        .abort("argument", c(
            "{.arg {arg}} must be one of {.or {.val {choices}}}.",
            x = "It is {.val {x}}."
        ))
    }
    x
}

.check_flag <- function(x, arg) {
    if (!is.logical(x) || length(x) != 1L || is.na(x)) {
        .abort("argument",
            "{.arg {arg}} must be TRUE or FALSE, not {.val {x}}.")
    }
    x
}

# The engine throws plain R errors whose message starts "exprae engine:";
# they reach the user as classed conditions that keep the original as
# parent: a GPU out of memory as exprae_error_out_of_memory (and
# exprae_error_device), anything else as exprae_error_engine.
.call_engine <- function(expr) {
    tryCatch(expr, error = function(e) {
        if (inherits(e, "exprae_error")) stop(e)
        msg <- conditionMessage(e)
        if (grepl("CUDA out of memory", msg, fixed = TRUE)) {
            .abort(c("out_of_memory", "device"), c(
                "The GPU ran out of memory.", x = "{msg}",
                i = "Try a smaller {.arg batch_size} or
                    {.code device = \"cpu\"}."
            ), parent = e)
        }
        .abort("engine", c("The exprae engine stopped.", x = "{msg}"),
            parent = e)
    })
}
