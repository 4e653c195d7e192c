# Count likelihoods: the checks on raw counts, the size factors and the
# log1p-normalised encoder input. Gaussian models never come through here.
# Training and prediction share these helpers, so both see counts the same
# way.

# The likelihoods the engine knows ("gaussian", "poisson", "nb", "zinb").
.likelihoods <- function() .engine_known("likelihood")

.is_count_model <- function(likelihood) {
    !is.null(likelihood) && likelihood != "gaussian"
}

# The likelihood a fit was trained with; fits made before exprae had count
# models hold none and are Gaussian.
.fit_likelihood <- function(fit) {
    .options_likelihood(fit@options)
}

.options_likelihood <- function(options) options$likelihood %||% "gaussian"

# A string argument with the choices as its default: the first choice.
.match_choice <- function(x, arg, choices) {
    if (identical(x, choices)) {
        return(choices[[1L]])
    }
    .check_choice(x, arg, choices)
}

# The settings of the model family, validated; they go to the engine (model
# and options) and are stored in the fit.
.model_settings <- function(likelihood, variational, kl_warmup, corruption,
    corruption_rate, dispersion,
    default_rate = formals(.train_autoencoder)$corruption_rate) {
    c(list(
        likelihood = .match_choice(likelihood, "likelihood",
            .likelihoods()),
        variational = .check_flag(variational, "variational"),
        kl_warmup = .check_count(kl_warmup, "kl_warmup", min = 0),
        dispersion = .match_choice(dispersion, "dispersion",
            c("gene", "gene-batch"))
    ), .corruption_settings(corruption, corruption_rate, default_rate))
}

# The input corruption in training (denoising; augmentation of a
# classifier's input), validated. A rate other than the caller's default
# without a corruption to apply it to is a warning: it would do nothing.
.corruption_settings <- function(corruption, corruption_rate, default_rate) {
    corruption <- .match_choice(corruption, "corruption",
        c("none", "mask", "gaussian"))
    upper <- if (corruption == "mask") 1 else Inf
    rate <- .check_number(corruption_rate, "corruption_rate", 0, upper,
        open = if (corruption == "mask") "upper")
    if (corruption == "none" && !identical(corruption_rate, default_rate)) {
        .warn("argument", c(
            "{.arg corruption_rate} is the rate of {.arg corruption}; with
            {.code corruption = \"none\"} it is ignored.",
            i = "Give {.code corruption = \"mask\"} (or {.val gaussian}) to
                corrupt the input in training."
        ))
    }
    list(corruption = corruption, corruption_rate = rate)
}

# Raw counts: non-negative whole numbers. Non-integers are an error, as in
# DESeq2: the likelihoods are those of counts.
.check_counts <- function(x, likelihood) {
    bad <- .count_values(x, function(v) c(sum(v < 0), sum(v != round(v))))
    negative <- bad[1L]
    fractional <- bad[2L]
    if (negative > 0L) {
        .abort("counts", c(
            "A {.val {likelihood}} likelihood needs counts >= 0.",
            x = "The data hold {negative} negative value{?s}.",
            i = "Give raw counts (e.g. {.code assay.type = \"counts\"}), or
                for log-expression use {.code likelihood = \"gaussian\"}
                ({.code counts = FALSE} for a classifier)."
        ))
    }
    if (fractional > 0L) {
        .abort("counts", c(
            "A {.val {likelihood}} likelihood needs whole-number counts.",
            x = "The data hold {fractional} non-integer value{?s}.",
            i = "Give raw counts, round estimated counts with
                {.code round()}, or use {.code likelihood = \"gaussian\"}
                ({.code counts = FALSE} for a classifier)."
        ))
    }
    invisible(x)
}

# Size factors given by the user: one positive finite number per sample.
# `arg` names where they came from (a SummarizedExperiment's sizeFactors()
# when the user gave none); `samples`, the samples' names, to catch
# factors named by sample in another order (`reorder` says how to mend
# that).
.check_size_factors <- function(size_factors, n, arg = "size_factors",
    samples = NULL, reorder = "size_factors[colnames(x)]") {
    if (is.null(size_factors)) {
        return(NULL)
    }
    ok <- is.numeric(size_factors) && length(size_factors) == n
    if (!ok) {
        .abort("size_factors", c(
            "{.arg {arg}} must be a numeric vector with one value per
            sample ({n}).",
            x = "It is a {.cls {class(size_factors)}} of length
                {length(size_factors)}."
        ))
    }
    .check_sample_order(size_factors, samples, arg, reorder,
        kind = "size_factors")
    # Size factors are near 1 (a library's size over the typical one);
    # further than 1e20 either way they are taken as a mistake. Below 1e-20
    # a count per unit size factor can overflow single precision (its log
    # would be Inf); far above 1e20 the genes' variances underflow and no
    # gene is seen to vary.
    bad <- which(is.na(size_factors) | !is.finite(size_factors) |
        size_factors < 1e-20 | size_factors > 1e20)
    if (length(bad) > 0L) {
        .abort("size_factors", c(
            "{.arg {arg}} must be finite and positive, between 1e-20 and
            1e20 (size factors are near 1).",
            x = "{length(bad)} value{?s} {?is/are} not, e.g. sample
                {bad[1]}: {.val {size_factors[bad[1]]}}."
        ))
    }
    as.numeric(size_factors)
}

# Library sizes over the genes of the model; a sample without counts has
# no size factor.
.library_sizes <- function(x, lib = .col_sums(x)) {
    empty <- which(lib <= 0)
    if (length(empty) > 0L) {
        names <- utils::head(colnames(x)[empty], 5)
        .abort("counts", c(
            "Every sample needs counts > 0 in the genes used (its library
            size gives its size factor).",
            x = "{length(empty)} sample{?s} {?has/have} none: {.val {names}}.",
            i = "Remove such samples (e.g. {.code x[, colSums(x) > 0]}) or
                give {.arg size_factors}."
        ))
    }
    lib
}

# log1p(x[, j] / sf[j]), sparse where x is: the encoder's view of counts.
.log1p_normalise <- function(x, sf) {
    if (.is_stream(x)) {
        # applied to each block as it is read
        x$transform <- function(block, cols) .log1p_normalise(block, sf[cols])
        return(x)
    }
    if (is(x, "dgCMatrix")) {
        column <- rep.int(seq_len(ncol(x)), diff(x@p))
        x@x <- log1p(x@x / sf[column])
        return(x)
    }
    log1p(sweep(x, 2L, sf, "/"))
}

# Genes without a single count carry no information; the engine would
# drive their mean to zero. They are dropped, with a message.
.drop_zero_genes <- function(x) {
    zero <- .row_sums(x) == 0
    if (all(zero)) {
        .abort("counts", "Every gene used has zero counts in every
            sample.")
    }
    if (any(zero)) {
        cli::cli_inform(c(
            "i" = "Dropped {sum(zero)} gene{?s} with zero counts in every
            sample: {.val {utils::head(rownames(x)[zero], 5)}}."
        ), class = "exprae_message_zero_genes")
        x <- x[!zero, , drop = FALSE]
    }
    x
}

# Size factors of new data for a count model: the user's, or those of a
# SummarizedExperiment when the model was trained on given size factors;
# NULL otherwise: then each sample's library size over the model's genes
# divided by the mean library size of the training samples (so one new
# sample works as well), computed as the samples are read.
.prediction_size_factors <- function(fit, x, size_factors, se_factors) {
    given <- .check_size_factors(size_factors, ncol(x),
        samples = colnames(x), reorder = "size_factors[colnames(newdata)]")
    if (!is.null(given)) {
        return(given)
    }
    if (!identical(fit@options$size_factor_mode, "given")) {
        return(NULL)
    }
    if (!is.null(se_factors)) {
        return(.check_size_factors(se_factors, ncol(x),
            "colData(newdata)$sizeFactor", samples = colnames(x),
            reorder = paste("sizeFactors(newdata) <-",
                "sizeFactors(newdata)[colnames(newdata)]")))
    }
    # library sizes stand in, on a scale of their own: even the training
    # samples would be read otherwise than in training
    .warn("size_factors", c(
        "The model was trained on given size factors, but none are given
        for {.arg newdata}: library sizes over the model's genes stand in,
        which may be on another scale.",
        i = "Give {.arg size_factors} as in training (or
            {.code sizeFactors()} of a SingleCellExperiment)."
    ))
    NULL
}

# The `sizeFactor` column of a SummarizedExperiment (where
# SingleCellExperiment's sizeFactors() keeps them), or NULL.
.se_size_factors <- function(x) {
    if (!is(x, "SummarizedExperiment")) {
        return(NULL)
    }
    .decode_rle(SummarizedExperiment::colData(x)$sizeFactor)
}

# The size factors a model of a SummarizedExperiment's counts trains on:
# those given, else sizeFactors(x) (NULL when unset: library sizes).
.training_size_factors <- function(x, size_factors) {
    size_factors %||% .check_size_factors(.se_size_factors(x), ncol(x),
        "colData(x)$sizeFactor", samples = colnames(x),
        reorder = "sizeFactors(x) <- sizeFactors(x)[colnames(x)]")
}
