test_that("as.data.frame() has one row per sample with colData", {
    df <- as.data.frame(test_fit)
    expect_s3_class(df, "data.frame")
    expect_identical(names(df), c("sample", "AE1", "AE2", "group", "depth"))
    expect_identical(df$sample, colnames(test_mat))
    expect_identical(df$group, test_se$group)
    expect_equal(df$AE1, unname(test_fit@embedding[, 1]))
    expect_identical(rownames(df), as.character(seq_len(ncol(test_mat))))
})

test_that("a matrix fit has no annotation columns", {
    fit <- fast_fit(test_mat)
    expect_identical(names(as.data.frame(fit)), c("sample", "AE1", "AE2"))
})

test_that("clashing colData names are made unique; odd columns dropped", {
    se <- test_se
    se$sample <- paste0("id", seq_len(ncol(se)))
    se$AE1 <- 1
    se$nested <- S4Vectors::DataFrame(a = seq_len(ncol(se)))
    se$listcol <- as.list(seq_len(ncol(se)))
    df <- as.data.frame(fast_fit(se))
    expect_identical(names(df), c("sample", "AE1", "AE2", "group", "depth",
        "sample.1", "AE1.1"))
    expect_identical(df$sample, colnames(test_mat))
})

test_that("trainingHistory() has one row per epoch", {
    history <- trainingHistory(test_fit)
    expect_identical(names(history),
        c("epoch", "loss", "val_loss", "seconds", "learning_rate"))
    expect_identical(history$epoch, seq_len(nrow(history)))
    expect_true(all(history$loss > 0))
    expect_false(is.unsorted(history$seconds))
})
