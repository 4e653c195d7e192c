# What a sequence model's first convolution learned, as motifs: position
# frequency matrices from the windows that activate each filter.

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
