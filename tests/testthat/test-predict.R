test_that("predict() on the training data gives the training embedding", {
    expect_identical(predict(test_fit), test_fit@embedding)
    expect_equal(predict(test_fit, test_se), test_fit@embedding,
        tolerance = 1e-5)
    expect_equal(predict(test_fit, test_mat), test_fit@embedding,
        tolerance = 1e-5)
    expect_equal(predict(test_fit, test_sparse), test_fit@embedding,
        tolerance = 1e-4)
    expect_equal(predict(test_fit, test_sce, n_threads = 2),
        test_fit@embedding, tolerance = 1e-5)
})

test_that("genes are aligned by name; extra genes are dropped", {
    extra <- rbind(test_mat, extra1 = 1, extra2 = 2)
    shuffled <- extra[rev(seq_len(nrow(extra))), 1:5]
    expect_equal(predict(test_fit, shuffled), test_fit@embedding[1:5, ],
        tolerance = 1e-5)
})

test_that("missing genes are a classed error naming them", {
    err <- expect_error(predict(test_fit, test_mat[-(1:7), ]),
        class = "exprae_error_genes")
    msg <- conditionMessage(err)
    expect_match(msg, "7 genes")
    expect_match(msg, "g1")
    expect_match(msg, "g5")
    expect_false(grepl("g7", msg))
})

test_that("reconstructions are on the input scale", {
    rec <- predict(test_fit, test_mat, type = "reconstruction")
    expect_identical(dimnames(rec), dimnames(test_mat))
    null_model <- stats::sd(test_mat - rowMeans(test_mat))
    expect_lt(stats::sd(rec - test_mat), 10 * null_model)
    expect_equal(rowMeans(rec), rowMeans(test_mat), tolerance = 0.5)
    expect_error(predict(test_fit, type = "reconstruction"), "newdata",
        class = "exprae_error_argument")
})

test_that("predict() checks its arguments", {
    expect_error(predict(test_fit, test_mat, type = "hidden"), "type",
        class = "exprae_error_argument")
    expect_error(predict(test_fit, test_mat, n_threads = 0), "n_threads",
        class = "exprae_error_argument")
    expect_error(predict(test_fit, test_se, assay.type = "tpm"),
        class = "exprae_error_assay")
    bad <- test_mat
    bad[1, 1] <- NA
    expect_error(predict(test_fit, bad), class = "exprae_error_input")
    expect_identical(dim(predict(test_fit, test_se, assay.type = "counts")),
        c(ncol(test_mat), 2L))
    # an assay named for a matrix would be ignored
    expect_error(predict(test_fit, test_mat, assay.type = "counts"),
        "SummarizedExperiment", class = "exprae_error_argument")
    expect_error(reconstructionError(test_fit, test_mat, assay.type = "x"),
        class = "exprae_error_argument")
    expect_error(calculateDenoised(test_mat, assay.type = "counts",
        epochs = 1, verbose = FALSE), class = "exprae_error_argument")
})

test_that("a saved fit predicts after readRDS()", {
    path <- withr::local_tempfile(fileext = ".rds")
    saveRDS(test_fit, path)
    fit <- readRDS(path)
    expect_identical(predict(fit, test_mat), predict(test_fit, test_mat))
})

test_that("a saved fit predicts in a fresh R process", {
    skip_if_not_installed("callr")
    skip_if(!nzchar(system.file(package = "exprae")),
        "exprae is not installed")
    path <- withr::local_tempfile(fileext = ".rds")
    saveRDS(list(fit = test_fit, newdata = test_mat), path)
    fresh <- callr::r(function(path) {
        suppressPackageStartupMessages(library(exprae))
        saved <- readRDS(path)
        stats::predict(saved$fit, saved$newdata)
    }, args = list(path = path), libpath = .libPaths())
    expect_equal(fresh, predict(test_fit, test_mat), tolerance = 1e-6)
})

test_that("a single new sample can be embedded, but not zero samples", {
    one <- predict(test_fit, test_mat[, 3, drop = FALSE])
    expect_equal(dim(one), c(1L, ncol(test_fit@embedding)))
    expect_equal(one[1, ], predict(test_fit, test_mat)[3, ],
        tolerance = 1e-6)
    expect_error(predict(test_fit, test_mat[, 0, drop = FALSE]),
        class = "exprae_error_input")
})

test_that("a gene of the fit named twice in new data is an error", {
    doubled <- rbind(test_mat[1, , drop = FALSE] + 100, test_mat)
    expect_error(predict(test_fit, doubled), rownames(test_mat)[1],
        class = "exprae_error_input")
})

test_that("count models give normalised expression or denoised counts", {
    fit <- test_count_fit
    batch <- test_count_se$batch
    sf <- colSums(test_counts) / fit@options$library_mean
    counts <- predict(fit, test_counts, type = "reconstruction",
        batch = batch)
    expect_identical(dimnames(counts), dimnames(test_counts))
    normalised <- predict(fit, test_counts, type = "expression",
        batch = batch)
    expect_equal(normalised, sweep(counts, 2, sf, "/"), tolerance = 1e-6)
    given <- predict(fit, test_counts, type = "expression", batch = batch,
        size_factors = sf)
    expect_equal(given, counts, tolerance = 1e-6)
    # a single sample gets the size factor it has among the training ones
    one <- predict(fit, test_counts[, 7, drop = FALSE], type = "expression",
        batch = batch[7])
    expect_equal(one[, 1], normalised[, 7], tolerance = 1e-6)
})

test_that("Gaussian expression is the reconstruction", {
    expect_identical(predict(test_fit, test_mat, type = "expression"),
        predict(test_fit, test_mat, type = "reconstruction"))
    expect_error(predict(test_fit, test_mat, size_factors = rep(1, 24)),
        "count", class = "exprae_error_argument")
})

test_that("sample = TRUE draws latent values, reproducibly with set.seed()", {
    fit <- test_count_fit
    set.seed(5)
    a <- predict(fit, test_count_se, sample = TRUE)
    set.seed(5)
    b <- predict(fit, test_count_se, sample = TRUE)
    expect_identical(a, b)
    expect_false(isTRUE(all.equal(a, fit@embedding)))
    expect_identical(dim(a), dim(fit@embedding))
    expect_equal(predict(fit, test_count_se), fit@embedding,
        tolerance = 1e-5)
    expect_error(predict(test_fit, test_mat, sample = TRUE), "variational",
        class = "exprae_error_argument")
    expect_error(predict(fit, test_count_se, type = "expression",
        sample = TRUE), class = "exprae_error_argument")
    expect_error(predict(fit, sample = TRUE), "newdata",
        class = "exprae_error_argument")
})

test_that("a count, variational, batch fit survives saveRDS()", {
    path <- withr::local_tempfile(fileext = ".rds")
    saveRDS(test_count_fit, path)
    fit <- readRDS(path)
    expect_identical(fit, test_count_fit)
    expect_identical(predict(fit, test_count_se, type = "expression"),
        predict(test_count_fit, test_count_se, type = "expression"))
    expect_identical(geneDispersion(fit), geneDispersion(test_count_fit))
})

test_that("a fit from before count models still predicts as Gaussian", {
    old <- test_fit
    old@options[c("likelihood", "variational", "dispersion", "log1p",
        "batch_levels", "training_error", "corruption", "kl_warmup")] <- NULL
    old@model <- old@model[c("encoder", "decoder")]
    expect_true(validObject(old))
    expect_equal(predict(old, test_mat), predict(test_fit, test_mat))
    expect_equal(predict(old, test_mat, type = "expression"),
        predict(test_fit, test_mat, type = "expression"))
    expect_output(show(old), "gaussian likelihood")
})
