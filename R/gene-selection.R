# The genes a model keeps: the `ntop` most variable or, for a classifier,
# the `ntop` that best tell the labelled classes apart, by the F
# statistic of a one-way analysis of variance per gene (the spread of the
# class means over the spread within the classes). On the three data
# sets of bench/classify.R the 1000 genes of largest F made a better
# classifier than the 2000 most variable on all three (bench/RESULTS.md,
# 2026-12-01 11:16-12:08): the most variable genes need not be the ones
# that differ between the classes.

# The `ntop` most variable genes (variance of `values`: for counts, their
# log1p-normalised form) or, given the samples' class codes `classes`,
# the `ntop` that best tell the classes apart (.anova_f()); kept in their
# original order.
.top_genes <- function(x, ntop, values = x, classes = NULL) {
    if (.keeps_all(ntop, nrow(x))) {
        return(x)
    }
    score <- if (is.null(classes)) .row_moments(values)$var
        else .anova_f(values, classes)
    x[.top_rows(score, ntop), , drop = FALSE]
}

# Does `ntop` keep all of `n` genes?
.keeps_all <- function(ntop, n) is.null(ntop) || !is.finite(ntop) || ntop >= n

# Positions of the `ntop` largest scores, in their original order.
.top_rows <- function(score, ntop) {
    if (.keeps_all(ntop, length(score))) {
        return(seq_along(score))
    }
    # scores equal but for rounding (a sparse matrix's variance and a
    # dense one's differ in the last bits) rank as ties, in gene order
    sort(order(signif(score, 10), decreasing = TRUE)[seq_len(ntop)])
}

# Per gene, the F statistic of the classes coded 1..k in `codes` (0 for
# an unlabelled sample, which does not count). The within-class sum of
# squares comes from the class moments, sum(x^2) - n mean^2, and is
# floored at single precision's rounding of sum(x^2), the engine's: a
# spread below it is none to the network (and within double's
# cancellation of the difference), and a class that is constant keeps a
# finite F, larger as the class means differ more.
.anova_f <- function(x, codes) {
    k <- max(codes)
    n_c <- tabulate(codes[codes > 0L], k)
    sums <- .class_row_sums(x, codes, k)
    means <- sweep(sums$x, 2L, pmax(n_c, 1L), "/")
    grand <- rowSums(sums$x) / sum(n_c)
    between <- rowSums(sweep((means - grand)^2, 2L, n_c, "*"))
    squares <- rowSums(sums$x2)
    within <- pmax(squares - rowSums(sweep(means^2, 2L, n_c, "*")),
        2^-46 * squares)
    classes <- sum(n_c > 0L)
    f <- (between / (classes - 1)) / (within / max(sum(n_c) - classes, 1))
    f[is.nan(f)] <- 0  # a gene of zeros
    f
}

# Genes x k sums of x and of x^2 over the samples of each class; a
# stream's from its blocks, each with its own samples' codes.
.class_row_sums <- function(x, codes, k) {
    if (.is_stream(x)) {
        parts <- .stream_blocks(x, function(block, cols) {
            .class_row_sums(block, codes[cols], k)
        }, positions = TRUE)
        return(Reduce(function(a, b) Map(`+`, a, b), parts))
    }
    labelled <- which(codes > 0L)
    member <- Matrix::sparseMatrix(i = labelled, j = codes[labelled],
        x = 1, dims = c(ncol(x), k))
    list(x = as.matrix(x %*% member), x2 = as.matrix((x^2) %*% member))
}
