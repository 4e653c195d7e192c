# Largest relative difference, with a floor for values near zero.
max_rel_diff <- function(a, b) {
    max(abs(a - b) / pmax(abs(b), 1e-8))
}

# Random inputs of the NLL: small and large counts and means, small and
# large theta, dropout logits of both signs, size factors around 1.
nll_inputs <- function(n = 400) {
    withr::with_seed(11, {
        x <- c(0, 0, 1, 2, 5, 30, 1000, 1e5,
            stats::rpois(n - 8, rep(c(0.1, 3, 50, 3000), length.out = n - 8)))
        eta <- log(c(1e-3, 20, 1, 2, 4, 25, 900, 1.2e5,
            stats::rlnorm(n - 8, rep(c(-2, 1, 4, 8), length.out = n - 8))))
        list(
            x = matrix(x, 20), eta = matrix(eta, 20),
            log_theta = matrix(log(10^stats::runif(n, -2, 4)), 20),
            pi_logit = matrix(stats::runif(n, -5, 5), 20),
            log_sf = stats::rnorm(n / 20, 0, 0.5)
        )
    })
}

test_that("engine NLLs equal -dpois, -dnbinom and the ZINB mixture", {
    p <- nll_inputs()
    mu <- exp(sweep(p$eta, 2, p$log_sf, "+"))
    theta <- exp(p$log_theta)
    pi <- stats::plogis(p$pi_logit)
    engine <- function(likelihood) {
        .engine_nll(p$x, p$eta, p$log_theta, p$pi_logit, p$log_sf,
            likelihood)
    }
    expect_lt(max_rel_diff(engine("poisson"),
        -stats::dpois(p$x, mu, log = TRUE)), 1e-5)
    nb_log <- stats::dnbinom(p$x, size = theta, mu = mu, log = TRUE)
    expect_lt(max_rel_diff(engine("nb"), -nb_log), 1e-5)
    zinb_log <- ifelse(p$x == 0, log(pi + (1 - pi) * exp(nb_log)),
        log(1 - pi) + nb_log)
    expect_lt(max_rel_diff(engine("zinb"), -zinb_log), 1e-5)
    expect_equal(engine("gaussian"), 0.5 * (p$x - p$eta)^2,
        tolerance = 1e-12)
})

test_that("count models train on the counts assay with log1p input", {
    fit <- withr::with_seed(1, fast_fit(test_count_se, likelihood = "nb"))
    expect_identical(fit@options$assay.type, "counts")
    expect_identical(fit@options$likelihood, "nb")
    expect_true(fit@options$log1p)
    expect_identical(fit@options$size_factor_mode, "library")
    expect_equal(fit@options$library_mean, mean(colSums(test_counts)))
    expect_identical(fit@center, rep(0, nrow(test_counts)))
    expect_identical(fit@scale, rep(1, nrow(test_counts)))
    expect_identical(fit@model$likelihood, "nb")
    expect_true(all(is.finite(fit@embedding)))
    expect_true(all(is.finite(trainingHistory(fit)$loss)))
    scaled <- withr::with_seed(1, fast_fit(test_counts, likelihood = "nb",
        scale = TRUE))
    sf <- colSums(test_counts) / mean(colSums(test_counts))
    normalised <- log1p(sweep(test_counts, 2, sf, "/"))
    expect_equal(scaled@scale, unname(apply(normalised, 1, stats::sd)))
    expect_identical(scaled@center, rep(0, nrow(test_counts)))
})

test_that("ntop of a count model ranks log1p-normalised counts", {
    m <- test_counts
    m[1, ] <- m[1, ] * 1000  # huge raw variance, small log-scale variance
    fit <- withr::with_seed(1, fast_fit(m, likelihood = "poisson",
        ntop = 10))
    sf <- colSums(m) / mean(colSums(m))
    var <- apply(log1p(sweep(m, 2, sf, "/")), 1, stats::var)
    expect_identical(fit@genes,
        rownames(m)[sort(order(var, decreasing = TRUE)[1:10])])
})

test_that("size factors come from the user, sizeFactors() or libraries", {
    sf <- seq(0.5, 1.5, length.out = ncol(test_counts))
    fit <- withr::with_seed(1, fast_fit(test_counts, likelihood = "nb",
        size_factors = sf))
    expect_identical(fit@options$size_factor_mode, "given")
    se <- test_count_se
    se$sizeFactor <- sf
    from_se <- withr::with_seed(1, fast_fit(se, likelihood = "nb"))
    expect_identical(from_se@options$size_factor_mode, "given")
    expect_equal(from_se@embedding, fit@embedding, tolerance = 1e-6)
    se$sizeFactor[2] <- -1  # named as the SE's, not as an argument
    expect_error(fast_fit(se, likelihood = "nb"), "sizeFactor",
        class = "exprae_error_size_factors")
    sparse <- withr::with_seed(1, fast_fit(
        Matrix::Matrix(test_counts, sparse = TRUE), likelihood = "nb",
        size_factors = sf))
    expect_equal(sparse@embedding, fit@embedding, tolerance = 1e-4)
    # at prediction: the training's kind of size factors, or a warning
    expect_equal(predict(fit, test_counts, size_factors = sf),
        fit@embedding, tolerance = 1e-5)
    se$sizeFactor <- sf
    expect_equal(predict(fit, se[, 1:3]), fit@embedding[1:3, ],
        tolerance = 1e-5)
    expect_warning(predict(fit, test_counts), "given size factors",
        class = "exprae_warning_size_factors")
    warned <- 0L
    variational <- withr::with_seed(1, fast_fit(test_counts,
        likelihood = "nb", size_factors = sf, variational = TRUE))
    withCallingHandlers(augment(variational, test_counts, sample = TRUE),
        exprae_warning_size_factors = function(w) {
            warned <<- warned + 1L
            invokeRestart("muffleWarning")
        })
    expect_identical(warned, 1L)  # once, not from each of its two steps
    library_fit <- withr::with_seed(1, fast_fit(test_counts,
        likelihood = "nb"))
    expect_silent(predict(library_fit, test_counts))
    # two data sets bound, their samples renamed: the size factors keep
    # the old names, which are no sample's, and stay in order
    stale <- stats::setNames(sf, c(colnames(test_counts)[1:15],
        colnames(test_counts)[1:15]))
    renamed <- test_counts
    colnames(renamed) <- make.unique(colnames(test_counts)[c(1:15, 1:15)])
    expect_equal(predict(fit, renamed, size_factors = stale),
        predict(fit, renamed, size_factors = unname(sf)))
    # a run-length encoded sizeFactor column is its vector
    se$sizeFactor <- S4Vectors::Rle(sf)
    expect_equal(predict(fit, se[, 1:3]), fit@embedding[1:3, ],
        tolerance = 1e-5, ignore_attr = TRUE)
})

test_that("bad counts are classed errors that say what to do", {
    negative <- test_counts
    negative[2, 3] <- -1
    expect_error(fast_fit(negative, likelihood = "nb"), "negative",
        class = "exprae_error_counts")
    fractional <- test_counts + 0.5
    expect_error(fast_fit(fractional, likelihood = "poisson"),
        "non-integer", class = "exprae_error_counts")
    expect_error(fast_fit(test_count_se, likelihood = "zinb",
        assay.type = "logcounts"), "non-integer",
        class = "exprae_error_counts")
    empty <- test_counts
    empty[, 4] <- 0
    err <- expect_error(fast_fit(empty, likelihood = "nb"),
        class = "exprae_error_counts")
    expect_match(conditionMessage(err), "s4")
    # a zero-count sample is fine with given size factors
    sf <- rep(1, ncol(empty))
    expect_s4_class(fast_fit(empty, likelihood = "nb", size_factors = sf),
        "AutoencoderFit")
    expect_error(fast_fit(test_counts * 0, likelihood = "nb"),
        class = "exprae_error_counts")
})

test_that("genes without counts are dropped with a message", {
    m <- test_counts
    m[c(3, 7), ] <- 0
    expect_message(fit <- fast_fit(m, likelihood = "nb"), "2 genes",
        class = "exprae_message_zero_genes")
    expect_identical(fit@genes, rownames(m)[-c(3, 7)])
    # with ntop they are not picked, and nothing is said
    expect_no_message(fast_fit(m, likelihood = "nb", ntop = 20))
})

test_that("bad size factors are classed errors", {
    n <- ncol(test_counts)
    bad <- list(rep(1, n - 1), c(0, rep(1, n - 1)), c(-1, rep(1, n - 1)),
        c(NA, rep(1, n - 1)), c(Inf, rep(1, n - 1)), rep("1", n))
    for (sf in bad) {
        expect_error(fast_fit(test_counts, likelihood = "nb",
            size_factors = sf), "size_factors",
            class = "exprae_error_size_factors")
    }
    expect_error(fast_fit(test_mat, size_factors = rep(1, ncol(test_mat))),
        "count", class = "exprae_error_argument")
    expect_error(predict(test_count_fit, test_count_se,
        size_factors = 1:2), class = "exprae_error_size_factors")
    # named by sample in another order: taken in order, so refused
    sf <- stats::setNames(seq(0.5, 2, length.out = n), colnames(test_counts))
    expect_error(fast_fit(test_counts, likelihood = "nb",
        size_factors = rev(sf)), "not as the samples are",
        class = "exprae_error_size_factors")
    expect_error(predict(test_count_fit, test_count_se, size_factors = rev(sf)),
        "colnames(newdata)", fixed = TRUE, class = "exprae_error_size_factors")
    se <- test_count_se
    SummarizedExperiment::colData(se)$sizeFactor <- rev(sf)
    expect_error(fast_fit(se, likelihood = "nb"), "sizeFactor",
        class = "exprae_error_size_factors")
})

test_that("model settings are checked", {
    bad <- list(likelihood = "gamma", variational = NA, kl_warmup = -1,
        corruption = "salt", corruption_rate = -0.1, dispersion = "cell")
    for (i in seq_along(bad)) {
        arg <- names(bad)[i]
        args <- stats::setNames(list(bad[[i]]), arg)
        expect_error(do.call(fast_fit, c(list(test_counts), args)), arg,
            class = "exprae_error_argument", label = arg)
    }
    expect_error(fast_fit(test_counts, corruption = "mask",
        corruption_rate = 1), "corruption_rate",
        class = "exprae_error_argument")
    expect_error(fast_fit(test_counts, likelihood = "nb",
        dispersion = "gene-batch"), "batch",
        class = "exprae_error_argument")
    expect_error(fast_fit(test_counts, likelihood = "poisson",
        dispersion = "gene-batch", batch = rep(1:2, 15)), "nb",
        class = "exprae_error_argument")
})

test_that("custom decoders of count models end in a linear layer", {
    fit <- withr::with_seed(1, fast_fit(test_counts, likelihood = "nb",
        encoder = list(layer_dense(8, "tanh")),
        decoder = list(layer_dense(8, "softplus"))))
    last <- fit@model$decoder[[length(fit@model$decoder)]]
    expect_identical(last$activation, "linear")
    expect_identical(last$units, nrow(test_counts))
})

# Counts from a ZINB model with three clusters of cells (the issue's
# evidence 7a): cluster-specific means of a tenth of the genes, library
# sizes that vary, gene-wise dispersion and 30% dropout zeros.
simulate_zinb_clusters <- function(ngenes = 400, ncells = 240,
    nclusters = 3) {
    withr::with_seed(7, {
        cluster <- rep(seq_len(nclusters), length.out = ncells)
        log_mu <- matrix(stats::rnorm(ngenes, 0, 1), ngenes, nclusters)
        for (k in seq_len(nclusters)) {
            de <- sample(ngenes, ngenes / 10)
            log_mu[de, k] <- log_mu[de, k] +
                sample(c(-1.5, 1.5), length(de), TRUE)
        }
        sf <- stats::rlnorm(ncells, 0, 0.5)
        mu <- exp(log_mu[, cluster]) * rep(sf, each = ngenes)
        theta <- stats::rlnorm(ngenes, log(2), 0.5)
        counts <- matrix(stats::rnbinom(ngenes * ncells, mu = mu,
            size = theta), ngenes)
        counts[stats::runif(ngenes * ncells) < 0.3] <- 0
    })
    dimnames(counts) <- list(paste0("g", seq_len(ngenes)),
        paste0("c", seq_len(ncells)))
    list(counts = counts, cluster = cluster)
}

test_that("NB and ZINB models recover simulated clusters better than a
    Gaussian model of log counts", {
    skip_on_cran()
    sim <- simulate_zinb_clusters()
    sf <- colSums(sim$counts) / mean(colSums(sim$counts))
    logcounts <- log1p(sweep(sim$counts, 2, sf, "/"))
    ari <- function(likelihood) {
        x <- if (likelihood == "gaussian") logcounts else sim$counts
        set.seed(1)
        fit <- trainAutoencoder(x, likelihood = likelihood, ncomponents = 5,
            hidden = 64, epochs = 100, batch_size = 32, ntop = NULL,
            validation_split = 0, patience = 0, n_threads = 2,
            verbose = FALSE)
        set.seed(1)
        clusters <- stats::kmeans(fit@embedding, 3, nstart = 10)$cluster
        adjusted_rand_index(clusters, sim$cluster)
    }
    # One architecture for all (a hidden layer of 64 units). Seeds 1-3 gave
    # ARI 0.30-0.66 (Gaussian), 0.88-0.95 (NB), 0.93-0.96 (ZINB). Linear
    # models (hidden = NULL) all do well here (Gaussian 0.95, like PCA's
    # 0.94): the Gaussian loss on log counts lets the non-linear model fit
    # the dropout noise, which the count likelihoods explain.
    gaussian <- ari("gaussian")
    nb <- ari("nb")
    zinb <- ari("zinb")
    message(sprintf("ARI: gaussian %.3f, nb %.3f, zinb %.3f", gaussian, nb,
        zinb))
    expect_gt(nb, gaussian + 0.2)
    expect_gt(zinb, gaussian + 0.2)
    expect_gt(max(nb, zinb), 0.8)
})
