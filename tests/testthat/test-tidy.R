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
    expect_error(trainingHistory(test_mat), "Expected an",
        class = "exprae_error_fit")
    expect_error(reconstructionError(test_mat), "needs an",
        class = "exprae_error_fit")
    expect_error(geneDispersion(test_mat), "needs an",
        class = "exprae_error_fit")
    expect_error(predict(test_fit, test_mat, assay_type = "x"),
        "assay_type", class = "exprae_error_argument")
})

test_that("tidy() gives the embedding long, per-gene summaries, history", {
    long <- tidy(test_fit)
    expect_identical(names(long), c("sample", "component", "value"))
    expect_identical(nrow(long), length(test_fit@embedding))
    expect_identical(levels(long$component), c("AE1", "AE2"))
    expect_equal(long$value[long$component == "AE2"],
        unname(test_fit@embedding[, 2]))
    genes <- tidy(test_fit, matrix = "genes")
    expect_identical(names(genes), c("gene", "center", "scale", "nll"))
    expect_identical(genes$gene, test_fit@genes)
    expect_equal(genes$nll, reconstructionError(test_fit, by = "gene")$nll)
    expect_identical(tidy(test_fit, matrix = "history"),
        trainingHistory(test_fit))
    count_genes <- tidy(test_count_fit, matrix = "genes")
    expect_identical(names(count_genes), c("gene", "center", "scale", "nll",
        "theta_b1", "theta_b2", "theta_b3"))
    expect_error(tidy(test_fit, matrix = "u"), "matrix",
        class = "exprae_error_argument")
})

test_that("glance() is one row about the model and its training", {
    g <- glance(test_fit)
    expect_identical(nrow(g), 1L)
    expect_identical(g$genes, 40L)
    expect_identical(g$samples, ncol(test_mat))
    expect_identical(g$components, 2L)
    expect_identical(g$likelihood, "gaussian")
    h <- trainingHistory(test_fit)
    expect_identical(g$val_loss, h$val_loss[h$epoch == test_fit@best_epoch])
    c <- glance(test_count_fit)
    expect_identical(c$likelihood, "zinb")
    expect_true(c$variational)
    expect_identical(c$batches, 3L)
})

test_that("augment() adds embedding and error to each sample", {
    a <- augment(test_fit)
    expect_identical(names(a), c("sample", "AE1", "AE2", "group", "depth",
        ".nll", ".validation"))
    expect_identical(a$sample, colnames(test_mat))
    expect_identical(which(a$.validation), sort(test_fit@validation))
    new <- augment(test_fit, test_se[, 1:6])
    expect_identical(names(new), c("sample", "AE1", "AE2", "group", "depth",
        ".nll"))
    expect_equal(new$AE1, unname(predict(test_fit, test_se[, 1:6])[, 1]))
    expect_equal(new$.nll, reconstructionError(test_fit, test_se[, 1:6])$nll)
    plain <- augment(test_fit, test_mat[, 1:3])
    expect_identical(names(plain), c("sample", "AE1", "AE2", ".nll"))
    # predict()'s own arguments reach predict() only: the error stays that
    # of the latent mean in the samples' batches
    nll <- reconstructionError(test_count_fit, test_count_se[, 1:3])$nll
    drawn <- withr::with_seed(3, augment(test_count_fit,
        test_count_se[, 1:3], sample = TRUE, transform_batch = "b1"))
    expect_equal(drawn$.nll, nll)
    expect_equal(drawn$AE1, withr::with_seed(3, unname(predict(
        test_count_fit, test_count_se[, 1:3], sample = TRUE,
        transform_batch = "b1")[, 1])))
    # transform_batch alone: every sample is taken as that batch, as
    # predict() takes them
    as_b1 <- augment(test_count_fit, test_counts[, 1:3],
        transform_batch = "b1")
    expect_equal(as_b1$AE1, unname(predict(test_count_fit,
        test_counts[, 1:3], transform_batch = "b1")[, 1]))
    expect_equal(as_b1$.nll, reconstructionError(test_count_fit,
        test_counts[, 1:3], batch = rep("b1", 3))$nll)
})

test_that("augment() of new data reads them once", {
    counter <- new.env()
    counter$n <- 0L
    suppressMessages(trace(".realise", where = asNamespace("exprae"),
        tracer = bquote(assign("n", .(counter)$n + 1L, envir = .(counter))),
        print = FALSE))
    on.exit(suppressMessages(untrace(".realise",
        where = asNamespace("exprae"))))
    predict(test_fit, test_se[, 1:6])
    reads <- counter$n
    expect_gt(reads, 0L)
    counter$n <- 0L
    a <- augment(test_fit, test_se[, 1:6])
    expect_identical(counter$n, reads)
    expect_equal(a$.nll, reconstructionError(test_fit, test_se[, 1:6])$nll)
    # predict()'s defaults given explicitly take the same path
    expect_identical(augment(test_count_fit, test_count_se[, 1:3],
        transform_batch = NULL, sample = FALSE),
        augment(test_count_fit, test_count_se[, 1:3]))
    # and an abbreviated argument means what it means to predict()
    short <- augment(test_count_fit, test_count_se[, 1:3], transform = "b1")
    expect_equal(short$AE1, unname(predict(test_count_fit,
        test_count_se[, 1:3], transform_batch = "b1")[, 1]))
})

test_that("augment() gives observed and fitted values per gene and sample", {
    a <- augment(test_count_fit, test_count_se[, 1:4], type = "expression")
    expect_identical(names(a), c("gene", "sample", "value", ".fitted"))
    expect_identical(nrow(a), length(test_count_fit@genes) * 4L)
    expected <- predict(test_count_fit, test_count_se[, 1:4],
        type = "expression")
    expect_equal(a$.fitted, as.vector(expected))
    counts <- SummarizedExperiment::assay(test_count_se, "counts")
    expect_equal(a$value[a$gene == "g3" & a$sample == "s2"], counts["g3", "s2"])
    expect_error(augment(test_fit, type = "expression"), "newdata",
        class = "exprae_error_argument")
})

test_that("every table of a fit has a sample or gene id column", {
    tables <- list(as.data.frame(test_fit), tidy(test_fit),
        tidy(test_fit, matrix = "genes"), augment(test_fit),
        reconstructionError(test_fit), reconstructionError(test_fit,
            by = "gene"), geneDispersion(test_count_fit),
        augment(test_fit, test_mat[, 1:2], type = "reconstruction"))
    for (table in tables) {
        expect_true(any(c("sample", "gene") %in% names(table)))
        expect_identical(rownames(table), as.character(seq_len(nrow(table))))
    }
})

test_that("a misspelt argument of tidy(), glance() or plot() is an error", {
    # `matirx` would otherwise give the samples' table in place of the genes'
    expect_error(tidy(test_fit, matirx = "genes"), "matirx",
        class = "exprae_error_argument")
    expect_error(glance(test_fit, foo = 1), "foo",
        class = "exprae_error_argument")
    # a misspelt newdata would give the training samples' table
    expect_error(augment(test_fit, nwedata = test_mat), "nwedata",
        class = "exprae_error_argument")
    expect_error(plot(test_fit, color_by = "group"), "color_by",
        class = "exprae_error_argument")
    classifier <- withr::with_seed(5, trainClassifier(test_mat,
        labels = rep(c("a", "b"), 12), hidden = 4, epochs = 1,
        n_threads = 1, verbose = FALSE))
    expect_error(tidy(classifier, matirx = "history"), "matirx",
        class = "exprae_error_argument")
    expect_error(glance(classifier, foo = 1), class = "exprae_error_argument")
    expect_error(augment(classifier, nwedata = test_mat), "nwedata",
        class = "exprae_error_argument")
    expect_error(plot(classifier, assay.type = "counts"), "assay.type",
        class = "exprae_error_argument")
})
