#' Which bases drive a sequence model's prediction
#'
#' In-silico mutagenesis: every position of each sequence is changed to
#' each of the other three bases, and the change in the predicted
#' probability of `class` is recorded (Alipanahi et al., Nat Biotechnol
#' 2015; Zhou and Troyanskaya, Nat Methods 2015). A large drop marks a
#' base the model relies on. Sequences are cut or padded to the fit's
#' width first, as in prediction: the bases of a longer sequence outside
#' its central `width` bases, which the model never sees, and the padding
#' of a shorter one are not scored.
#'
#' @param fit A [SequenceFit].
#' @param sequences A few sequences, as for [trainSequenceModel()]: each
#'   costs `3 * width` predictions.
#' @param class The class whose probability is followed; by default the
#'   last class (the positive one of a two-class fit).
#' @param n_threads CPU threads.
#'
#' @return A data frame with one row per sequence, position and base:
#'   `sequence`, `position` (in the sequence as given), `base`, `reference`
#'   (is it the sequence's own base?) and `score`, the probability of
#'   `class` with that base minus the sequence's own (0 for the reference
#'   base).
#' @seealso [filterMotifs()], [predict()][predict.SequenceFit]
#' @examples
#' set.seed(1)
#' x <- vapply(1:200, function(i) paste(sample(c("A", "C", "G", "T"), 30,
#'     TRUE), collapse = ""), "")
#' has <- rep(c(TRUE, FALSE), 100)
#' substr(x[has], 10, 16) <- "TGACTCA"
#' fit <- trainSequenceModel(x, factor(has), epochs = 10, verbose = FALSE,
#'     layers = list(layer_conv1d(4, 7), layer_global_max_pool()))
#' a <- attribution(fit, x[2])
#' head(a[order(a$score), ])
#' @export
attribution <- function(fit, sequences, class = NULL, n_threads = 1) {
    fit <- .check_fit(fit)
    if (!is(fit, "SequenceFit")) {
        .abort("fit", "Attribution needs a {.cls SequenceFit}, not a
            {.cls {class(fit)}}.")
    }
    classes <- fit@options$classes
    class <- class %||% classes[length(classes)]
    class <- .check_choice(class, "class", classes)
    strings <- .sequence_input_of(sequences)
    window <- .sequence_window(strings, fit@options$width)
    fitted <- .fit_width(strings, fit@options$width)
    rows <- lapply(seq_along(fitted), function(i) {
        .mutagenesis(fit, fitted[i], window[i, ], class, n_threads,
            .sequence_names(strings)[i])
    })
    do.call(rbind, rows)
}

# Where each sequence lies in the engine's `width` inputs: centred, a
# longer one keeping its central bases. `skip` bases of the sequence are
# cut before the window, `pad` empty inputs lead it, `kept` bases fill it.
.sequence_window <- function(strings, width) {
    n <- nchar(strings)
    kept <- pmin(n, width)
    data.frame(skip = pmax((n - width) %/% 2L, 0L), kept = kept,
        pad = pmax((width - kept) %/% 2L, 0L))
}

# The sequences as the engine sees them (padding reads as zeros, written
# "-").
.fit_width <- function(strings, width) {
    w <- .sequence_window(strings, width)
    cut <- substr(strings, w$skip + 1L, w$skip + w$kept)
    paste0(strrep("-", w$pad), cut, strrep("-", width - w$kept - w$pad))
}

# Each base the model sees changed to each base; positions are given in
# the sequence's own coordinates.
.mutagenesis <- function(fit, s, window, class, n_threads, name) {
    grid <- expand.grid(base = .bases, input = window$pad +
        seq_len(window$kept), stringsAsFactors = FALSE)
    mutants <- rep(s, nrow(grid))
    substr(mutants, grid$input, grid$input) <- grid$base
    probs <- .sequence_probabilities(fit, c(s, mutants), n_threads)[, class]
    own <- toupper(substring(s, grid$input, grid$input))
    data.frame(sequence = name,
        position = grid$input - window$pad + window$skip, base = grid$base,
        reference = grid$base == own, score = unname(probs[-1L] - probs[1L]))
}
