# Class labels of training samples: a colData column or a vector with one
# value per sample, NA for an unlabelled sample; turned into the engine's
# codes 1..k (0 = unlabelled). The classes are kept in the fit, so new
# labels are coded the same way. Class weights and the validation split
# stratified by class live here too.

# A colData column named by `labels` (a single string), or `labels` as it
# is.
.labels_from_se <- function(x, labels) {
    .coldata_or_value(x, labels, "labels", "labels")
}

# The labels as a vector of n values (one per sample, or per sequence for
# a sequence model), NA (and so NaN, and a factor's NA level) for an
# unlabelled sample, so that training, cross-validation and evaluation
# read the same vector the same way.
.label_values <- function(labels, n, samples = NULL,
    unit = c("sample", "sequence")) {
    unit <- match.arg(unit)
    sequences <- unit == "sequence"
    if (is.null(labels) || !is.atomic(labels) || !is.null(dim(labels)) ||
        is.raw(labels) || is.complex(labels) || length(labels) != n) {
        # a colData column is an answer for samples, not for sequences
        .abort("labels", c(
            paste0("{.arg labels} must be a character, numeric or logical
                vector or a factor with one value per ",
                if (sequences) "sequence ({n})." else "sample ({n}), or the
                name of a {.code colData} column of a
                SummarizedExperiment."),
            x = "It is a {.cls {class(labels)}} of length {length(labels)}."
        ))
    }
    .check_label_order(labels, samples, if (sequences) {
        "labels[names(sequences)]"
    } else "labels[colnames(x)]", unit)
    if (is.factor(labels)) {
        labels <- factor(labels, exclude = NA)  # an NA level is no class
    }
    if (is.double(labels)) {
        labels[is.nan(labels)] <- NA
    }
    .check_label_values(labels, unit)
    labels
}

# See .check_sample_order().
.check_label_order <- function(labels, samples, reorder, unit) {
    .check_sample_order(labels, samples, "labels", reorder, unit = unit)
}

# Values that cannot be meant as classes: Inf and "" (errors), and
# fractional numbers, which look like a quantity rather than a class
# (a warning: every distinct value becomes a class). `unit`: "sample" or
# "sequence", what the messages call a labelled thing.
.check_label_values <- function(labels, unit) {
    known <- labels[!is.na(labels)]
    if (is.numeric(known) && any(is.infinite(known))) {
        .abort("labels", c(
            "{.arg labels} must not be infinite.",
            i = "Give {.code NA} for a {unit} whose class is unknown."
        ))
    }
    if (any(as.character(known) == "")) {
        .abort("labels", c(
            "{.arg labels} must not be empty strings.",
            i = "Give {.code NA} for a {unit} whose class is unknown."
        ))
    }
    if (is.double(known) && any(known != round(known))) {
        .warn("labels", c(
            "{.arg labels} are numbers with fractions: each of their
            {length(unique(known))} distinct values is taken as a class.",
            i = "A classifier predicts classes, not a quantity; give a
                factor of the classes you mean."
        ))
    }
}

# How many samples have a label, before the labels are checked (so
# anything that is not a vector has none): the default validation split
# depends on it. A factor's NA level is no label.
.n_labelled <- function(labels) {
    if (!is.atomic(labels)) {
        return(0L)
    }
    sum(!is.na(labels) & !is.na(as.character(labels)))
}

# Training labels: list(codes (0 = unlabelled), classes, values (the
# labels as .label_values() cleaned them)). Factor levels
# keep their order (unused ones dropped); other values are sorted.
.training_labels <- function(labels, n, samples = NULL,
    unit = c("sample", "sequence")) {
    unit <- match.arg(unit)
    values <- .label_values(labels, n, samples, unit)
    if (all(is.na(values))) {
        .abort("labels", c("Every label is NA: there is nothing to learn.",
            i = "Give the class of at least some {unit}s."))
    }
    classes <- levels(droplevels(as.factor(values)))
    if (length(classes) < 2L) {
        .abort("labels", c(
            "{.arg labels} need at least 2 classes to tell apart.",
            x = "They hold one: {.val {classes}}."
        ))
    }
    codes <- match(as.character(values), classes, nomatch = 0L)
    counts <- tabulate(codes[codes > 0L], length(classes))
    single <- classes[counts == 1L]
    if (length(single) > 0L) {
        .warn("labels", c(
            "{length(single)} class{?es} {?has/have} a single labelled
            {unit}: {.val {single}}.",
            i = "A class seen once is hard to learn and cannot be both
                trained on and held out."
        ))
    }
    list(codes = as.integer(codes), classes = classes, values = values)
}

# Per-class weights of the loss: NULL (all 1), "balanced" (n / (k n_c), as
# scikit-learn's class_weight = "balanced") or a named vector covering
# every class.
.class_weights <- function(class_weights, labels) {
    if (is.null(class_weights)) {
        return(NULL)
    }
    classes <- labels$classes
    if (identical(class_weights, "balanced")) {
        n_c <- tabulate(labels$codes[labels$codes > 0L], length(classes))
        return(sum(n_c) / (length(classes) * pmax(n_c, 1L)))
    }
    ok <- is.numeric(class_weights) && !is.null(names(class_weights)) &&
        all(classes %in% names(class_weights))
    w <- if (ok) unname(class_weights[classes])
    if (!ok || anyNA(w) || any(!is.finite(w)) || any(w <= 0) ||
        anyDuplicated(names(class_weights))) {
        .abort("argument", c(
            "{.arg class_weights} must be {.val balanced} or a named vector
            of positive weights, one per class.",
            i = "Classes: {.val {classes}}."
        ))
    }
    extra <- setdiff(names(class_weights), classes)
    if (length(extra) > 0L) {
        .warn("labels", c(
            "{.arg class_weights} name{?s} {.val {extra}}, which {?is not a
            class/are not classes}: ignored.",
            i = "Classes: {.val {classes}}."
        ))
    }
    w
}

# The held-out samples (1-based, sorted): a share `split` of each class
# and of the unlabelled samples, drawn with R's RNG, keeping at least one
# sample of every class for training. NULL when none is held out.
.stratified_validation <- function(codes, split) {
    if (split <= 0) {
        return(NULL)
    }
    held <- unlist(lapply(split(seq_along(codes), codes), function(idx) {
        k <- min(length(idx) - 1L, round(split * length(idx)))
        if (k < 1L) integer() else idx[sample.int(length(idx), k)]
    }), use.names = FALSE)
    if (length(held) == 0L) NULL else sort(as.integer(held))
}
