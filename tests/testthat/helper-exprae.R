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
# overridden.
fast_args <- list(ncomponents = 2, hidden = 8, epochs = 3, batch_size = 8,
    n_threads = 1, verbose = FALSE)

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
