# The training input of a model: the genes kept, their preprocessing
# (centre and scale) and, for count models, the size factors, from the
# matrix that .training_matrix() made of the user's data.

# Gaussian input here; count input through .count_training_data().
# `classes`: a classifier's class codes (see .training_labels()), to keep
# the `ntop` genes that best tell them apart rather than the most
# variable ones.
.training_data <- function(x, ntop, scale, likelihood, size_factors,
    classes = NULL) {
    if (.is_count_model(likelihood)) {
        return(.count_training_data(x, ntop, scale, likelihood,
            size_factors, classes))
    }
    if (!is.null(size_factors)) {
        .abort("argument", c(
            "{.arg size_factors} apply to count likelihoods only.",
            i = "Use {.code likelihood = \"poisson\"}, {.val nb} or
                {.val zinb} on raw counts, or leave {.arg size_factors}
                out."
        ))
    }
    # one pass over the data gives the variances and the centre and scale
    # (a classifier's ranking by classes takes another)
    moments <- .row_moments(x)
    keep <- .top_rows(if (is.null(classes) || .keeps_all(ntop, nrow(x)))
        moments$var else .anova_f(x, classes), ntop)
    if (length(keep) < nrow(x)) x <- x[keep, , drop = FALSE]
    list(x = x, prep = .preprocessing(x, scale, lapply(moments, `[`, keep)),
        size_factors = NULL, counts = list(log1p = FALSE))
}

# Training input of a count model: raw counts of the genes kept, their
# size factors, and the centre and scale of the log1p-normalised input.
# Count autoencoders see it uncentred, as scVI's encoder does; a
# classifier (`center = TRUE`) centred, as its Gaussian input is: a
# softmax on uncentred log1p counts (a large common offset) barely
# learns under Adam's bounded steps (NEWS, 0.99.0).
.count_training_data <- function(x, ntop, scale, likelihood, size_factors,
    classes = NULL, center = FALSE) {
    .check_counts(x, likelihood)
    given <- .check_size_factors(size_factors, ncol(x),
        samples = colnames(x))
    lib <- if (is.null(given)) .library_sizes(x)
    sf <- given %||% (lib / mean(lib))
    x <- .top_genes(x, ntop, values = .log1p_normalise(x, sf), classes)
    x <- .drop_zero_genes(x)
    lib <- .col_sums(x)
    sf <- given %||% (.library_sizes(x, lib) / mean(lib))
    moments <- .row_moments(.log1p_normalise(x, sf))
    list(
        x = x, size_factors = sf,
        prep = .preprocessing(x, scale, moments, center = center,
            counts = TRUE),
        counts = list(log1p = TRUE, library_mean = mean(lib),
            size_factor_mode = if (is.null(given)) "library" else "given")
    )
}

# Per-gene centre and scale of the encoder's input, from its moments (for
# counts, those of log1p(counts / size factor), which are not centred);
# the engine applies them per minibatch. Constant genes are left unscaled;
# when every gene is constant, all samples look alike and the fit would
# learn nothing, so that is an error.
.preprocessing <- function(x, scale, moments = .row_moments(x),
    center = TRUE, counts = FALSE) {
    constant <- .constant_genes(moments)
    .check_genes_vary(constant, ncol(x), counts = counts)
    list(
        center = if (center) moments$mean else rep(0, nrow(x)),
        scale = if (scale) ifelse(constant, 1, sqrt(moments$var))
            else rep(1, nrow(x))
    )
}

# Genes whose spread is no more than rounding: of their own mean, or of
# the data's typical magnitude (the median gene's root mean square), not
# of 1, so that data in small units (a spread of 1e-9 around 1e-8) still
# vary while rounding noise around 0 in data of order 1 does not.
.constant_genes <- function(moments) {
    if (any(is.infinite(moments$var))) {
        .abort("input", c(
            "The data's values are too large: their variance overflows
            double precision.",
            i = "Rescale the data (e.g. log-transform them) first."
        ))
    }
    spread <- sqrt(moments$var)
    typical <- stats::median(sqrt(moments$mean^2 + moments$var))
    spread == 0 |
        spread <= sqrt(.Machine$double.eps) * pmax(abs(moments$mean), typical)
}

# `counts`: the genes were compared in log1p(counts / size factor).
.check_genes_vary <- function(constant, n_samples, counts = FALSE) {
    if (length(constant) == 0L || !all(constant)) {
        return(invisible(TRUE))
    }
    n <- length(constant)
    .abort("input", c(
        "No gene varies across the samples: the {n} gene{?s} used
        {?is/are} constant over all {n_samples} samples (or vary by less
        than 1e-8 of their mean, which single precision cannot hold apart:
        centre such data first).",
        x = "Every sample would give the network the same input, and the
            fit would learn nothing.",
        i = if (counts) "Count data are compared as log1p(counts / size
            factor): genes in the same proportion in every sample (such
            as a single gene, with size factors from library sizes) are
            constant. Use more genes ({.arg ntop}, {.arg subset_row}) or
            give {.arg size_factors}."
            else "No gene of the data (or of {.arg subset_row}) varies, so
            none that {.arg ntop} could keep does.",
        i = "Check the data: for a SummarizedExperiment, is
            {.arg assay.type} the assay you meant?"
    ))
}
