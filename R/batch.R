# Batch covariates: a colData column or a vector with one value per sample,
# turned into the engine's codes 1..k. The levels (and the column name)
# are kept in the fit, so new data are coded the same way.

# A colData column named by `batch` (a single string), or `batch` as it is.
.batch_from_se <- function(x, batch) {
    .coldata_or_value(x, batch, "batch", "batch")
}

# The batch of every sample: an atomic vector or factor of length n,
# without NA.
.batch_values <- function(batch, n, samples = NULL) {
    if (!is.atomic(batch) || !is.null(dim(batch)) || length(batch) != n) {
        .abort("batch", c(
            "{.arg batch} must be a vector or factor with one value per
            sample ({n}), or the name of a {.code colData} column of a
            SummarizedExperiment.",
            x = "It is a {.cls {class(batch)}} of length {length(batch)}."
        ))
    }
    # a factor's NA level is no batch either
    na <- which(is.na(batch) | is.na(as.character(batch)))
    if (length(na) > 0L) {
        .abort("batch", c(
            "{.arg batch} must not hold NA.",
            x = "{length(na)} sample{?s} {?has/have} no batch, e.g. sample
                {na[1]}.",
            i = "Give every sample a batch, or remove those without one."
        ))
    }
    if (any(as.character(batch) == "")) {
        .abort("batch", c(
            "{.arg batch} must not hold empty strings.",
            i = "Give every sample a batch name, or remove those without
                one."
        ))
    }
    .check_sample_order(batch, samples, "batch", "batch[colnames(x)]")
    batch
}

# The fit's codes of batch values or classes. Numbers match written as
# .level_text() writes them (batch levels), or as R writes a double
# (as.character(1e5) is "1e+05": classes, and batch levels of fits saved
# by earlier builds), whether they come as integers or doubles.
.match_levels <- function(values, levels) {
    codes <- match(as.character(.level_text(values)), levels)
    older <- match(as.character(values), levels)
    if (is.numeric(values)) {
        older[is.na(older)] <- match(as.character(as.double(
            values[is.na(older)])), levels)
    }
    as.integer(ifelse(is.na(codes), older, codes))
}

# Numbers as batch levels are written the same whether they came as
# integers or doubles (100000L and 1e5 are both "100000"; R writes the
# double "1e+05"), so new data match the training levels; they keep
# their numeric order. Other values are left as they are.
.level_text <- function(values) {
    if (!is.numeric(values)) {
        return(values)
    }
    v <- as.numeric(values)
    whole <- !is.na(v) & v == round(v) & abs(v) < 1e15
    text <- ifelse(whole, sprintf("%.0f", v), as.character(v))
    factor(text, levels = unique(text[order(v)]))
}

# Training batch: list(codes, levels), or NULL without batch. Factor levels
# keep their order (unused ones dropped); other values are sorted.
.training_batch <- function(batch, n, samples = NULL) {
    if (is.null(batch)) {
        return(NULL)
    }
    values <- .level_text(.batch_values(batch, n, samples))
    levels <- levels(droplevels(as.factor(values)))
    if (length(levels) < 2L) {
        .abort("batch", c(
            "{.arg batch} needs at least 2 levels to correct for.",
            x = "It has one: {.val {levels}}.",
            i = "Leave {.code batch = NULL} for data from a single batch."
        ))
    }
    if (length(levels) == n && n > 2L) {
        .warn("batch", c(
            "Every sample is a batch of its own ({n} levels).",
            i = "{.arg batch} names the batch each sample came from (a run,
                a lane, a donor); a value per sample, such as a numeric
                covariate, cannot be corrected for."
        ))
    }
    list(codes = match(as.character(values), levels), levels = levels)
}

# The batch of new data, in the fit's codes, and the transform_batch code
# (0 = none). Without `batch`, the samples are taken to come from
# `transform_batch`, which the encoder then sees as well.
.prediction_batch <- function(fit, batch, n, transform_batch = NULL,
    samples = NULL) {
    levels <- fit@options$batch_levels
    if (is.null(levels)) {
        if (!is.null(batch) || !is.null(transform_batch)) {
            .abort("batch", "The model was trained without batches, so
                {.arg batch} and {.arg transform_batch} do not apply.")
        }
        return(list(batch = NULL, transform_batch = 0L))
    }
    transform <- .transform_batch_code(transform_batch, levels)
    if (is.null(batch)) {
        if (transform == 0L) {
            .abort("batch", c(
                "The model was trained with batches {.val {levels}}; the new
                data need theirs.",
                i = "Give {.arg batch} (a colData column or one value per
                    sample), or {.arg transform_batch} (a level) to treat
                    every sample as that batch."
            ))
        }
        return(list(batch = rep(transform, n), transform_batch = transform))
    }
    values <- .batch_values(batch, n, samples)
    codes <- .match_levels(values, levels)
    unknown <- unique(as.character(values[is.na(codes)]))
    if (length(unknown) > 0L) {
        .abort("batch", c(
            "{.arg batch} holds level{?s} the model was not trained on:
            {.val {unknown}}.",
            i = "Known levels: {.val {levels}}."
        ))
    }
    list(batch = as.integer(codes), transform_batch = transform)
}

.transform_batch_code <- function(transform_batch, levels) {
    if (is.null(transform_batch)) {
        return(0L)
    }
    code <- NA_integer_
    if (is.atomic(transform_batch) && length(transform_batch) == 1L) {
        code <- .match_levels(transform_batch, levels)
    }
    if (is.na(code)) {
        .abort("batch", c(
            "{.arg transform_batch} must be one of the training batches:
            {.or {.val {levels}}}.",
            x = "It is {.val {transform_batch}}."
        ))
    }
    code
}

# The batch of SummarizedExperiment new data: `batch` as given, else the
# column the model was trained on when the new data have it.
.newdata_batch <- function(fit, newdata, batch) {
    if (!is(newdata, "SummarizedExperiment")) {
        return(batch)
    }
    column <- fit@options$batch_column
    cd <- SummarizedExperiment::colData(newdata)
    if (is.null(batch) && !is.null(column) && column %in% colnames(cd)) {
        batch <- column
    }
    .batch_from_se(newdata, batch)
}

# The default weights of the two ways of mixing batches, chosen on
# bladderbatch (bench/quality.R, data set bladder-batch; bench/RESULTS.md,
# 2026-12-01): the batch MMD on, the adversary off.
.default_batch_mmd <- 0.05
.default_batch_penalty <- 0

# The model fields that mix the batches in the latent space: the batch
# MMD's weight and the batch adversary (.adversary_fields()).
.mixing_fields <- function(batch, batch_penalty, batch_mmd) {
    mmd <- .mixing_weight(batch_mmd, .default_batch_mmd, "batch_mmd", batch)
    c(.adversary_fields(batch, .mixing_weight(batch_penalty,
        .default_batch_penalty, "batch_penalty", batch)),
        if (mmd > 0) list(batch_mmd = mmd))
}

# One mixing weight, checked (>= 0): NULL takes the default; without
# batches it is 0, and a weight above 0 that the user gave is an error.
.mixing_weight <- function(value, default, name, batch) {
    weight <- .check_number(value %||% default, name, 0)
    if (!is.null(batch)) {
        return(weight)
    }
    if (!is.null(value) && weight > 0) {
        .abort("argument", c(
            "{.arg {name}} needs {.arg batch}: it pulls the batches
            together in the latent space.",
            i = "Give {.arg batch}, or leave {.arg {name}} out."
        ))
    }
    0
}

# The batch adversary: a hidden layer of 32 units and one logit per batch,
# reading the latent space; the encoder learns, with weight `penalty`
# (.mixing_weight()), to make it answer every batch alike (adversarial
# confusion, train/objective.cpp); none at weight 0.
.adversary_fields <- function(batch, penalty) {
    if (penalty == 0) {
        return(NULL)
    }
    list(adversary = list(layer_dense(32, "relu"),
        layer_dense(length(batch$levels), "linear")),
        batch_penalty = penalty)
}
