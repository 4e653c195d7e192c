test_that("calculateAutoencoder() returns the embedding with its fit", {
    for (x in list(test_mat, test_sparse, test_se, test_sce)) {
        emb <- withr::with_seed(3, do.call(calculateAutoencoder,
            c(list(x), fast_args)))
        expect_identical(dim(emb), c(ncol(test_mat), 2L))
        expect_identical(colnames(emb), c("AE1", "AE2"))
        expect_identical(rownames(emb), colnames(test_mat))
        fit <- attr(emb, "fit")
        expect_s4_class(fit, "AutoencoderFit")
        expect_equal(unname(emb[, 1:2]), unname(fit@embedding))
    }
})

test_that("runAutoencoder() stores a reducedDim", {
    sce <- do.call(runAutoencoder, c(list(test_sce), fast_args))
    expect_identical(SingleCellExperiment::reducedDimNames(sce), "AE")
    emb <- SingleCellExperiment::reducedDim(sce, "AE")
    expect_identical(dim(emb), c(ncol(test_mat), 2L))
    expect_s4_class(attr(emb, "fit"), "AutoencoderFit")
    named <- do.call(runAutoencoder,
        c(list(test_sce, name = "AE_small"), fast_args))
    expect_true("AE_small" %in% SingleCellExperiment::reducedDimNames(named))
    expect_error(do.call(runAutoencoder,
        c(list(test_sce, name = 1), fast_args)), "name",
        class = "exprae_error_argument")
})

test_that("runAutoencoder() converts a SummarizedExperiment", {
    sce <- do.call(runAutoencoder, c(list(test_se), fast_args))
    expect_s4_class(sce, "SingleCellExperiment")
    expect_identical(SingleCellExperiment::reducedDimNames(sce), "AE")
    expect_identical(sce$group, test_se$group)
})

test_that("runAutoencoder() needs an experiment object", {
    expect_error(runAutoencoder(test_mat), "calculateAutoencoder",
        class = "exprae_error_input")
})

test_that("default runAutoencoder() separates B and T cells of ALL", {
    skip_if_not_installed("ALL")
    data("ALL", package = "ALL", envir = environment())
    expr <- Biobase::exprs(ALL)
    top <- order(apply(expr, 1, stats::var), decreasing = TRUE)[1:2000]
    lineage <- factor(substr(as.character(ALL$BT), 1, 1))
    sce <- SingleCellExperiment::SingleCellExperiment(
        assays = list(logcounts = expr[top, ]),
        colData = S4Vectors::DataFrame(lineage = lineage)
    )
    set.seed(100)
    sce <- runAutoencoder(sce, verbose = FALSE)
    emb <- SingleCellExperiment::reducedDim(sce, "AE")
    expect_identical(dim(emb), c(128L, 10L))
    expect_gte(loo_knn_accuracy(emb, lineage, k = 5), 0.95)
})
