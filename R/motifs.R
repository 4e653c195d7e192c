#' The motifs a sequence model's first layer learned
#'
#' Each filter of the first convolution is turned into a position
#' frequency matrix (PFM) the way Basset (Kelley et al., Genome Res 2016)
#' does: every window of `sequences` where the filter's activation reaches
#' `threshold` times its largest activation over `sequences` counts as a
#' site, and the sites' bases are counted per position and divided by the
#' number of sites. Filters that no window activates give no motif.
#'
#' @param fit A [SequenceFit] whose first layer is [layer_conv1d()].
#' @param sequences Sequences to scan, as for [trainSequenceModel()]
#'   (typically the training sequences), cut or padded to the fit's width.
#' @param threshold Share of a filter's largest activation that a window
#'   must reach to count, in (0, 1\].
#' @param chunk Sequences scanned at a time (memory: about
#'   `chunk * width * 4 * filter width` numbers).
#'
#' @return A `FilterMotifs` object: a named list of PFMs, each a 4 x
#'   filter-width matrix (rows A, C, G, T; columns positions; columns sum
#'   to 1; a position that every site had in the padding of a sequence
#'   shorter than the fit's width is 0.25 for each base; a filter with
#'   dilation d reads every d-th base, so its PFM spans (width - 1) d + 1
#'   positions and those between its taps are 0.25 each), with attributes
#'   `sites` (windows counted per filter) and `max_activation`.
#'   `as.data.frame()` gives it in long form (`filter`, `position`,
#'   `base`, `frequency`, `information`), `plot()` draws sequence logos.
#' @seealso [trainSequenceModel()], [compareMotifs()]
#' @examples
#' set.seed(1)
#' x <- vapply(1:200, function(i) paste(sample(c("A", "C", "G", "T"), 40,
#'     TRUE), collapse = ""), "")
#' has <- rep(c(TRUE, FALSE), 100)
#' substr(x[has], 15, 21) <- "TGACTCA"
#' fit <- trainSequenceModel(x, factor(has), epochs = 10, verbose = FALSE,
#'     layers = list(layer_conv1d(4, 7), layer_global_max_pool()))
#' motifs <- filterMotifs(fit, x)
#' motifs[[1]]
#' plot(motifs)
#' @export
filterMotifs <- function(fit, sequences, threshold = 0.5, chunk = 500) {
    if (!is(fit, "SequenceFit")) {
        .abort("fit", "Motifs come from a {.cls SequenceFit}, not a
            {.cls {class(fit)[1L]}}.")
    }
    if (missing(sequences)) {
        .abort("argument", "{.arg sequences} are needed: the filters'
            sites are found in them (typically the training sequences).")
    }
    fit <- .check_fit(fit)
    layer <- .first_conv_layer(fit)
    threshold <- .check_number(threshold, "threshold", 0, 1,
        open = "lower")
    chunk <- .check_count(chunk, "chunk")
    strings <- .sequence_input_of(sequences)
    w <- fit@weights[["encoder.1.weight"]]
    b <- fit@weights[["encoder.1.bias"]]
    chunks <- split(seq_along(strings), ceiling(seq_along(strings) / chunk))
    # the top must be known before the sites: several chunks are cut into
    # windows twice (to bound memory), a single one once
    one <- if (length(chunks) == 1L) .conv_windows(strings, fit, layer)
    windows <- function(rows) one %||% .conv_windows(strings[rows], fit, layer)
    # a window of padding only reads the bias: neither the top nor a site
    top <- Reduce(pmax, lapply(chunks, function(rows) {
        win <- windows(rows)
        act <- w %*% win[, colSums(win) > 0, drop = FALSE] + as.vector(b)
        if (ncol(act) == 0L) rep(-Inf, nrow(w)) else apply(act, 1L, max)
    }), -Inf)
    found <- lapply(chunks, function(rows) {
        win <- windows(rows)
        act <- w %*% win + as.vector(b)
        hit <- (act >= threshold * top & top > 0) * 1
        list(counts = win %*% t(hit),
            sites = as.vector(hit %*% (colSums(win) > 0)))
    })
    .filter_motifs(Reduce(`+`, lapply(found, `[[`, "counts")),
        Reduce(`+`, lapply(found, `[[`, "sites")), layer$width, top,
        layer$dilation)
}

# A dilated filter's taps (columns of m) at their places in the span it
# reads, the bases between them, which it does not read, 0.25 each.
.spread_taps <- function(m, dilation) {
    if (dilation == 1L) {
        return(m)
    }
    span <- matrix(0.25, 4L, (ncol(m) - 1L) * dilation + 1L,
        dimnames = dimnames(m))
    span[, 1L + (seq_len(ncol(m)) - 1L) * dilation] <- m
    span
}

# The first layer, which must be a convolution.
.first_conv_layer <- function(fit) {
    layer <- fit@model$encoder[[1L]]
    if (!identical(layer$type, "conv1d")) {
        .abort("argument", c(
            "The fit's first layer is a {.val {layer$type}} layer, not a
            convolution: it has no filters to read motifs from.",
            i = "Motifs need {.code layer_conv1d()} as the first layer."
        ))
    }
    layer
}

# Every window a first-layer filter reads (4 * width x windows): the
# engine's one-hot sequences cut by its own im2col, as the layer pads and
# reads them (column c + 4 k: tap k, base c).
.conv_windows <- function(strings, fit, layer) {
    .call_engine(.engine_conv_windows(.engine_sequences(strings,
        fit@options$width, FALSE), layer$width, layer$stride,
        layer$dilation, identical(layer$padding, "same")))
}

# counts: the sites' bases (4 * width x filters); sites: how many.
.filter_motifs <- function(counts, sites, width, top, dilation = 1L) {
    motifs <- lapply(seq_len(ncol(counts)), function(f) {
        m <- matrix(counts[, f], 4L, width,
            dimnames = list(.bases, NULL))
        if (sites[f] == 0) return(m)
        m <- sweep(m, 2L, pmax(colSums(m), 1e-12), "/")
        # a position every site had in the padding says nothing of the bases
        m[, colSums(m) == 0] <- 0.25
        .spread_taps(m, dilation)
    })
    names(motifs) <- paste0("filter", seq_along(motifs))
    keep <- sites > 0
    structure(motifs[keep], sites = as.integer(sites[keep]),
        max_activation = unname(top[keep]), class = "FilterMotifs")
}

#' @rdname filterMotifs
#' @param x A `FilterMotifs` object.
#' @param row.names,optional,... Not used; for compatibility with the
#'   generic.
#' @export
as.data.frame.FilterMotifs <- function(x, row.names = NULL,
    optional = FALSE, ...) {
    rows <- lapply(names(x), function(f) .motif_frame(f, x[[f]]))
    # the columns stay when there are no motifs
    empty <- .motif_frame(character(), matrix(0, 4L, 0L,
        dimnames = list(.bases, NULL)))
    do.call(rbind, c(list(empty), rows))
}

.motif_frame <- function(filter, m) {
    data.frame(filter = rep(filter, length(m)),
        position = rep(seq_len(ncol(m)), each = 4L),
        base = rep(rownames(m), ncol(m)), frequency = as.vector(m),
        information = rep(.information(m), each = 4L))
}

# Information content per position, in bits (2 minus the entropy).
.information <- function(m) {
    2 + colSums(ifelse(m > 0, m * log2(m), 0))
}

#' @rdname filterMotifs
#' @param y Not used.
#' @param filters Which motifs to draw (names or indices); by default the
#'   6 with the most information.
#' @export
plot.FilterMotifs <- function(x, y, filters = NULL, ...) {
    if (length(x) == 0L) .abort("argument", "There are no motifs to draw.")
    if (is.null(filters)) {
        info <- vapply(x, function(m) sum(.information(m)), numeric(1))
        filters <- names(x)[utils::head(order(info, decreasing = TRUE), 6L)]
    }
    df <- as.data.frame(x[filters])
    df$height <- df$frequency * df$information
    df$filter <- factor(df$filter, levels = names(x[filters]))
    df <- df[df$height > 0, ]
    ggplot(df, aes(.data$position, .data$height, fill = .data$base)) +
        ggplot2::geom_col(width = 0.95, colour = NA) +
        geom_text(aes(label = .data$base, size = .data$height),
            position = ggplot2::position_stack(vjust = 0.5),
            show.legend = FALSE) +
        ggplot2::facet_wrap(~filter, scales = "free_x") +
        ggplot2::scale_fill_manual(values = c(A = "#109648",
            C = "#255C99", G = "#F7B32B", T = "#D62839")) +
        labs(x = "Position", y = "Bits", fill = "Base") +
        theme_bw()
}

#' @export
`[.FilterMotifs` <- function(x, i) {
    picked <- seq_along(x)
    names(picked) <- names(x)
    if (anyNA(picked[i])) {
        .abort("argument", c(
            "Motifs are picked by filter name or position.",
            i = "The {length(x)} filter{?s}: {.val {names(x)}}."
        ))
    }
    out <- unclass(x)[i]
    keep <- match(names(out), names(x))
    structure(out, sites = attr(x, "sites")[keep],
        max_activation = attr(x, "max_activation")[keep],
        class = "FilterMotifs")
}

#' @export
print.FilterMotifs <- function(x, ...) {
    cat("FilterMotifs:", length(x), "motifs from first-layer filters\n")
    info <- vapply(x, function(m) sum(.information(m)), numeric(1))
    best <- utils::head(order(info, decreasing = TRUE), 5L)
    for (f in best) {
        cat(sprintf("  %-9s %s  (%d sites, %.1f bits)\n", names(x)[f],
            .consensus(x[[f]]), attr(x, "sites")[f], info[f]))
    }
    invisible(x)
}

# The most frequent base per position, lower case where it is under half,
# "n" where no base is more frequent than another.
.consensus <- function(m) {
    base <- rownames(m)[max.col(t(m), ties.method = "first")]
    weak <- apply(m, 2L, max) < 0.5
    base[weak] <- tolower(base[weak])
    base[apply(m, 2L, function(p) all(p == p[1L]))] <- "n"
    paste(base, collapse = "")
}

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
