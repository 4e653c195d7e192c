#' Which bases drive a sequence model's prediction
#'
#' In-silico mutagenesis: every position of each sequence is changed to
#' each of the other three bases, and the change in the predicted
#' probability of `class` is recorded (Alipanahi et al., Nat Biotechnol
#' 2015; Zhou and Troyanskaya, Nat Methods 2015). A large drop marks a
#' base the model relies on. Sequences are cut or padded to the fit's
#' width as in prediction: the bases of a longer sequence outside its
#' central `width` bases, which the model never sees, and the padding of a
#' shorter one are not scored. (A fit on both strands centres each strand
#' on its own, so when an odd number of bases is cut the two windows are
#' a base apart, and `width + 1` bases are scored.)
#'
#' @param fit A [SequenceFit].
#' @param sequences A few sequences, as for [trainSequenceModel()]: each
#'   costs about `4 * width` predictions (each base at each position).
#'   Their names, where given, must be unique.
#' @param class The class whose probability is followed; by default the
#'   last class (the positive one of a two-class fit).
#' @param n_threads CPU threads.
#'
#' @return A data frame with one row per sequence, position and base:
#'   `sequence` (its name, or its number where it has none), `position`
#'   (in the sequence as given), `base`, `reference` (is it the sequence's
#'   own base?) and `score`, the probability of `class` with that base
#'   minus the sequence's own (0 for the reference base).
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
    n_threads <- .check_count(n_threads, "n_threads")
    strings <- .sequence_input_of(sequences)
    names <- .attribution_names(strings)
    rows <- lapply(seq_along(strings), function(i) {
        seen <- .seen_positions(nchar(strings[i]), fit@options$width,
            isTRUE(fit@options$reverse_complement))
        .mutagenesis(fit, strings[[i]], seen, class, n_threads, names[i])
    })
    do.call(rbind, rows)
}

# The names that tell the sequences' rows apart, so unique.
.attribution_names <- function(strings) {
    names <- .sequence_names(strings)
    repeated <- unique(names[duplicated(names)])
    if (length(repeated) > 0L) {
        .abort("argument", c(
            "The sequences' names must be unique: each names its rows of
            the result.",
            x = "Repeated: {.val {repeated}} (an unnamed sequence goes by
                its number).",
            i = "Give every sequence a name of its own."
        ))
    }
    names
}

# The positions of a sequence of n bases that the model sees: all of a
# shorter one, the central `width` of a longer one. The engine centres
# each strand on its own, so with both strands and an odd number of bases
# cut, the reverse strand's window is a base further right and both
# windows count.
.seen_positions <- function(n, width, both_strands) {
    seen <- .engine_seen_positions(n, width, both_strands)
    seq.int(seen[1L], seen[2L])
}

# Each base the model sees (`seen`, consecutive) changed to each base. The
# engine centres the seen bases alone as it centres the whole sequence
# (each strand on its own), so they stand for it: the mutants of a long
# sequence stay short.
.mutagenesis <- function(fit, s, seen, class, n_threads, name) {
    s <- substr(s, seen[1L], seen[length(seen)])
    grid <- expand.grid(base = .bases, input = seq_along(seen),
        stringsAsFactors = FALSE)
    mutants <- rep(s, nrow(grid))
    substr(mutants, grid$input, grid$input) <- grid$base
    probs <- .sequence_probabilities(fit, c(s, mutants), n_threads)[, class]
    own <- chartr("U", "T", toupper(substring(s, grid$input, grid$input)))
    data.frame(sequence = name, position = seen[grid$input],
        base = grid$base, reference = grid$base == own,
        score = unname(probs[-1L] - probs[1L]))
}
