#' Denoised expression from an autoencoder
#'
#' `calculateDenoised()` gives the expression a fitted autoencoder
#' reconstructs for each sample: for a count model (likelihood `"poisson"`,
#' `"nb"` or `"zinb"`) the decoder's mean per unit size factor, i.e.
#' denoised normalised expression on the count scale (as DCA and scVI's
#' normalised expression); for a Gaussian model the reconstruction on the
#' scale of the input. `runDenoised()` stores it as an assay of a
#' SummarizedExperiment, like scater's runX functions, and the fitted
#' dispersion of each gene (see [geneDispersion()]) in its `rowData`.
#'
#' Without `fit`, a model is first trained on `x` with
#' [trainAutoencoder()] and the arguments in `...`. The fit is then used
#' on `x` with [predict()][predict.AutoencoderFit] (`type =
#' "expression"`). Only the genes of the fit are denoised: train with
#' `ntop = NULL` to denoise every gene. In `runDenoised()`, the other genes
#' get `NA`.
#'
#' @param x A numeric matrix, dgCMatrix or DelayedMatrix (genes x samples),
#'   a SummarizedExperiment or a SingleCellExperiment; for `runDenoised()`,
#'   a SummarizedExperiment (or SingleCellExperiment).
#' @param fit `NULL`, or an [AutoencoderFit] to use on `x`.
#' @param ... Arguments of [trainAutoencoder()] when `fit` is `NULL`, e.g.
#'   `likelihood`, `ncomponents`, `epochs` (with a `fit` there is nothing
#'   to train: they are an error of class `exprae_error_argument`); for
#'   `runDenoised()`, also those of `calculateDenoised()`.
#' @param batch Batch of each sample (a `colData` column name, or one value
#'   per sample): used for training when `fit` is `NULL`, and for
#'   prediction.
#' @param transform_batch `NULL`, or a batch level: the expression as if
#'   every sample came from that batch.
#' @param assay.type Assay of a SummarizedExperiment `x`; `NULL` picks it
#'   from the likelihood (see [trainAutoencoder()]) or the fit.
#' @param size_factors `NULL` or one positive number per sample (count
#'   models): used for training when `fit` is `NULL`, and for the
#'   encoder's input in prediction (see [predict()][predict.AutoencoderFit]);
#'   the result is still per unit size factor.
#' @param n_threads Number of CPU threads of the engine.
#' @param name Name of the assay to store (an assay of that name, even
#'   `"counts"`, is replaced, as scater's runX functions replace theirs);
#'   the `rowData` columns are `<name>_theta` (or `<name>_theta_<batch>`
#'   for a `"gene-batch"` dispersion); every `rowData` column named
#'   `<name>_theta` or `<name>_theta_...` (an earlier run's) is removed
#'   first.
#'
#' @return `calculateDenoised()`: a numeric matrix (a DelayedMatrix for a
#'   DelayedMatrix input, realised by DelayedArray's backend), genes of the
#'   fit x samples, with the [AutoencoderFit] in the attribute `"fit"`.
#'   `runDenoised()`: `x` with the assay `name` (`NA` for genes outside the
#'   fit) and, for `"nb"` and `"zinb"` models, the dispersion columns in
#'   `rowData(x)`. Another input is an error of class `exprae_error_input`.
#' @seealso [predict()][predict.AutoencoderFit], [geneDispersion()]
#' @name calculateDenoised
#' @aliases calculateDenoised,ANY-method
#' @examples
#' set.seed(1)
#' counts <- matrix(rnbinom(100 * 30, mu = 4, size = 2), 100,
#'     dimnames = list(paste0("g", 1:100), paste0("s", 1:30)))
#' se <- SummarizedExperiment::SummarizedExperiment(list(counts = counts))
#' se <- runDenoised(se, likelihood = "nb", ncomponents = 2, hidden = 8,
#'     epochs = 3, n_threads = 1, verbose = FALSE)
#' SummarizedExperiment::assay(se, "denoised")[1:3, 1:4]
#' head(SummarizedExperiment::rowData(se))
NULL

#' @rdname calculateDenoised
#' @export
setMethod("calculateDenoised", "ANY", function(x, fit = NULL, ...,
    batch = NULL, transform_batch = NULL, assay.type = NULL,
    size_factors = NULL, n_threads = 1) {
    .check_assay_type_applies(x, assay.type)  # before training
    if (is.null(fit)) {
        .check_denoise_source(list(...)$dimred)  # before training
        fit <- if (is(x, "SummarizedExperiment")) {
            trainAutoencoder(x, ..., batch = batch, assay.type = assay.type,
                size_factors = size_factors, n_threads = n_threads)
        } else {
            trainAutoencoder(x, ..., batch = batch,
                size_factors = size_factors, n_threads = n_threads)
        }
    } else {
        .check_no_training_arguments(...)
    }
    if (!is(fit, "AutoencoderFit")) {
        .abort("argument", "{.arg fit} must be {.code NULL} or an
            {.cls AutoencoderFit}, not a {.cls {class(fit)}}.")
    }
    fit <- .check_fit(fit)  # intact before its settings are read
    .check_denoise_source(fit@options$dimred)
    # per unit size factor, whether the size factors were given or not
    denoised <- .predict_newdata(fit, x, "expression", assay.type,
        batch = batch, size_factors = size_factors,
        transform_batch = transform_batch, n_threads = n_threads,
        per_unit = TRUE)
    attr(denoised, "fit") <- fit
    denoised
})

# With a fit given there is nothing to train: a training argument is named
# as such, anything else as unknown.
.check_no_training_arguments <- function(...) {
    given <- intersect(names(list(...)), names(formals(.train_autoencoder)))
    if (length(given) > 0L) {
        n <- length(given)
        .abort("argument", c(
            "{.arg {given}} {?is a training argument/are training
            arguments}, but {.arg fit} is given: there is nothing to
            train.",
            i = "Drop {cli::qty(n)}{?it/them}, or leave {.arg fit} out to
                train a model here."
        ))
    }
    .check_no_dots(...)
}

# Denoising gives genes; a model of a reducedDim has none.
.check_denoise_source <- function(dimred) {
    if (!is.null(dimred)) {
        .abort("argument", c(
            "Denoising needs a model of genes, not of the reducedDim
            {.val {dimred}}.",
            i = "Train on an assay (leave {.arg dimred} out), or use
                {.code predict(fit, x, type = \"reconstruction\")} for the
                reconstructed components of a model of a reducedDim."
        ))
    }
}

#' @rdname calculateDenoised
#' @export
setMethod("runDenoised", "SummarizedExperiment", function(x, fit = NULL,
    ..., name = "denoised") {
    if (!is.character(name) || length(name) != 1L || is.na(name)) {
        .abort("argument", "{.arg name} must be a string, not {.val {name}}.")
    }
    denoised <- calculateDenoised(x, fit = fit, ...)
    fit <- attr(denoised, "fit")
    genes <- rownames(x) %||% sprintf("gene%d", seq_len(nrow(x)))
    rows <- match(rownames(denoised), genes)
    full <- matrix(NA_real_, nrow(x), ncol(x), dimnames = dimnames(x))
    full[rows, ] <- as.matrix(denoised)  # a DelayedMatrix for one
    SummarizedExperiment::assay(x, name, withDimnames = FALSE) <- full
    # an earlier run's dispersions under this name would outlive its model
    rd <- SummarizedExperiment::rowData(x)
    stale <- startsWith(names(rd), name) &
        grepl("^_theta(_|$)", substring(names(rd), nchar(name) + 1L))
    SummarizedExperiment::rowData(x) <- rd[, !stale, drop = FALSE]
    if (.fit_likelihood(fit) %in% c("nb", "zinb")) {
        theta <- geneDispersion(fit)
        for (column in setdiff(names(theta), "gene")) {
            values <- rep(NA_real_, nrow(x))
            values[rows] <- theta[[column]]
            SummarizedExperiment::rowData(x)[[paste(name, column,
                sep = "_")]] <- values
        }
    }
    x
})

#' @rdname calculateDenoised
#' @export
setMethod("runDenoised", "ANY", function(x, fit = NULL, ...,
    name = "denoised") {
    .abort("input", c(
        "{.fn runDenoised} stores the denoised expression as an assay of a
        SummarizedExperiment.",
        x = "{.arg x} is a {.cls {class(x)}}.",
        i = "Use {.fn calculateDenoised} for a matrix."
    ))
})

#' Fitted dispersion of each gene
#'
#' The negative binomial dispersion a `"nb"` or `"zinb"` model learned for
#' each gene, as the size parameter theta (the inverse dispersion): a
#' count with mean mu has variance `mu + mu^2 / theta`, as in
#' [stats::dnbinom()] with `size = theta`. Small values mean
#' overdispersed genes.
#'
#' @param object An [AutoencoderFit] with likelihood `"nb"` or `"zinb"`
#'   (other fits are an error of class `exprae_error_argument`).
#' @param ... Not used: an argument not named above is an error.
#'
#' @return A data frame with a row per gene of the fit: column `gene` and,
#'   for `dispersion = "gene"`, column `theta`; for `"gene-batch"`, one
#'   column `theta_<level>` per batch level.
#' @seealso [trainAutoencoder()], [runDenoised()]
#' @name geneDispersion
#' @aliases geneDispersion,AutoencoderFit-method
#' @examples
#' set.seed(1)
#' counts <- matrix(rnbinom(100 * 30, mu = 4, size = 2), 100)
#' fit <- trainAutoencoder(counts, likelihood = "nb", ncomponents = 2,
#'     hidden = 8, epochs = 3, n_threads = 1, verbose = FALSE)
#' head(geneDispersion(fit))
NULL

#' @rdname geneDispersion
#' @export
setMethod("geneDispersion", "AutoencoderFit", function(object, ...) {
    .check_no_dots(...)
    object <- .check_fit(object)
    likelihood <- .fit_likelihood(object)
    if (!likelihood %in% c("nb", "zinb")) {
        .abort("argument", c(
            "{.fn geneDispersion} needs an {.val nb} or {.val zinb} model.",
            x = "This model's likelihood is {.val {likelihood}}."
        ))
    }
    log_theta <- object@weights[["dispersion.bias"]][, 1L]
    out <- data.frame(gene = object@genes)
    # the model's setting, which the architecture check has seen
    if (identical(object@model$dispersion, "gene-batch")) {
        by_batch <- log_theta + object@weights[["dispersion.weight"]]
        for (k in seq_along(object@options$batch_levels)) {
            level <- object@options$batch_levels[k]
            out[[paste0("theta_", level)]] <- exp(by_batch[, k])
        }
        return(out)
    }
    out$theta <- exp(log_theta)
    out
})

#' @rdname geneDispersion
#' @export
setMethod("geneDispersion", "ANY", function(object, ...) {
    .abort_not_autoencoder(object, "geneDispersion")
})
