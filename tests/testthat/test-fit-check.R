# Fits that travel: saved, read back elsewhere, from another version, or
# damaged on the way.

damaged <- function(fit = test_fit, ...) {
    changes <- list(...)
    for (name in names(changes)) {
        fit@weights[[name]] <- changes[[name]]
    }
    fit
}

expect_fit_error <- function(fit, pattern) {
    for (call in list(
        function() predict(fit, test_mat),
        function() reconstructionError(fit, test_mat),
        function() calculateDenoised(test_mat, fit = fit)
    )) {
        expect_error(call(), pattern, class = "exprae_error_fit")
    }
}

test_that("a fit carries its format version", {
    expect_identical(test_fit@format, .format_version)
    expect_identical(.fit_format(test_fit), 2L)
})

test_that("a fit from a newer exprae says to update", {
    future <- test_fit
    future@format <- .format_version + 1L
    err <- expect_error(predict(future, test_mat), class = "exprae_error_fit")
    expect_match(conditionMessage(err), "format 3")
    expect_match(conditionMessage(err), "Update exprae")
})

test_that("a fit from before the format slot still predicts", {
    old <- test_fit
    attr(old, "format") <- NULL
    expect_false(methods::.hasSlot(old, "format"))
    expect_identical(.fit_format(old), 1L)
    expect_identical(predict(old, test_mat), predict(test_fit, test_mat))
})

test_that("damaged weights are classed errors naming the weight", {
    w <- test_fit@weights[["encoder.1.weight"]]
    nan <- w
    nan[2, 3] <- NaN
    expect_fit_error(damaged(encoder.1.weight = nan), "encoder.1.weight")
    expect_fit_error(damaged(encoder.1.weight = w[, -1]), "8 x 40")
    expect_fit_error(damaged(encoder.1.weight = NULL), "missing")
    expect_fit_error(damaged(encoder.1.extra = w), "unexpected")
    expect_fit_error(damaged(encoder.1.weight = as.character(w)),
        "encoder.1.weight")
})

test_that("damaged preprocessing, genes or architecture are classed", {
    fit <- test_fit
    fit@center[4] <- NA
    expect_fit_error(fit, "centre")
    fit <- test_fit
    fit@scale[1] <- -1
    expect_fit_error(fit, "scale")
    fit <- test_fit
    fit@genes[2] <- fit@genes[1]
    expect_error(predict(fit, test_mat), "gene", class = "exprae_error_fit")
    fit <- test_fit
    fit@model$decoder[[1]]$activation <- "swish"
    expect_fit_error(fit, "architecture")
    fit <- test_fit
    fit@model$likelihood <- "gamma"
    expect_fit_error(fit, "architecture")
    fit <- test_count_fit
    fit@options$library_mean <- NULL
    expect_error(predict(fit, test_count_se), "library",
        class = "exprae_error_fit")
    fit <- test_fit
    fit@embedding <- fit@embedding[, 1, drop = FALSE]
    expect_fit_error(fit, "damaged")
    fit <- test_fit
    fit@genes[3] <- ""
    expect_error(predict(fit, test_mat), "gene", class = "exprae_error_fit")
    classifier <- withr::with_seed(19, trainClassifier(test_mat,
        labels = rep(c("a", "b"), 12), hidden = 4, epochs = 1,
        n_threads = 1, verbose = FALSE))
    classifier@options$classes[2] <- "a"
    colnames(classifier@embedding)[2] <- "a"
    expect_error(predict(classifier, test_mat), "class names",
        class = "exprae_error_fit")
})

test_that("a saved, damaged file is caught after readRDS()", {
    path <- withr::local_tempfile(fileext = ".rds")
    fit <- test_fit
    fit@weights[["decoder.1.bias"]][1] <- Inf
    saveRDS(fit, path)
    expect_error(predict(readRDS(path), test_mat), "decoder.1.bias",
        class = "exprae_error_fit")
})

test_that("new data may hold the fit's genes among others, in any order", {
    extra <- rbind(test_mat[40:1, ],
        matrix(1, 5, ncol(test_mat), dimnames = list(paste0("x", 1:5),
            colnames(test_mat))))
    expect_equal(predict(test_fit, extra[sample(nrow(extra)), ]),
        predict(test_fit, test_mat), tolerance = 1e-12)
    err <- expect_error(predict(test_fit, extra[-(1:12), ]),
        class = "exprae_error_genes")
    expect_match(conditionMessage(err), "12 genes are missing")
})

test_that("settings that disagree with the model are damage", {
    fit <- test_count_fit
    fit@options$log1p <- FALSE  # would read raw counts
    expect_error(predict(fit, test_count_se), "settings",
        class = "exprae_error_fit")
    fit <- test_count_fit
    fit@options$batch_levels <- fit@options$batch_levels[1]
    expect_error(predict(fit, test_count_se), "settings",
        class = "exprae_error_fit")
    fit <- test_fit
    fit@options$likelihood <- "nb"
    expect_fit_error(fit, "settings")
})

test_that("a count classifier, class names and label modes are checked", {
    counts <- withr::with_seed(4, trainClassifier(test_counts,
        test_count_se$group, counts = TRUE, hidden = 4, epochs = 2,
        verbose = FALSE))
    expect_identical(sum(names(counts@options) == "log1p"), 1L)  # one copy
    raw <- counts
    raw@options$log1p <- NULL  # would read raw counts as log1p's
    expect_error(predict(raw, test_counts), "settings",
        class = "exprae_error_fit")
    labels <- test_se$group
    labels[1:4] <- NA
    semi <- withr::with_seed(5, fast_fit(test_mat, labels = labels,
        epochs = 2))
    semi@options$classes <- c("a", NA)
    expect_error(predict(semi, test_mat, type = "class"), "settings",
        class = "exprae_error_fit")
    semi@options$classes <- c("a", "a")
    expect_error(predict(semi, test_mat, type = "class"), "settings",
        class = "exprae_error_fit")
})

test_that("accessors of a damaged fit give classed errors", {
    short <- test_fit
    short@embedding <- short@embedding[-1, ]
    for (call in list(function() predict(short),
        function() as.data.frame(short),
        function() glance(short), function() tidy(short),
        function() augment(short), function() trainingHistory(short))) {
        expect_error(call(), class = "exprae_error_fit")
    }
    annotated <- test_fit
    annotated@sample_data <- data.frame(a = 1:3)
    expect_error(as.data.frame(annotated), class = "exprae_error_fit")
    error <- test_fit
    error@options$training_error$per_sample <- 1:3
    expect_error(reconstructionError(error), "training error",
        class = "exprae_error_fit")
    unversioned <- test_fit
    unversioned@version <- character()
    expect_error(glance(unversioned), class = "exprae_error_fit")
})

test_that("the dispersion per batch is the model's", {
    fit <- withr::with_seed(6, fast_fit(test_count_se, likelihood = "nb",
        batch = "batch", dispersion = "gene-batch", epochs = 2))
    edited <- fit
    edited@options$dispersion <- NULL
    expect_identical(geneDispersion(edited), geneDispersion(fit))
    expect_identical(names(geneDispersion(fit)),
        c("gene", paste0("theta_", fit@options$batch_levels)))
})


test_that("what a fit keeps of its training samples is checked", {
    edited <- test_fit
    edited@embedding[1, 1] <- NaN
    expect_error(predict(edited), "embedding", class = "exprae_error_fit")
    edited <- test_fit
    edited@options$training_error$per_gene[2] <- Inf
    expect_error(reconstructionError(edited), "training error",
        class = "exprae_error_fit")
    expect_error(tidy(edited), class = "exprae_error_fit")
})

test_that("a damaged fit prints what is wrong", {
    edited <- test_fit
    edited@options <- list()
    expect_output(show(edited), "AutoencoderFit that cannot be used")
    edited <- test_fit
    edited@model$decoder[[1]]$activation <- NULL
    expect_output(show(edited), "architecture is not one exprae builds")
    expect_output(show(test_fit), "^AutoencoderFit: 40 genes")
})
