test_that("reconstructionError() gives the NLL per sample and per gene", {
    fit <- test_count_fit
    by_sample <- reconstructionError(fit)
    expect_identical(names(by_sample), c("sample", "nll"))
    expect_identical(by_sample$sample, colnames(test_counts))
    expect_true(all(by_sample$nll > 0))
    by_gene <- reconstructionError(fit, by = "gene")
    expect_identical(by_gene$gene, fit@genes)
    # the same on the training data given again
    again <- reconstructionError(fit, test_count_se)
    expect_equal(again, by_sample, tolerance = 1e-5)
    # per sample sums over genes, per gene averages over samples
    expect_equal(sum(by_sample$nll), sum(by_gene$nll) * ncol(test_counts),
        tolerance = 1e-8)
})

test_that("a Gaussian model's error is half the squared error in its
    scaled space", {
    rec <- predict(test_fit, test_mat, type = "reconstruction")
    half_sq <- 0.5 * ((test_mat - rec) / test_fit@scale)^2
    err <- reconstructionError(test_fit, test_mat)
    expect_equal(err$nll, unname(colSums(half_sq)), tolerance = 1e-4)
    expect_equal(reconstructionError(test_fit, test_mat, by = "gene")$nll,
        unname(rowMeans(half_sq)), tolerance = 1e-4)
})

test_that("a badly reconstructed sample stands out", {
    m <- test_mat
    m[, 5] <- rev(m[, 5]) + 5
    err <- reconstructionError(test_fit, m)
    expect_identical(which.max(err$nll), 5L)
    # new count data need the batch of their samples
    counts <- reconstructionError(test_count_fit, test_counts,
        batch = test_count_se$batch)
    expect_equal(counts, reconstructionError(test_count_fit),
        tolerance = 1e-5)
})

test_that("reconstructionError() checks its arguments", {
    expect_error(reconstructionError(test_fit, by = "cell"), "by",
        class = "exprae_error_argument")
    old <- test_fit
    old@options$training_error <- NULL
    expect_error(reconstructionError(old), "newdata",
        class = "exprae_error_argument")
    expect_error(reconstructionError(test_count_fit, test_counts),
        class = "exprae_error_batch")
    # a misspelt argument is named, not ignored
    err <- expect_error(reconstructionError(test_fit, by_gene = TRUE),
        class = "exprae_error_argument")
    expect_match(conditionMessage(err), "by_gene")
})
