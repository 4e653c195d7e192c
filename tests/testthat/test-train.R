test_that("trainAutoencoder() returns a complete, valid fit", {
    fit <- test_fit
    expect_s4_class(fit, "AutoencoderFit")
    expect_true(validObject(fit))
    expect_identical(dim(fit@embedding), c(ncol(test_mat), 2L))
    expect_identical(colnames(fit@embedding), c("AE1", "AE2"))
    expect_identical(fit@genes, rownames(test_mat))
    expect_equal(fit@center, unname(rowMeans(test_mat)))
    expect_identical(fit@scale, rep(1, nrow(test_mat)))
    expect_type(fit@seed, "integer")
    expect_length(fit@seed, 2)
    expect_identical(fit@version, as.character(packageVersion("exprae")))
    expect_true(fit@stop_reason %in% .stop_reasons)
    expect_true(nrow(fit@history) >= 1 && nrow(fit@history) <= 3)
    expect_true(all(is.finite(fit@embedding)))
    expect_identical(fit@options$assay.type, "logcounts")
    expect_identical(fit@options$ncomponents, 2L)
})

test_that("set.seed() makes fits reproducible", {
    set.seed(1)
    a <- fast_fit(test_mat, dropout = 0.2, validation_split = 0.2)
    set.seed(1)
    b <- fast_fit(test_mat, dropout = 0.2, validation_split = 0.2)
    expect_identical(a@seed, b@seed)
    expect_identical(a@embedding, b@embedding)
    expect_identical(a@weights, b@weights)
    expect_identical(a@validation, b@validation)
    set.seed(2)
    c <- fast_fit(test_mat, dropout = 0.2, validation_split = 0.2)
    expect_false(identical(a@seed, c@seed))
})

test_that("scale = TRUE scales genes, leaving constant genes alone", {
    m <- test_mat
    m[1, ] <- 3
    fit <- fast_fit(m, scale = TRUE)
    expect_identical(fit@scale[1], 1)
    expect_equal(fit@scale[-1], unname(apply(m[-1, ], 1, stats::sd)))
})

test_that("options reach the engine and the history", {
    fit <- fast_fit(test_mat, epochs = 4, validation_split = 0, patience = 0,
        optimizer = "sgd", learning_rate = 0.01)
    history <- trainingHistory(fit)
    expect_identical(nrow(history), 4L)
    expect_true(all(is.na(history$val_loss)))
    expect_length(fit@validation, 0)
    expect_identical(fit@stop_reason, "completed")
    expect_identical(fit@options$optimizer, "sgd")
    held <- fast_fit(test_mat, validation_split = 0.25)
    expect_length(held@validation, 6)
    expect_true(all(held@validation %in% seq_len(ncol(test_mat))))
    expect_true(all(is.finite(trainingHistory(held)$val_loss)))
})

test_that("bad arguments are classed errors naming the argument", {
    bad <- list(
        ncomponents = 0, ncomponents = 1.5, hidden = c(8, 0),
        hidden = "8", activation = "swish", dropout = 1, epochs = 0,
        batch_size = -1, learning_rate = 0, learning_rate = -1,
        optimizer = "rmsprop", weight_decay = -1, momentum = 1,
        validation_split = 1, validation_split = -0.1, patience = -1,
        lr_decay = 0, lr_decay = 1.5, lr_patience = -1, clip_norm = -1,
        scale = NA, scale = "yes", n_threads = 0, precision = "half",
        verbose = NA, epochs = NA, learning_rate = Inf
    )
    for (i in seq_along(bad)) {
        arg <- names(bad)[i]
        args <- stats::setNames(list(bad[[i]]), arg)
        expect_error(do.call(fast_fit, c(list(test_mat), args)), arg,
            class = "exprae_error_argument", label = arg)
    }
})

test_that("verbose = TRUE trains with a progress bar", {
    expect_no_error(fast_fit(test_mat, verbose = TRUE))
})

test_that("double precision and two threads work", {
    fit <- fast_fit(test_mat, precision = "double", n_threads = 2)
    expect_identical(fit@options$precision, "double")
    expect_true(all(is.finite(fit@embedding)))
})

test_that("stop reasons that need attention warn", {
    result <- function(reason) {
        list(stop_reason = reason, best_epoch = 2L,
            history = list(epoch = 1:3))
    }
    expect_warning(.warn_stop_reason(result("interrupted")),
        "interrupted", class = "exprae_warning_interrupted")
    expect_warning(.warn_stop_reason(result("non_finite")),
        "learning_rate", class = "exprae_warning_non_finite")
    untrained <- list(stop_reason = "non_finite", best_epoch = 0L,
        history = list(epoch = integer()))
    expect_warning(.warn_stop_reason(untrained), "untrained",
        class = "exprae_warning_non_finite")
    huge <- test_mat
    huge[1, 1] <- 1e30
    expect_warning(fast_fit(huge), "before the first epoch",
        class = "exprae_warning_non_finite")
    expect_no_warning(.warn_stop_reason(result("completed")))
    expect_no_warning(.warn_stop_reason(result("early_stopping")))
})

test_that("the SCE method trains on a reducedDim", {
    sce <- test_sce
    pcs <- stats::prcomp(t(test_mat), rank. = 5)$x
    SingleCellExperiment::reducedDim(sce, "PCA") <- pcs
    fit <- fast_fit(sce, dimred = "PCA")
    expect_identical(fit@genes, colnames(pcs))
    expect_identical(fit@options$dimred, "PCA")
    expect_null(fit@options$assay.type)
    expect_equal(predict(fit, sce), fit@embedding, tolerance = 1e-5)
    expect_error(fast_fit(sce, dimred = "UMAP"), "PCA",
        class = "exprae_error_assay")
    expect_error(predict(fit, test_mat[1:5, ]),
        class = "exprae_error_genes")
    # observed values of a reducedDim model come from the reducedDim
    a <- augment(fit, sce[, 1:3], type = "reconstruction")
    expect_equal(a$value[a$gene == "PC2" & a$sample == "s3"],
        unname(pcs["s3", "PC2"]))
})

test_that("Ctrl-C stops training and returns the fit trained so far", {
    skip_on_os("windows")
    skip_on_cran()
    m <- make_expression()
    # A real SIGINT, sent while the engine runs: R flags it, and the engine
    # sees it at its next check between minibatches.
    system(sprintf("sleep 1 && kill -INT %d", Sys.getpid()), wait = FALSE)
    expect_warning(
        fit <- trainAutoencoder(m, hidden = 8, ncomponents = 2,
            epochs = 200000, batch_size = 4, validation_split = 0,
            patience = 0, n_threads = 1, verbose = FALSE),
        class = "exprae_warning_interrupted")
    expect_s4_class(fit, "AutoencoderFit")
    history <- trainingHistory(fit)
    expect_lt(nrow(history), 200000)
    # the weights kept are the last ones, and best_epoch says so
    expect_equal(fit@best_epoch, max(history$epoch))
    expect_true(all(is.finite(history$loss)))
    emb <- predict(fit, m)
    expect_equal(dim(emb), c(ncol(m), 2L))
})

test_that("a loss that overflows stops training with the best weights", {
    m <- make_expression()
    # Finite in R's doubles, but its squared error overflows float32.
    m[1, seq(1, ncol(m), by = 2)] <- 1e30
    set.seed(3)
    expect_warning(
        fit <- trainAutoencoder(m, hidden = 8, ncomponents = 2, epochs = 5,
            n_threads = 1, verbose = FALSE),
        class = "exprae_warning_non_finite")
    expect_s4_class(fit, "AutoencoderFit")
    expect_true(all(vapply(fit@weights, function(w) all(is.finite(w)),
        logical(1))))
})

test_that("more threads than processors are clamped, not a crash", {
    m <- make_expression()
    set.seed(4)
    fit <- trainAutoencoder(m, hidden = 8, ncomponents = 2, epochs = 2,
        n_threads = 1e6, verbose = FALSE)
    expect_s4_class(fit, "AutoencoderFit")
})

test_that("set.seed() makes a ZINB VAE with corruption reproducible", {
    fit <- function() {
        fast_fit(test_counts, likelihood = "zinb", variational = TRUE,
            corruption = "mask", batch = rep(1:2, 15), n_threads = 2)
    }
    set.seed(9)
    a <- fit()
    set.seed(9)
    b <- fit()
    expect_identical(a@weights, b@weights)
    expect_identical(a@embedding, b@embedding)
    columns <- c("epoch", "loss", "val_loss")
    expect_identical(trainingHistory(a)[columns],
        trainingHistory(b)[columns])
})

test_that("the variational model trains without NaN on the bundled data
    with default settings (evidence 7c)", {
    skip_on_cran()
    se <- exampleALL()
    set.seed(1)
    fit <- trainAutoencoder(se, variational = TRUE, n_threads = 2,
        verbose = FALSE)
    history <- trainingHistory(fit)
    expect_true(all(is.finite(history$loss)))
    # below 1000 samples nothing is held out by default
    expect_true(all(is.na(history$val_loss)))
    expect_true(fit@stop_reason %in% c("completed", "early_stopping"))
    expect_true(all(is.finite(fit@embedding)))
})

test_that("every likelihood trains with denoising corruption", {
    for (likelihood in c("poisson", "nb", "zinb")) {
        for (corruption in c("mask", "gaussian")) {
            fit <- withr::with_seed(1, fast_fit(test_counts,
                likelihood = likelihood, corruption = corruption))
            expect_true(all(is.finite(trainingHistory(fit)$loss)),
                label = paste(likelihood, corruption))
        }
    }
    fit <- withr::with_seed(1, fast_fit(test_mat, corruption = "gaussian",
        corruption_rate = 0.5, variational = TRUE))
    expect_identical(fit@options$corruption, "gaussian")
    expect_true(all(is.finite(fit@embedding)))
})

test_that("epochs and validation_split follow the number of samples", {
    # about 1000 steps, 100-300 epochs
    expect_identical(.default_epochs(121, 128, 0), 300L)
    expect_identical(.default_epochs(500, 128, 0), 250L)
    expect_identical(.default_epochs(1e5, 128, 0.1), 100L)
    expect_identical(.default_validation_split(999), 0)
    expect_identical(.default_validation_split(1000), 0.1)
    fit <- withr::with_seed(1, trainAutoencoder(test_mat, ncomponents = 2,
        n_threads = 1, verbose = FALSE))
    expect_identical(fit@options$epochs, 300L)
    expect_identical(fit@options$validation_split, 0)
    expect_length(fit@validation, 0L)
    # the default model is linear: one dense layer each way
    expect_length(fit@model$encoder, 1L)
    expect_length(fit@model$decoder, 1L)
    # what the user gives wins
    fit <- withr::with_seed(1, fast_fit(test_mat, epochs = 4,
        validation_split = 0.2))
    expect_identical(fit@options$epochs, 4L)
    expect_gt(length(fit@validation), 0L)
    expect_error(fast_fit(test_mat, epochs = NULL, batch_size = 0),
        "batch_size", class = "exprae_error_argument")
})

test_that("an assay given by number is kept by name; label_weight needs labels", {
    se <- test_se  # assays logcounts, counts
    fit <- withr::with_seed(9, fast_fit(se, assay.type = 1))
    expect_identical(fit@options$assay.type, "logcounts")
    # new data with the assays in another order are read by name
    swapped <- se
    SummarizedExperiment::assays(swapped) <-
        rev(SummarizedExperiment::assays(se))
    expect_equal(predict(fit, swapped), predict(fit, se))
    expect_warning(withr::with_seed(9, fast_fit(test_mat, label_weight = 5)),
        "without labels", class = "exprae_warning_argument")
})

test_that("a corruption rate without a corruption is a warning", {
    expect_warning(withr::with_seed(9, fast_fit(test_mat,
        corruption_rate = 0.3)), "corruption.*none.*ignored",
        class = "exprae_warning_argument")
    expect_warning(withr::with_seed(9, trainClassifier(test_se, "group",
        corruption = "none", corruption_rate = 0.2, epochs = 2,
        n_threads = 1, verbose = FALSE)), "corruption_rate",
        class = "exprae_warning_argument")
    # crossValidate() says it once, not once per fold
    said <- 0L
    withCallingHandlers(withr::with_seed(9, crossValidate(test_se, "group",
        folds = 3, corruption = "none", corruption_rate = 0.2, epochs = 2,
        n_threads = 1, verbose = FALSE)),
        exprae_warning_argument = function(w) {
            said <<- said + 1L
            invokeRestart("muffleWarning")
        })
    expect_identical(said, 1L)
    # the defaults, and a rate with a corruption, say nothing
    expect_silent(withr::with_seed(9, fast_fit(test_mat,
        corruption = "mask", corruption_rate = 0.3)))
    expect_silent(withr::with_seed(9, trainClassifier(test_se, "group",
        corruption = "none", epochs = 2, n_threads = 1, verbose = FALSE)))
})

test_that("size factors outside [1e-20, 1e20] are refused", {
    expect_error(fast_fit(test_counts, likelihood = "nb",
        size_factors = rep(1e-320, ncol(test_counts))), "between 1e-20",
        class = "exprae_error_size_factors")
    expect_error(fast_fit(test_counts, likelihood = "nb",
        size_factors = rep(1e300, ncol(test_counts))), "between 1e-20",
        class = "exprae_error_size_factors")
})
