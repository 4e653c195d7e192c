test_that("plot() draws training and validation loss", {
    p <- plot(test_fit)
    expect_s3_class(p, "ggplot")
    built <- ggplot2::ggplot_build(p)
    expect_identical(levels(p$data$set), c("training", "validation"))
    expect_setequal(as.character(unique(p$data$set)),
        c("training", "validation"))
    expect_identical(nrow(p$data), 2L * nrow(trainingHistory(test_fit)))
    expect_length(built$data, 3)
})

test_that("plot() without validation draws the training loss only", {
    fit <- fast_fit(test_mat, validation_split = 0)
    p <- plot(fit)
    expect_identical(unique(as.character(p$data$set)), "training")
    path <- withr::local_tempfile(fileext = ".png")
    ggplot2::ggsave(path, p, width = 4, height = 3, dpi = 50)
    expect_true(file.exists(path))
})
