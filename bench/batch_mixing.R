# Batch mixing on bladderbatch (issue 15): leave-one-out 5-NN accuracy of
# the batch and of the cancer status in the latent space of
# trainAutoencoder(batch = ...), without cancer labels, per seed, beside
# PCA on the same genes. Lower batch accuracy = better mixed; cancer
# accuracy should stay high.
#
#   Rscript bench/batch_mixing.R [batch_penalty ...]
#
# No argument: the default penalty and 0 (the plain conditional
# autoencoder). Environment: EXPRAE_LIB (a library to load exprae from),
# SEEDS (default 1:5), EPOCHS (default: trainAutoencoder's).
lib <- Sys.getenv("EXPRAE_LIB")
if (nzchar(lib)) .libPaths(c(lib, .libPaths()))
suppressPackageStartupMessages({
    library(exprae)
    library(Biobase)
    library(bladderbatch)
})
data(bladderdata)
expr <- exprs(bladderEset)
pd <- pData(bladderEset)
top <- order(apply(expr, 1, stats::var), decreasing = TRUE)[seq_len(2000)]
x <- expr[top, ]

loo_knn <- function(embedding, labels, k = 5) {
    d <- as.matrix(stats::dist(embedding))
    diag(d) <- Inf
    predicted <- apply(d, 1, function(row) {
        votes <- table(labels[order(row)[seq_len(k)]])
        names(votes)[which.max(votes)]
    })
    mean(predicted == as.character(labels))
}

seeds <- eval(parse(text = Sys.getenv("SEEDS", "1:5")))
epochs <- as.numeric(Sys.getenv("EPOCHS", "100"))
args <- commandArgs(trailingOnly = TRUE)
penalties <- if (length(args) > 0L) as.numeric(args) else
    c(exprae:::.default_batch_penalty, 0)

pca <- stats::prcomp(t(x), rank. = 10)$x
cat(sprintf("PCA (10 components): batch %.3f, cancer %.3f\n",
    loo_knn(pca, pd$batch), loo_knn(pca, pd$cancer)))
cat(sprintf("%-8s %-5s %-7s %-7s %-6s\n", "penalty", "seed", "batch",
    "cancer", "secs"))
for (penalty in penalties) {
    acc <- vapply(seeds, function(seed) {
        set.seed(seed)
        t0 <- proc.time()[["elapsed"]]
        fit <- trainAutoencoder(x, batch = factor(pd$batch),
            batch_penalty = penalty, ncomponents = 10, epochs = epochs,
            n_threads = 1, verbose = FALSE)
        out <- c(loo_knn(fit@embedding, pd$batch),
            loo_knn(fit@embedding, pd$cancer),
            proc.time()[["elapsed"]] - t0)
        cat(sprintf("%-8s %-5d %-7.3f %-7.3f %-6.1f\n", format(penalty),
            seed, out[1], out[2], out[3]))
        out
    }, numeric(3))
    cat(sprintf("%-8s %-5s %-7.3f %-7.3f   (median)\n", format(penalty),
        "all", stats::median(acc[1, ]), stats::median(acc[2, ])))
}
