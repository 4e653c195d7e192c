test_that("calculateDenoised() gives normalised expression and the fit", {
    fit <- withr::with_seed(1, fast_fit(test_counts, likelihood = "nb"))
    denoised <- calculateDenoised(test_counts, fit = fit)
    expect_identical(dimnames(denoised)[[1]], fit@genes)
    expect_identical(attr(denoised, "fit"), fit)
    attr(denoised, "fit") <- NULL
    expect_equal(denoised, predict(fit, test_counts, type = "expression"))
    expect_true(all(denoised > 0))
    # trains a model itself when no fit is given
    trained <- withr::with_seed(1, calculateDenoised(test_count_se,
        likelihood = "nb", ncomponents = 2, hidden = 8, epochs = 2,
        verbose = FALSE))
    expect_s4_class(attr(trained, "fit"), "AutoencoderFit")
    expect_identical(attr(trained, "fit")@options$assay.type, "counts")
    expect_error(calculateDenoised(test_counts, fit = "model"), "fit",
        class = "exprae_error_argument")
    expect_error(calculateDenoised(test_counts, fit = fit, epochs = 3),
        "training argument", class = "exprae_error_argument")
    expect_error(calculateDenoised(test_counts, fit = fit, epoks = 3),
        "epoks", class = "exprae_error_argument")
})

test_that("runDenoised() adds an assay and the dispersion to rowData", {
    se <- runDenoised(test_count_se, fit = test_count_fit, name = "dn")
    expect_true("dn" %in% SummarizedExperiment::assayNames(se))
    expect_identical(dim(SummarizedExperiment::assay(se, "dn")),
        dim(test_counts))
    rd <- SummarizedExperiment::rowData(se)
    expect_identical(grep("^dn_theta", names(rd), value = TRUE),
        paste0("dn_theta_", c("b1", "b2", "b3")))
    theta <- geneDispersion(test_count_fit)
    expect_equal(rd$dn_theta_b2, theta$theta_b2)
    # genes outside the fit get NA
    fit <- withr::with_seed(1, fast_fit(test_count_se, likelihood = "nb",
        ntop = 10))
    se <- runDenoised(test_count_se, fit = fit)
    denoised <- SummarizedExperiment::assay(se, "denoised")
    kept <- rownames(se) %in% fit@genes
    expect_true(all(is.na(denoised[!kept, ])))
    expect_true(all(is.finite(denoised[kept, ])))
    expect_identical(sum(!is.na(SummarizedExperiment::rowData(se)$
        denoised_theta)), 10L)
    expect_error(runDenoised(test_counts, fit = fit),
        class = "exprae_error_input")
    expect_error(runDenoised(test_count_se, fit = fit, name = NA),
        class = "exprae_error_argument")
    # a second run under the same name leaves no dispersion of the first
    again <- runDenoised(runDenoised(test_count_se, fit = test_count_fit,
        name = "dn"), fit = withr::with_seed(2, fast_fit(test_count_se,
        likelihood = "poisson")), name = "dn")
    expect_false(any(grepl("^dn_theta",
        names(SummarizedExperiment::rowData(again)))))
})

test_that("a model of a reducedDim does not denoise genes", {
    sce <- test_sce
    SingleCellExperiment::reducedDim(sce, "PCA") <-
        prcomp(t(SummarizedExperiment::assay(sce, "logcounts")))$x[, 1:4]
    fit <- fast_fit(sce, dimred = "PCA", ncomponents = 2)
    expect_error(runDenoised(sce, fit = fit), "reducedDim",
        class = "exprae_error_argument")
    expect_error(calculateDenoised(sce, fit = fit), "reducedDim",
        class = "exprae_error_argument")
    # refused before a model is trained, not after
    expect_error(calculateDenoised(sce, dimred = "PCA", epochs = 1e6),
        "reducedDim", class = "exprae_error_argument")
})

test_that("runDenoised() on a Gaussian fit adds no dispersion", {
    sce <- runDenoised(test_sce, fit = test_fit)
    expect_equal(SummarizedExperiment::assay(sce, "denoised"),
        predict(test_fit, test_sce, type = "reconstruction"))
    expect_false(any(grepl("theta",
        names(SummarizedExperiment::rowData(sce)))))
})

test_that("geneDispersion() gives theta per gene, or per gene and batch", {
    fit <- withr::with_seed(1, fast_fit(test_counts, likelihood = "zinb"))
    theta <- geneDispersion(fit)
    expect_identical(names(theta), c("gene", "theta"))
    expect_identical(theta$gene, fit@genes)
    expect_equal(theta$theta, exp(fit@weights[["dispersion.bias"]][, 1]))
    by_batch <- geneDispersion(test_count_fit)
    w <- test_count_fit@weights
    expect_equal(by_batch$theta_b3, exp(w[["dispersion.bias"]][, 1] +
        w[["dispersion.weight"]][, 3]))
    expect_error(geneDispersion(test_fit), "gaussian",
        class = "exprae_error_argument")
    expect_error(geneDispersion(test_count_fit, batch = "b1"), "batch",
        class = "exprae_error_argument")
})

test_that("calculateDenoised() uses given size factors in prediction too", {
    sf <- rep(c(0.5, 2), length.out = ncol(test_counts))
    args <- list(likelihood = "nb", ncomponents = 2, hidden = 8, epochs = 2,
        verbose = FALSE, n_threads = 1)
    denoised <- withr::with_seed(3, do.call(calculateDenoised,
        c(list(test_counts, size_factors = sf), args)))
    fit <- withr::with_seed(3, do.call(trainAutoencoder,
        c(list(test_counts, size_factors = sf), args)))
    # per unit size factor, from an encoder that read the counts over sf
    expected <- sweep(predict(fit, test_counts, type = "expression",
        size_factors = sf), 2L, sf, "/")
    attr(denoised, "fit") <- NULL
    expect_equal(denoised, expected)
    # without them the encoder reads counts over library sizes: not these
    without <- expect_warning(predict(fit, test_counts, type = "expression"),
        class = "exprae_warning_size_factors")
    expect_false(isTRUE(all.equal(denoised, without)))
    # with a fit there is nothing to train: training arguments are errors
    expect_error(calculateDenoised(test_counts, fit = fit, ncomponents = 5),
        "ncomponents", class = "exprae_error_argument")
})

test_that("runDenoised() takes a SummarizedExperiment of a DelayedMatrix", {
    se <- SummarizedExperiment::SummarizedExperiment(
        list(counts = DelayedArray::DelayedArray(test_counts)))
    fit <- withr::with_seed(7, fast_fit(test_counts, likelihood = "nb",
        epochs = 2))
    out <- runDenoised(se, fit = fit)
    expect_equal(SummarizedExperiment::assay(out, "denoised"),
        as.matrix(calculateDenoised(test_counts, fit = fit)),
        ignore_attr = TRUE)
})

