# Small data and helpers shared by all tests (the fitted object is built
# once in setup.R). Everything runs with at most 2 threads.

# 40 genes x 24 samples in two groups, non-negative with zeros so that the
# dense and the sparse form hold the same values.
make_expression <- function(ngenes = 40, nsamples = 24) {
    withr::with_seed(42, {
        group <- rep(c(0, 1), length.out = nsamples)
        signal <- outer(stats::rnorm(ngenes), group) * 2
        noise <- matrix(stats::rnorm(ngenes * nsamples), ngenes)
        m <- round(pmax(signal + noise + 1, 0), 2)
    })
    dimnames(m) <- list(paste0("g", seq_len(ngenes)),
        paste0("s", seq_len(nsamples)))
    m
}

make_se <- function(m = make_expression()) {
    SummarizedExperiment::SummarizedExperiment(
        assays = list(logcounts = m, counts = round(2^m)),
        colData = S4Vectors::DataFrame(
            group = rep(c("a", "b"), length.out = ncol(m)),
            depth = seq_len(ncol(m)),
            row.names = colnames(m)
        )
    )
}

# trainAutoencoder() with small, fast defaults; any of them can be
# overridden. A validation split is asked for, as the default holds
# nothing out of so few samples and tests look at the held-out ones.
fast_args <- list(ncomponents = 2, hidden = 8, epochs = 3, batch_size = 8,
    validation_split = 0.1, n_threads = 1, verbose = FALSE)

fast_fit <- function(x, ...) {
    args <- utils::modifyList(fast_args, list(...))
    do.call(trainAutoencoder, c(list(x), args))
}

# Leave-one-out k-nearest-neighbour accuracy of an embedding.
loo_knn_accuracy <- function(embedding, labels, k = 5) {
    d <- as.matrix(stats::dist(embedding))
    diag(d) <- Inf
    predicted <- apply(d, 1, function(row) {
        votes <- table(labels[order(row)[seq_len(k)]])
        names(votes)[which.max(votes)]
    })
    mean(predicted == as.character(labels))
}

# Counts of 60 genes x 30 samples in three batches, with two groups of
# samples that differ in a third of the genes; negative binomial noise.
make_counts <- function(ngenes = 60, nsamples = 30) {
    withr::with_seed(7, {
        group <- rep(c(1, 2), length.out = nsamples)
        log_mu <- matrix(stats::rnorm(ngenes, 1, 1), ngenes, 2)
        de <- seq_len(ngenes %/% 3)
        log_mu[de, 2] <- log_mu[de, 2] + 1.5
        sf <- stats::rlnorm(nsamples, 0, 0.3)
        mu <- exp(log_mu[, group]) * rep(sf, each = ngenes)
        m <- matrix(stats::rnbinom(ngenes * nsamples, mu = mu, size = 3),
            ngenes)
    })
    dimnames(m) <- list(paste0("g", seq_len(ngenes)),
        paste0("s", seq_len(nsamples)))
    m
}

make_count_se <- function(m = make_counts()) {
    SummarizedExperiment::SummarizedExperiment(
        assays = list(counts = m, logcounts = log1p(m)),
        colData = S4Vectors::DataFrame(
            batch = rep(c("b1", "b2", "b3"), length.out = ncol(m)),
            group = rep(c("a", "b"), length.out = ncol(m)),
            row.names = colnames(m)
        )
    )
}

# Adjusted Rand index of two labellings (Hubert and Arabie), so that the
# tests need no clustering package.
adjusted_rand_index <- function(a, b) {
    tab <- table(a, b)
    pairs <- function(n) sum(n * (n - 1) / 2)
    index <- pairs(tab)
    expected <- pairs(rowSums(tab)) * pairs(colSums(tab)) / pairs(sum(tab))
    top <- (pairs(rowSums(tab)) + pairs(colSums(tab))) / 2
    (index - expected) / (top - expected)
}
