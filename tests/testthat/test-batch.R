test_that("a batch column is coded and stored in the fit", {
    fit <- test_count_fit
    expect_identical(fit@options$batch_levels, c("b1", "b2", "b3"))
    expect_identical(fit@options$batch_column, "batch")
    expect_identical(fit@options$dispersion, "gene-batch")
    expect_identical(fit@model$n_batches, 3L)
    # the one-hot enters the first dense layers of encoder and decoder
    expect_identical(ncol(fit@weights[["encoder.1.weight"]]),
        nrow(test_counts) + 3L)
    expect_identical(ncol(fit@weights[["decoder.1.weight"]]), 2L + 3L)
})

test_that("factor levels keep their order; other values are sorted", {
    expect_identical(.training_batch(factor(c("z", "a", "z"),
        levels = c("z", "a", "q")), 3)$levels, c("z", "a"))
    coded <- .training_batch(c(3, 1, 3, 2), 4)
    expect_identical(coded$levels, c("1", "2", "3"))
    expect_identical(coded$codes, c(3L, 1L, 3L, 2L))
    # numbers match as numbers, whether integer or double (R writes the
    # double 1e5 as "1e+05")
    big <- .training_batch(c(2e5, 1e5, 1e5, 3e5), 4)
    expect_identical(big$levels, c("100000", "200000", "300000"))
    fit <- fast_fit(test_mat, batch = rep(c(1e5, 2e5), 12), epochs = 2)
    expect_identical(fit@options$batch_levels, c("100000", "200000"))
    expect_equal(predict(fit, test_mat, batch = rep(c(100000L, 200000L), 12)),
        predict(fit, test_mat, batch = rep(c(1e5, 2e5), 12)))
    expect_identical(.transform_batch_code(2e5, big$levels), 2L)
    # a fit saved by an earlier build stored R's writing, "1e+05"
    older <- fit
    older@options$batch_levels <- c("1e+05", "2e+05")
    expect_equal(predict(older, test_mat, batch = rep(c(1e5, 2e5), 12)),
        predict(fit, test_mat, batch = rep(c(1e5, 2e5), 12)))
    expect_identical(.transform_batch_code(2e5, older@options$batch_levels),
        2L)
    expect_identical(.training_batch(c(10, 9, 10), 3)$levels, c("9", "10"))
})

test_that("bad batches are classed errors that say what to do", {
    se <- test_count_se
    expect_error(fast_fit(se, likelihood = "nb", batch = "plate"),
        "plate", class = "exprae_error_batch")
    se$one <- "b1"
    expect_error(fast_fit(se, likelihood = "nb", batch = "one"),
        "2 levels", class = "exprae_error_batch")
    se$holey <- se$batch
    se$holey[5] <- NA
    expect_error(fast_fit(se, likelihood = "nb", batch = "holey"), "NA",
        class = "exprae_error_batch")
    expect_error(fast_fit(test_counts, likelihood = "nb", batch = 1:3),
        "one value per sample", class = "exprae_error_batch")
    expect_error(fast_fit(test_counts, likelihood = "nb", batch = "batch"),
        "one value per sample", class = "exprae_error_batch")
    expect_error(fast_fit(test_mat, batch = list(1, 2)),
        class = "exprae_error_batch")
    expect_warning(fast_fit(test_mat, batch = seq_len(ncol(test_mat)),
        epochs = 1), "batch of its own", class = "exprae_warning_batch")
    # named by sample in another order: refused, in training and prediction
    named <- stats::setNames(test_count_se$batch, colnames(test_counts))
    expect_error(fast_fit(test_counts, likelihood = "nb",
        batch = rev(named)), "batch\\[colnames\\(x\\)\\]",
        class = "exprae_error_batch")
    expect_error(predict(test_count_fit, test_counts, batch = rev(named)),
        "not as the samples are", class = "exprae_error_batch")
    expect_identical(predict(test_count_fit, test_counts, batch = named),
        predict(test_count_fit, test_counts, batch = unname(named)))
    # names shifted by one (one of them no sample's) are refused too
    shifted <- stats::setNames(named, c(colnames(test_counts)[-1], "new"))
    expect_error(fast_fit(test_counts, likelihood = "nb", batch = shifted),
        "value 1 is named \"s2\"", class = "exprae_error_batch")
    # names that are no sample's (empty, stale after renaming) say nothing
    # of the order: taken in order
    partly <- stats::setNames(named, c(colnames(test_counts)[1:15],
        rep("", 5), paste0("old", 1:10)))
    expect_identical(predict(test_count_fit, test_counts, batch = partly),
        predict(test_count_fit, test_counts, batch = unname(named)))
    # a factor's NA level and an empty string are no batch
    na_level <- factor(replace(test_count_se$batch, 2, NA), exclude = NULL)
    expect_true(anyNA(levels(na_level)))
    expect_error(fast_fit(test_counts, likelihood = "nb", batch = na_level),
        "sample 2", class = "exprae_error_batch")
    expect_error(predict(test_count_fit, test_counts, batch = na_level),
        "NA", class = "exprae_error_batch")
    expect_error(fast_fit(test_counts, likelihood = "nb",
        batch = replace(test_count_se$batch, 3, "")), "empty",
        class = "exprae_error_batch")
})

test_that("a batch model predicts with the batch of the new data", {
    fit <- test_count_fit
    # the SE's column of the same name is used
    expect_equal(predict(fit, test_count_se), fit@embedding,
        tolerance = 1e-5)
    expect_equal(predict(fit, test_counts, batch = test_count_se$batch),
        fit@embedding, tolerance = 1e-5)
    expect_error(predict(fit, test_counts), "transform_batch",
        class = "exprae_error_batch")
    expect_error(predict(fit, test_counts, batch = rep("b9", 30)), "b9",
        class = "exprae_error_batch")
    expect_error(predict(fit, test_counts, transform_batch = "b4"), "b4",
        class = "exprae_error_batch")
    expect_error(predict(fit, test_counts, transform_batch = c("b1",
        "b2")), class = "exprae_error_batch")
    expect_error(predict(test_fit, test_mat, batch = rep(1, 24)),
        "without batches", class = "exprae_error_batch")
})

test_that("transform_batch decodes every sample as one batch", {
    fit <- test_count_fit
    batch <- test_count_se$batch
    as_b1 <- predict(fit, test_counts, type = "expression", batch = batch,
        transform_batch = "b1")
    own <- predict(fit, test_counts, type = "expression", batch = batch)
    in_b1 <- batch == "b1"
    expect_equal(as_b1[, in_b1], own[, in_b1], tolerance = 1e-6)
    expect_false(isTRUE(all.equal(as_b1[, !in_b1], own[, !in_b1])))
    # the latent does not depend on the decoder's batch
    expect_equal(predict(fit, test_counts, batch = batch,
        transform_batch = "b2"), fit@embedding, tolerance = 1e-5)
    # without batch, the samples are taken to come from transform_batch
    alone <- predict(fit, test_counts, type = "expression",
        transform_batch = "b1")
    expect_equal(alone, predict(fit, test_counts, type = "expression",
        batch = rep("b1", 30)), tolerance = 1e-6)
})

test_that("the latent space of bladderbatch is freed of batch, not of
    cancer (evidence 7b)", {
    skip_on_cran()
    skip_if_not_installed("bladderbatch")
    skip_if_not_installed("Biobase")
    env <- new.env()
    utils::data("bladderdata", package = "bladderbatch", envir = env)
    eset <- env$bladderEset
    expr <- Biobase::exprs(eset)
    pd <- Biobase::pData(eset)
    top <- order(apply(expr, 1, stats::var), decreasing = TRUE)[1:2000]
    x <- expr[top, ]
    pca <- stats::prcomp(t(x), rank. = 10)$x
    # A conditional VAE with a linear decoder (as scVI's LDVAE): the batch
    # one-hot shifts each gene, the latent keeps the biology. Over seeds
    # 1-5 (1 thread), batch accuracy was 0.46-0.58 and
    # cancer accuracy 0.90-0.97; seed 4 is a typical one.
    set.seed(4)
    fit <- trainAutoencoder(x, batch = factor(pd$batch), batch_penalty = 0,
        batch_mmd = 0,
        ncomponents = 10, variational = TRUE, scale = TRUE,
        encoder = list(layer_dense(128, "elu")), decoder = list(),
        corruption = "gaussian", corruption_rate = 0.5, batch_size = 16,
        epochs = 300, validation_split = 0, patience = 0, n_threads = 2,
        verbose = FALSE)
    acc <- c(
        pca_batch = loo_knn_accuracy(pca, pd$batch),
        pca_cancer = loo_knn_accuracy(pca, pd$cancer),
        ae_batch = loo_knn_accuracy(fit@embedding, pd$batch),
        ae_cancer = loo_knn_accuracy(fit@embedding, pd$cancer)
    )
    message(paste(names(acc), round(acc, 3), collapse = ", "))
    expect_lt(acc[["ae_batch"]], acc[["pca_batch"]] - 0.1)
    expect_gte(acc[["ae_cancer"]], 0.9)
})

test_that("batch_penalty and batch_mmd are checked, and need batches", {
    for (arg in c("batch_penalty", "batch_mmd")) {
        fit_with <- function(value, ...) {
            do.call(fast_fit, c(list(test_mat, ...),
                stats::setNames(list(value), arg)))
        }
        for (bad in list(-1, NA, Inf, "1", c(1, 2))) {
            expect_error(fit_with(bad, batch = rep(1:2, 12)), arg,
                class = "exprae_error_argument")
        }
        expect_error(fit_with(1), "needs", class = "exprae_error_argument")
        # 0 without batches asks for nothing
        expect_s4_class(fit_with(0), "AutoencoderFit")
    }
})

test_that("by default a batch model has the batch MMD and no adversary", {
    batch <- rep(c("p", "q"), 12)
    fit <- withr::with_seed(3, fast_fit(test_mat, batch = batch))
    expect_identical(fit@model$batch_mmd, .default_batch_mmd)
    expect_null(fit@model$adversary)
    expect_output(show(fit), "batch MMD, weight 0.05")
    bad <- fit
    bad@model$batch_mmd <- -1
    expect_error(predict(bad, test_mat, batch = batch),
        class = "exprae_error_fit")
    plain <- fast_fit(test_mat, batch = batch, batch_mmd = 0)
    expect_null(plain@model$batch_mmd)
    expect_output(show(plain), "none \\(batch_mmd = 0, batch_penalty = 0\\)")
})

test_that("the batch adversary is saved with the fit, 0 turns it off", {
    batch <- rep(c("p", "q"), 12)
    fit <- withr::with_seed(3, fast_fit(test_mat, batch = batch,
        batch_penalty = 1, batch_mmd = 0))
    expect_identical(fit@model$batch_penalty, 1)
    expect_identical(nrow(fit@weights[["adversary.2.weight"]]), 2L)
    expect_output(show(fit), "batch adversary, penalty 1")
    expect_equal(predict(fit, test_mat, batch = batch), fit@embedding,
        tolerance = 1e-5)
    plain <- withr::with_seed(3, fast_fit(test_mat, batch = batch,
        batch_penalty = 0, batch_mmd = 0))
    expect_null(plain@model$adversary)
    expect_false(any(startsWith(names(plain@weights), "adversary")))
    # set.seed() makes it reproducible
    again <- withr::with_seed(3, fast_fit(test_mat, batch = batch,
        batch_penalty = 1, batch_mmd = 0))
    expect_identical(again@weights, fit@weights)
    bad <- fit
    bad@model$batch_penalty <- -1
    expect_error(predict(bad, test_mat, batch = batch),
        class = "exprae_error_fit")
    path <- tempfile(fileext = ".rds")
    saveRDS(fit, path)
    expect_equal(predict(readRDS(path), test_mat, batch = batch),
        fit@embedding, tolerance = 1e-5)
})

test_that("the batch adversary mixes two simulated batches", {
    # two groups (the biology) crossed with two batches that shift every
    # gene; the penalty brings each sample's neighbours from both batches
    withr::local_seed(11)
    n <- 40
    group <- rep(c(0, 1), each = n / 2)
    batch <- rep(c("b1", "b2"), n / 2)
    m <- outer(stats::rnorm(30), group) * 2 +
        outer(stats::rnorm(30), batch == "b2") * 3 +
        matrix(stats::rnorm(30 * n), 30)
    dimnames(m) <- list(paste0("g", seq_len(30)), paste0("s", seq_len(n)))
    knn <- function(penalty) {
        fit <- withr::with_seed(1, fast_fit(m, batch = batch,
            batch_penalty = penalty, batch_mmd = 0, hidden = 16,
            epochs = 60, validation_split = 0, patience = 0))
        loo_knn_accuracy(fit@embedding, batch)
    }
    expect_lt(knn(1), knn(0) - 0.1)
})

test_that("the batch MMD mixes two simulated batches", {
    # as above: two groups crossed with two batches that shift every gene
    withr::local_seed(11)
    n <- 40
    group <- rep(c(0, 1), each = n / 2)
    batch <- rep(c("b1", "b2"), n / 2)
    m <- outer(stats::rnorm(30), group) * 2 +
        outer(stats::rnorm(30), batch == "b2") * 3 +
        matrix(stats::rnorm(30 * n), 30)
    dimnames(m) <- list(paste0("g", seq_len(30)), paste0("s", seq_len(n)))
    knn <- function(weight, labels) {
        fit <- withr::with_seed(1, fast_fit(m, batch = batch,
            batch_mmd = weight, epochs = 200, validation_split = 0,
            patience = 0))
        loo_knn_accuracy(fit@embedding, labels)
    }
    # a weight above the default: here the batches lie 3 standard
    # deviations apart in every gene (0.05 leaves them apart)
    expect_lt(knn(0.5, batch), knn(0, batch) - 0.1)
    expect_gte(knn(0.5, group), 0.9)
})
