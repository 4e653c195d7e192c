# Motifs compared with motifs (compareMotifs()) and the JASPAR files
# they are usually compared with (readJASPAR()).

#' Compare motifs by the correlation of their frequencies
#'
#' For each motif of `x`, the best match among `to`: the Pearson
#' correlation of the two PFMs' frequencies over their best ungapped
#' alignment on either strand (at least `min_overlap` positions overlap;
#' the reverse complement of `to`'s motif is tried too).
#'
#' @param x A `FilterMotifs` object or a list of PFMs (4 x width
#'   matrices, rows A, C, G, T; rows named otherwise, e.g. T, G, C, A,
#'   are put in that order). Motifs are taken by position, so names may
#'   repeat (missing ones become `motif<k>`).
#' @param to A list of PFMs (e.g. JASPAR matrices) or one PFM.
#' @param min_overlap Fewest aligned positions considered.
#'
#' @return A data frame with one row per motif of `x`: `motif`, the best
#'   `match` in `to`, the `correlation`, the `offset` of `to`'s motif in
#'   `x`'s and its `strand` (`"+"` or `"-"`).
#' @seealso [filterMotifs()]
#' @examples
#' m <- matrix(c(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0), 4,
#'     dimnames = list(c("A", "C", "G", "T"), NULL))
#' compareMotifs(list(acg = m), list(ACG = m, CGT = m[4:1, 3:1]))
#' @export
compareMotifs <- function(x, to, min_overlap = 5) {
    if (is.matrix(to)) to <- list(to)
    to <- .check_pfms(to, "to")
    if (is.list(x) && length(x) == 0L) {  # filterMotifs() found no sites
        return(data.frame(motif = character(), match = character(),
            correlation = numeric(), offset = integer(),
            strand = character()))
    }
    x <- .check_pfms(x, "x")
    names(to) <- .motif_names(to)
    names(x) <- .motif_names(x)
    min_overlap <- .check_count(min_overlap, "min_overlap")
    # by position: names may repeat (two JASPAR files) or be empty
    rows <- lapply(seq_along(x), function(a) {
        scores <- lapply(to, .best_alignment, a = x[[a]],
            min_overlap = min_overlap)
        r <- vapply(scores, `[[`, numeric(1), "correlation")
        k <- if (all(is.na(r))) 1L else which.max(r)
        data.frame(motif = names(x)[a], match = names(to)[k],
            correlation = scores[[k]]$correlation,
            offset = scores[[k]]$offset, strand = scores[[k]]$strand)
    })
    do.call(rbind, rows)
}

# A non-empty list of PFMs: numeric 4-row matrices of finite values, rows
# in the order A, C, G, T (matrices whose rows are named are put in it).
.check_pfms <- function(pfms, arg) {
    is_pfm <- function(m) {
        is.matrix(m) && is.numeric(m) && nrow(m) == 4L && ncol(m) > 0L &&
            all(is.finite(m)) && (is.null(rownames(m)) ||
            setequal(toupper(rownames(m)), .bases))
    }
    if (!is.list(pfms) || length(pfms) == 0L ||
        !all(vapply(pfms, is_pfm, logical(1)))) {
        .abort("argument", c(
            "{.arg {arg}} must be a non-empty list of position frequency
            matrices: numeric, 4 rows (A, C, G, T; named so, if named),
            finite values.",
            i = "{.fn readJASPAR} reads them from a JASPAR file;
                {.fn filterMotifs} gives a sequence model's."
        ))
    }
    lapply(pfms, function(m) {
        if (is.null(rownames(m))) m else
            m[match(.bases, toupper(rownames(m))), , drop = FALSE]
    })
}


# The motifs' names, "motif<k>" where missing or empty.
.motif_names <- function(pfms) {
    out <- names(pfms) %||% character(length(pfms))
    missing <- is.na(out) | out == ""
    out[missing] <- paste0("motif", which(missing))
    out
}

# Pearson correlation, NA where either side does not vary (a flat column
# block) instead of cor()'s warning.
.motif_correlation <- function(x, y) {
    if (stats::sd(x) == 0 || stats::sd(y) == 0) NA_real_ else stats::cor(x, y)
}

.best_alignment <- function(a, b, min_overlap) {
    best <- list(correlation = NA_real_, offset = NA_integer_, strand = NA)
    for (strand in c("+", "-")) {
        m <- if (strand == "+") b else b[rev(seq_len(4L)),
            rev(seq_len(ncol(b))), drop = FALSE]
        for (offset in seq(-(ncol(m) - 1L), ncol(a) - 1L)) {
            ia <- seq_len(ncol(a))
            ib <- ia - offset
            ok <- ib >= 1L & ib <= ncol(m)
            if (sum(ok) < min(min_overlap, ncol(a), ncol(m))) next
            r <- .motif_correlation(as.vector(a[, ia[ok]]),
                as.vector(m[, ib[ok]]))
            if (!is.na(r) && (is.na(best$correlation) ||
                r > best$correlation)) {
                best <- list(correlation = r, offset = offset,
                    strand = strand)
            }
        }
    }
    best
}

#' Read position frequency matrices in JASPAR format
#'
#' Reads a file of JASPAR matrices (a `>ID name` line, then four lines of
#' counts for A, C, G and T, with or without `A [ ... ]` around them; rows
#' with letters are taken by their letters, in any order), as
#' JASPAR distributes them and as PWMEnrich ships them
#' (`extdata/pfm_vertebrates.txt`), for [compareMotifs()].
#'
#' @param path The file.
#'
#' @return A named list (by matrix ID) of 4 x width frequency matrices
#'   (rows A, C, G, T; columns sum to 1), with attribute `"name"`: the
#'   factor names.
#' @seealso [compareMotifs()], [filterMotifs()]
#' @examples
#' path <- system.file("extdata", "pfm_vertebrates.txt",
#'     package = "PWMEnrich")
#' if (nzchar(path)) {
#'     pfms <- readJASPAR(path)
#'     pfms[["MA0139.1"]][, 1:5]  # CTCF
#' }
#' @export
readJASPAR <- function(path) {
    if (!is.character(path) || length(path) != 1L || !file.exists(path) ||
        dir.exists(path)) {
        .abort("input", "{.arg path} must name an existing file.")
    }
    lines <- readLines(path, warn = FALSE)
    line_no <- which(nzchar(trimws(lines)))  # for messages: the file's
    lines <- lines[line_no]
    heads <- grep("^>", lines)
    if (length(heads) == 0L) {
        .abort("input", c(
            "{.file {path}} holds no JASPAR matrix: no line starts with
            {.code >}.",
            i = "A matrix is a {.code >ID name} line, then four lines of
                counts for A, C, G and T."
        ))
    }
    ids <- sub("^>[[:space:]]*([^[:space:]]*).*", "\\1", lines[heads])
    if (!all(nzchar(ids))) {
        .abort("input", "The matrix header at line
            {line_no[heads[!nzchar(ids)][1]]} of {.file {path}} has no ID
            (a {.code >ID name} line).")
    }
    # every line up to the next header: a fifth row is an error, not lost
    ends <- c(heads[-1L] - 1L, length(lines))
    pfms <- lapply(seq_along(heads), function(k) {
        .jaspar_matrix(lines[seq_len(ends[k] - heads[k]) + heads[k]],
            line_no[heads[k]])
    })
    names(pfms) <- ids
    attr(pfms, "name") <- sub("^>[[:space:]]*[^[:space:]]+[[:space:]]*", "",
        lines[heads])
    pfms
}

# Four rows of counts, in the order of their letters where they have them
# ("A [ ... ]"), else A, C, G, T.
.jaspar_matrix <- function(rows, at) {
    named <- toupper(sub("^[[:space:]]*([ACGTacgt])?.*", "\\1", rows))
    fields <- lapply(rows, function(l) {
        strsplit(trimws(gsub("[][ACGTacgt]", " ", l)), "[[:space:]]+")[[1]]
    })
    number <- "^[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?$"
    counts <- lapply(fields, function(f) {
        if (length(f) > 0L && all(grepl(number, f))) as.numeric(f) else NA
    })
    m <- if (length(unique(lengths(counts))) == 1L) do.call(rbind, counts)
    ordered <- all(named == "") || setequal(named, .bases)
    if (length(rows) != 4L || is.null(m) || !ordered || anyNA(m) ||
        any(!is.finite(m) | m < 0) || any(colSums(m) <= 0)) {
        .abort("input", "The matrix after line {at} is not 4 rows (A, C, G,
            T) of counts of one width, finite, not negative, and not all 0
            at any position.")
    }
    if (all(named != "")) m <- m[match(.bases, named), , drop = FALSE]
    dimnames(m) <- list(.bases, NULL)
    sweep(m, 2L, colSums(m), "/")
}
