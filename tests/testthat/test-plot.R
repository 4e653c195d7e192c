test_that("plot() draws training and validation loss", {
    p <- plot(test_fit)
    expect_s3_class(p, "ggplot")
    built <- ggplot2::ggplot_build(p)
    expect_identical(levels(p$data$set), c("training", "validation"))
    expect_setequal(as.character(unique(p$data$set)),
        c("training", "validation"))
    expect_identical(nrow(p$data), 2L * nrow(trainingHistory(test_fit)))
    expect_length(built$data, 3)
    expect_identical(p$labels$y, "Loss (mean squared error)")
    expect_identical(plot(test_count_fit)$labels$y,
        "Loss (zinb negative log-likelihood + KL)")
})

test_that("plot() without validation draws the training loss only", {
    fit <- fast_fit(test_mat, validation_split = 0)
    p <- plot(fit)
    expect_identical(unique(as.character(p$data$set)), "training")
    path <- withr::local_tempfile(fileext = ".png")
    ggplot2::ggsave(path, p, width = 4, height = 3, dpi = 50)
    expect_true(file.exists(path))
})

test_that("the latent space is coloured by any annotation column", {
    p <- plot(test_fit, type = "latent", colour_by = "group")
    built <- ggplot2::ggplot_build(p)
    expect_identical(nrow(built$data[[1]]), ncol(test_mat))
    expect_equal(built$data[[1]]$x, unname(test_fit@embedding[, 1]))
    expect_length(unique(built$data[[1]]$colour), 2L)
    expect_identical(p$labels$colour, "group")
    numeric <- ggplot2::ggplot_build(plot(test_fit, type = "latent",
        colour_by = "depth", dims = c(2, 1)))
    expect_equal(numeric$data[[1]]$x, unname(test_fit@embedding[, 2]))
    expect_gt(length(unique(numeric$data[[1]]$colour)), 2L)
    err <- expect_error(plot(test_fit, type = "latent", colour_by = "nope"),
        class = "exprae_error_argument")
    expect_match(conditionMessage(err), "group")
    expect_error(plot(test_fit, type = "latent", dims = c(1, 3)), "dims",
        class = "exprae_error_argument")
    expect_error(plot(test_fit, type = "umap"), "type",
        class = "exprae_error_argument")
    one <- fast_fit(test_mat, ncomponents = 1)
    expect_error(plot(one, type = "latent"), "two components",
        class = "exprae_error_argument")
})

test_that("the reconstruction error is drawn per sample, held out apart", {
    p <- plot(test_fit, type = "error", bins = 5)
    expect_equal(sort(p$data$nll), sort(reconstructionError(test_fit)$nll))
    expect_identical(sum(p$data$set == "validation"),
        length(test_fit@validation))
    built <- ggplot2::ggplot_build(p)
    expect_equal(sum(built$data[[1]]$count), ncol(test_mat))
})

test_that("runAutoencoder() output works with scater's plotReducedDim()", {
    skip_if_not_installed("scater")
    sce <- withr::with_seed(1, runAutoencoder(test_sce,
        ncomponents = 3, hidden = 8, epochs = 3, n_threads = 1,
        verbose = FALSE))
    p <- scater::plotReducedDim(sce, "AE", colour_by = "group",
        ncomponents = 3)
    expect_s3_class(p, "ggplot")
    p <- scater::plotReducedDim(sce, "AE", colour_by = "group")
    built <- ggplot2::ggplot_build(p)
    expect_equal(built$data[[1]]$x,
        unname(SingleCellExperiment::reducedDim(sce, "AE")[, 1]))
})
