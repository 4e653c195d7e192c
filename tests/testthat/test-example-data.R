test_that("the bundled ALL subset loads and trains with the defaults", {
    se <- exampleALL()
    expect_s4_class(se, "SummarizedExperiment")
    expect_identical(dim(se), c(1000L, 128L))
    expect_identical(SummarizedExperiment::assayNames(se), "logcounts")
    expect_true(all(c("BT", "type", "sex", "age", "mol.biol") %in%
        names(SummarizedExperiment::colData(se))))
    expect_identical(levels(se$type), c("B", "T"))
    fit <- trainAutoencoder(se, epochs = 2, verbose = FALSE)
    expect_identical(dim(fit@embedding), c(128L, 10L))
})
