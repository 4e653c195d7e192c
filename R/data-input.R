# Turns what the user gives into what the engine takes: a double matrix or
# a dgCMatrix, genes x samples, with unique row names and column names.
# Training and prediction both come through here, so the two always see
# their data the same way.

# The matrix inside `x`: an assay of a SummarizedExperiment, a reducedDim of
# a SingleCellExperiment (transposed to features x samples) or `x` itself.
.pick_matrix <- function(x, assay.type = "logcounts", dimred = NULL) {
    if (!is.null(dimred)) {
        return(t(.get_reduced_dim(x, dimred)))
    }
    if (is(x, "SummarizedExperiment")) {
        return(.get_assay(x, assay.type))
    }
    x
}

# `assay.type` names an assay of a SummarizedExperiment; given with a
# matrix it would be ignored.
.check_assay_type_applies <- function(x, assay.type, arg = "x") {
    if (!is.null(assay.type) && !is(x, "SummarizedExperiment")) {
        .abort("argument", c(
            "{.arg assay.type} applies to a SummarizedExperiment as
            {.arg {arg}}, not to a {.cls {class(x)[1L]}}.",
            i = "Leave {.arg assay.type} out, or give the
                SummarizedExperiment."
        ))
    }
}

# A model reads either an assay or a reducedDim: both named is ambiguous.
# `fit_dimred`: the reducedDim a fit was trained on, which new data are
# read from unless the user names another.
.check_one_source <- function(assay.type, dimred, fit_dimred = NULL) {
    if (!is.null(assay.type) && is.null(dimred) && !is.null(fit_dimred)) {
        .abort("argument", c(
            "This model was trained on the reducedDim {.val {fit_dimred}}:
            {.arg assay.type} does not apply.",
            i = "Leave {.arg assay.type} out; new data are read from their
                reducedDim {.val {fit_dimred}}."
        ))
    }
    if (!is.null(assay.type) && !is.null(dimred)) {
        .abort("argument", c(
            "Give {.arg assay.type} or {.arg dimred}, not both.",
            x = "{.arg assay.type} is {.val {assay.type}} and {.arg dimred}
                {.val {dimred}}.",
            i = "A model trained on a reducedDim reads that reducedDim of
                new data; one trained on an assay, that assay."
        ))
    }
}

# A colData column named by `value` (a single string), or `value` as it
# is (a single sample may be given its value as a string): how batches
# and labels are given. A name that is not a column is an error of class
# exprae_error_<kind>.
.coldata_or_value <- function(x, value, arg, kind) {
    if (!is.character(value) || length(value) != 1L) {
        return(value)
    }
    cd <- SummarizedExperiment::colData(x)
    if (value %in% colnames(cd)) {
        return(.decode_rle(cd[[value]]))
    }
    if (ncol(x) == 1L) {
        return(value)
    }
    .abort(kind, c(
        "{.arg {arg}} {.val {value}} is not a column of {.code colData(x)}.",
        i = "Columns: {.val {colnames(cd)}}.",
        i = "Give a column name, or a vector or factor with one value per
            sample."
    ))
}

# A run-length encoded colData column is the vector it stands for.
.decode_rle <- function(column) {
    if (is(column, "Rle")) S4Vectors::decode(column) else column
}

.get_assay <- function(x, assay.type) {
    available <- SummarizedExperiment::assayNames(x)
    n <- length(SummarizedExperiment::assays(x))
    if (length(assay.type) != 1L) {
        .abort("assay", "{.arg assay.type} must be a single assay name or
            index, not {.val {assay.type}}.")
    }
    found <- if (is.character(assay.type)) {
        assay.type %in% available
    } else {
        .is_count(assay.type) && assay.type <= n
    }
    if (!found) {
        .abort("assay", c(
            "{.arg assay.type} {.val {assay.type}} is not an assay of the
            input.",
            i = .assay_hint(available, n)
        ))
    }
    SummarizedExperiment::assay(x, assay.type, withDimnames = TRUE)
}

# What assays there are to choose from; unnamed ones are chosen by
# number.
.assay_hint <- function(available, n) {
    if (n == 0L) {
        return("The input has no assays.")
    }
    if (length(available) == 0L || all(available == "")) {
        return("The input's {n} assay{?s} {?has/have} no names: give
            {.arg assay.type} as a number, or name them with
            {.fn assayNames}.")
    }
    if (any(available == "")) {
        return("Available assays: {.val {available}} (an unnamed one by its
            number).")
    }
    "Available assays: {.val {available}}."
}

.get_reduced_dim <- function(x, dimred) {
    if (!is(x, "SingleCellExperiment")) {
        .abort("argument", c(
            "{.arg dimred} needs a SingleCellExperiment input.",
            x = "The input is a {.cls {class(x)}}."
        ))
    }
    available <- SingleCellExperiment::reducedDimNames(x)
    if (!is.character(dimred) || length(dimred) != 1L ||
        !dimred %in% available) {
        .abort("assay", c(
            "{.arg dimred} {.val {dimred}} is not a reducedDim of the input.",
            i = if (length(available) > 0L) "Available reducedDims:
                {.val {available}}." else "The input has no reducedDims."
        ))
    }
    SingleCellExperiment::reducedDim(x, dimred, withDimnames = TRUE)
}

# Validated engine input: a double matrix or dgCMatrix with dimnames.
# Training needs two samples (a mean and a spread per gene); prediction
# works on a single one.
.as_engine_matrix <- function(x, min_samples = 2L) {
    x <- .coerce_matrix(x)
    .check_values(x, min_samples)
    .default_dimnames(x)
}

.coerce_matrix <- function(x) {
    x <- .stream_if_delayed(x)
    if (.is_stream(x)) {
        return(x)  # read block by block, never whole
    }
    if (is(x, "dsparseMatrix")) {
        x <- as(as(x, "CsparseMatrix"), "generalMatrix")
        return(x)
    }
    if (is(x, "dMatrix") && is(x, "denseMatrix")) {
        x <- as.matrix(x)
    }
    if (!is.matrix(x) || !is.numeric(x)) {
        what <- class(x)[1L]
        if (is.matrix(x)) what <- paste(what, "of", typeof(x))
        .abort_not_numeric(what, .sequences_hint(x))
    }
    if (storage.mode(x) != "double") {
        storage.mode(x) <- "double"
    }
    x
}

.abort_not_numeric <- function(what, hint = NULL) {
    .abort("input", c(
        "The expression data must be a numeric matrix, a dgCMatrix, a
        DelayedMatrix, or a SummarizedExperiment holding one.",
        x = "It is a {what}.",
        i = hint %||% "Genes are rows and samples are columns."
    ))
}

# Where DNA sequences given for expression data belong (NULL for data
# that are not sequences: an XStringSet, or strings of DNA letters).
.sequences_hint <- function(x) {
    dna <- is(x, "XStringSet") || (is.character(x) && is.null(dim(x)) &&
        length(x) > 0L && !anyNA(x) && all(nzchar(x)) &&
        !any(grepl(.not_dna_pattern(), x, useBytes = TRUE)))
    if (dna) "DNA sequences are for {.fn trainSequenceModel}."
}

.check_values <- function(x, min_samples) {
    if (nrow(x) < 1L || ncol(x) < min_samples) {
        .abort("input", c(
            "The expression data need at least 1 gene and {min_samples}
            sample{?s}.",
            x = "They have {nrow(x)} gene{?s} and {ncol(x)} sample{?s}.",
            i = "Genes are rows and samples are columns."
        ))
    }
    # A stream's values are checked as its blocks are read.
    bad <- if (!.is_stream(x)) .count_values(x, function(v) sum(!is.finite(v)))
    if (!is.null(bad) && bad > 0L) {
        .abort("input", c(
            "The expression data must be finite.",
            x = "They hold {bad} NA, NaN or infinite value{?s}.",
            i = "Remove or impute them first."
        ))
    }
    invisible(x)
}

# Unnamed genes are called gene1, gene2, ... and unnamed samples sample1,
# ...; prediction names unnamed new data the same way, so unnamed data
# line up by position. Duplicated gene names would make that ambiguous.
.default_dimnames <- function(x) {
    if (is.null(rownames(x))) {
        rownames(x) <- sprintf("gene%d", seq_len(nrow(x)))
    }
    if (is.null(colnames(x))) {
        colnames(x) <- sprintf("sample%d", seq_len(ncol(x)))
    }
    genes <- rownames(x)
    dup <- unique(genes[duplicated(genes) | is.na(genes)])
    if (length(dup) > 0L) {
        .abort("input", c(
            "Gene names (row names) must be unique and not NA.",
            x = "Repeated: {.val {utils::head(dup, 5)}}{?s}."
        ))
    }
    if (any(genes == "")) {
        .abort("input", c(
            "Gene names (row names) must not be empty: the fit finds its
            genes by name.",
            x = "{sum(genes == '')} row{?s} {?has/have} the name {.val {''}}.",
            i = "Name them, or drop them with {.arg subset_row}."
        ))
    }
    # results are named by sample: an NA name would name nothing
    unnamed <- which(is.na(colnames(x)))
    if (length(unnamed) > 0L) {
        .abort("input", c(
            "Sample names (column names) must not be NA.",
            x = "{length(unnamed)} sample{?s} {?has/have} none, e.g. sample
                {unnamed[1L]}.",
            i = "Name every sample, or remove the column names."
        ))
    }
    x
}

# Rows picked by `subset_row` (names, indices or a logical vector).
.subset_rows <- function(x, subset_row) {
    if (is.null(subset_row)) {
        return(x)
    }
    genes <- rownames(x)
    if (is.character(subset_row)) {
        .check_genes_present(subset_row, genes)
        subset_row <- match(subset_row, genes)  # "" cannot index by name
    } else if (is.logical(subset_row)) {
        if (length(subset_row) != nrow(x) || anyNA(subset_row)) {
            .abort("argument", "{.arg subset_row} must be a logical vector
                without NA of length {nrow(x)} (one per gene).")
        }
    } else if (!is.numeric(subset_row) || anyNA(subset_row) ||
        any(subset_row < 1 | subset_row > nrow(x) |
            subset_row != round(subset_row))) {
        .abort("argument", "{.arg subset_row} must hold gene names, row
            indices in 1..{nrow(x)} or a logical vector.")
    }
    if (!is.logical(subset_row) && anyDuplicated(subset_row)) {
        .abort("argument", c(
            "{.arg subset_row} names a gene more than once.",
            x = "Repeated: {.val {unique(genes[subset_row[
                duplicated(subset_row)]])}}.",
            i = "Give each gene once, e.g. {.code unique(subset_row)}."
        ))
    }
    x <- x[subset_row, , drop = FALSE]
    if (nrow(x) == 0L) {
        .abort("input", "{.arg subset_row} selects no gene.")
    }
    x
}

.check_genes_present <- function(wanted, genes) {
    missing <- setdiff(wanted, genes)
    if (length(missing) > 0L) {
        shown <- utils::head(missing, 5)
        .abort("genes", c(
            "{length(missing)} gene{?s} {?is/are} missing from the data.",
            x = "Missing: {.val {shown}}{if (length(missing) > 5) ', ...'}."
        ))
    }
    invisible(TRUE)
}

# Training input: subset, convert, check (a DelayedMatrix becomes a
# stream); keep the most variable genes.
.training_matrix <- function(x, subset_row = NULL, ntop = NULL) {
    .check_sparse_valid(x)
    x <- .default_dimnames_raw(.stream_if_delayed(x))
    x <- .subset_rows(x, subset_row)
    x <- .as_engine_matrix(x)
    .top_genes(x, ntop)
}

# Prediction input: the genes of the fit, in the fit's order; extra genes
# are dropped.
.prediction_matrix <- function(x, genes) {
    .check_is_matrix(x, "newdata")
    .check_sparse_valid(x)
    x <- .stream_if_delayed(x)
    unnamed <- is.null(rownames(x))
    x <- .default_dimnames_raw(x)
    if (unnamed && !all(genes %in% rownames(x))) {
        .abort("genes", c(
            "The new data have no row names, and the fit finds its genes
            by name.",
            i = "Give the rows the gene names the model was trained on
                ({.val {utils::head(genes, 3)}}, ...)."
        ))
    }
    .check_genes_present(genes, rownames(x))
    .check_genes_unique(genes, rownames(x))
    .as_engine_matrix(x[genes, , drop = FALSE], min_samples = 1L)
}

# New data must be genes x samples: a vector (one sample taken with
# x[, j], which drops the dimensions), a list or NULL is named as such
# rather than reported as "genes missing".
.check_is_matrix <- function(x, arg) {
    if (length(dim(x)) != 2L) {
        hint <- .sequences_hint(x) %||% "One sample taken with {.code x[, j]}
            loses its dimensions: use {.code x[, j, drop = FALSE]}."
        .abort("input", c(
            "{.arg {arg}} must be a matrix of genes x samples (or a
            SummarizedExperiment).",
            x = "It is a {.cls {class(x)}} of length {length(x)}.",
            i = hint
        ))
    }
}

# A sparse matrix whose slots were edited by hand can hold row indices
# out of range or unsorted; the engine and Matrix's own subsetting would
# read it wrongly, so it is refused before anything reads it.
.check_sparse_valid <- function(x) {
    if (!is(x, "sparseMatrix")) {
        return(invisible(x))
    }
    valid <- methods::validObject(x, test = TRUE)
    if (!isTRUE(valid)) {
        .abort("input", c(
            "The sparse matrix is not valid: {valid}",
            i = "Rebuild it, e.g. with {.fn Matrix::sparseMatrix}."
        ))
    }
    invisible(x)
}

# Default row names before any subsetting, so that `subset_row` and gene
# alignment see the same names as the fit (gene1, gene2, ...).
.default_dimnames_raw <- function(x) {
    if (length(dim(x)) == 2L && is.null(rownames(x))) {
        rownames(x) <- sprintf("gene%d", seq_len(nrow(x)))
    }
    x
}

# A gene of the fit named twice in new data would be matched to its first
# copy without a word; name them instead.
.check_genes_unique <- function(genes, available) {
    twice <- intersect(genes, available[duplicated(available)])
    if (length(twice) > 0L) {
        .abort("input", c(
            "Gene names in the new data must be unique.",
            x = "{length(twice)} gene{?s} of the fit appear{?s/} more than
            once: {.val {utils::head(twice, 5)}}."
        ))
    }
}
