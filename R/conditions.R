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
        # an infinite end is never reached (the number must be finite)
        left <- if ("lower" %in% open || lower == -Inf) "(" else "["
        right <- if ("upper" %in% open || upper == Inf) ")" else "]"
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

# A method whose `...` is only there for its generic: a misspelt or
# unknown argument is named instead of ignored. `.known` (the function's
# own arguments) lets a misspelling be answered with the name it was
# probably meant to be; `.se_only` names the arguments of the methods for
# a SummarizedExperiment or SingleCellExperiment (by the class that takes
# them), which a matrix's method does not take.
.check_no_dots <- function(..., .known = NULL, .se_only = NULL) {
    if (...length() == 0L) {
        return(invisible())
    }
    given <- names(list(...)) %||% rep("", ...length())
    given[given == ""] <- "(unnamed)"
    se_only <- intersect(given, names(.se_only))
    if (length(se_only) > 0L) {
        arg <- se_only[1L]
        .abort("argument", c(
            "{.arg {arg}} applies to a {(.se_only[[arg]])} input, not to a
            matrix.",
            i = "Give the {(.se_only[[arg]])} as {.arg x}."
        ))
    }
    meant <- .closest_names(given, .known)
    .abort("argument", c(
        "Unknown argument{?s}: {.arg {given}}.",
        i = if (length(meant) > 0L) "Did you mean {.arg {meant}}?",
        i = "See the help page for the arguments this method takes."
    ))
}

# The arguments only the methods for a SummarizedExperiment (assay.type)
# or a SingleCellExperiment (dimred) take, by that class.
.se_arguments <- c(assay.type = "SummarizedExperiment",
    dimred = "SingleCellExperiment")

# For each name, the known name it is probably a misspelling of: the
# closest, at most two edits and fewer than half its letters away (so
# that a short name suggests nothing rather than anything).
.closest_names <- function(given, known) {
    known <- setdiff(known, c("...", "x", given))
    if (length(known) == 0L) {
        return(character())
    }
    distance <- utils::adist(given, known)
    best <- apply(distance, 1L, which.min)
    d <- distance[cbind(seq_along(given), best)]
    unique(known[best][d <= 2 & d < nchar(given) / 2])
}

# Required arguments left out (R's own error is not classed): `missing`
# is a named logical vector, TRUE for each argument not given.
.check_required <- function(missing) {
    left_out <- names(missing)[missing]
    if (length(left_out) > 0L) {
        .abort("argument", c(
            "{.arg {left_out}} {?is/are} missing, with no default.",
            i = "See the help page for what to give."
        ))
    }
}

# A wrapper that sets some of predict()'s arguments itself: the same
# argument in `...` would reach predict() twice.
.check_dots_exclude <- function(fixed, ...) {
    given <- intersect(names(list(...)), fixed)
    if (length(given) > 0L) {
        .abort("argument", c(
            "{.arg {given}} cannot be given here: this function sets it.",
            i = "Call {.fn predict} for other values of {.arg {given}}."
        ))
    }
}

# Values named by sample (labels, size factors, batches; a sequence
# model's labels, named by sequence: `unit = "sequence"`) are taken in
# order, as every vector is; a value named after one sample but at
# another's place (reordered, shifted, some of them) is a mistake to say,
# not to guess. Names that are no sample's (empty, stale after renaming)
# or that name several values (data sets bound, then their samples made
# unique) say nothing of the order.
.check_sample_order <- function(values, samples, arg, reorder,
    kind = arg, unit = "sample") {
    named <- names(values)
    if (is.null(samples) || is.null(named) ||
        length(named) != length(samples)) {
        return(invisible())
    }
    keys <- named %in% samples & !named %in% named[duplicated(named)]
    misplaced <- which(keys & named != samples)
    if (length(misplaced) > 0L) {
        at <- misplaced[1L]
        .abort(kind, c(
            "{.arg {arg}} are named by {unit}, but not as the {unit}s are,
            in order.",
            x = "Taken in order, as every vector is, they would go with
                the wrong {unit}s: value {at} is named {.val {named[at]}},
                {unit} {at} is {.val {samples[at]}}.",
            i = "Reorder them first, e.g. {.code {reorder}}."
        ))
    }
}

# What each of the engine's exception types means to an R user. Rcpp gives
# an error thrown in C++ the class of its C++ type (src/engine/errors.h),
# so the kinds are told apart by class, never by the message.
.engine_error_kinds <- list(
    "exprae::OutOfMemory" = c("out_of_memory", "device"),
    "std::bad_alloc" = "out_of_memory",
    "exprae::DeviceError" = "device",
    "exprae::BadInput" = "input",
    "exprae::BadArgument" = "argument",
    "std::invalid_argument" = "argument"
)

.engine_error_headlines <- c(
    out_of_memory = "The exprae engine ran out of memory.",
    device = "The device failed or cannot be used.",
    input = "The exprae engine cannot use these data.",
    argument = "The exprae engine refused a setting.",
    engine = "The exprae engine stopped."
)

# Runs an engine call. Its errors reach the user as classed conditions
# that keep the original as parent: exprae_error_<kind> (out_of_memory,
# device, input, argument, from the C++ type) and exprae_error_engine.
.call_engine <- function(expr) {
    tryCatch(expr, error = function(e) {
        if (inherits(e, "exprae_error")) stop(e)
        known <- intersect(class(e), names(.engine_error_kinds))
        kind <- if (length(known) > 0L) .engine_error_kinds[[known[1L]]]
        msg <- conditionMessage(e)
        headline <- .engine_error_headlines[[kind[1L] %||% "engine"]]
        hint <- if ("out_of_memory" %in% kind) {
            c(i = "Try a smaller {.arg batch_size}, fewer genes, smaller
                layers ({.arg hidden}, {.arg layers}), or
                {.code device = \"cpu\"} when a GPU ran out.")
        }
        .abort(c(kind, "engine"), c(headline, x = "{msg}", hint), parent = e)
    })
}
