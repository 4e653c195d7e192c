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
