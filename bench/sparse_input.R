# Sparse input (issue 16): trainAutoencoder() on the same counts given as a
# dgCMatrix and as a dense matrix, at several shares of zeros, in the same
# run, interleaved for several rounds. A sparse minibatch with at most 15%
# non-zeros reaches the first layer as its non-zeros (the engine's
# sparse_linear op); denser ones go the dense way.
#
#   Rscript bench/sparse_input.R
#
# Environment: EXPRAE_LIB (a library to load exprae from), ROUNDS (default
# 3), THREADS (default 2), CELLS (default 5000), ZEROS (default
# "0.4,0.8,0.9,0.95"). The network is the reference one (2000 genes,
# 512-128-32 and back, batch 256) with the NB likelihood; the figure is
# samples per second over 3 epochs after one warm-up epoch, from the
# engine's own clock (the fit's history).
lib <- Sys.getenv("EXPRAE_LIB")
if (nzchar(lib)) .libPaths(c(lib, .libPaths()))
suppressPackageStartupMessages({
    library(exprae)
    library(Matrix)
})
rounds <- as.integer(Sys.getenv("ROUNDS", "3"))
threads <- as.integer(Sys.getenv("THREADS", "2"))
cells <- as.integer(Sys.getenv("CELLS", "5000"))
zeros <- as.numeric(strsplit(Sys.getenv("ZEROS", "0.4,0.8,0.9,0.95"),
    ",")[[1]])
genes <- 2000L

# NB counts (gene means exp(N(0, 1.5)), dispersion 2), then entries set to
# zero at random until the share of zeros is `zero_share`.
counts_with_zeros <- function(zero_share) {
    set.seed(1)
    mu <- exp(stats::rnorm(genes, 0, 1.5))
    x <- matrix(stats::rnbinom(genes * cells, mu = mu, size = 2), genes,
        dimnames = list(paste0("g", seq_len(genes)),
            paste0("c", seq_len(cells))))
    extra <- (zero_share - mean(x == 0)) / (1 - mean(x == 0))
    if (extra > 0) x[stats::runif(length(x)) < extra] <- 0
    x
}

samples_per_second <- function(x) {
    set.seed(2)
    fit <- trainAutoencoder(x, ncomponents = 32, hidden = c(512, 128),
        likelihood = "nb", epochs = 4, batch_size = 256,
        validation_split = 0, patience = 0, n_threads = threads,
        verbose = FALSE)
    s <- trainingHistory(fit)$seconds
    3 * cells / (s[4] - s[1])
}

cat(sprintf("%s, %d threads, %d cells x %d genes, NB, %d rounds\n",
    sub("model name\t: ", "", grep("model name", readLines("/proc/cpuinfo"),
        value = TRUE)[1]), threads, cells, genes, rounds))
rows <- lapply(zeros, function(z) {
    dense <- counts_with_zeros(z)
    sparse <- as(dense, "CsparseMatrix")
    timing <- replicate(rounds, c(dense = samples_per_second(dense),
        sparse = samples_per_second(sparse)))
    data.frame(zeros = round(mean(dense == 0), 3),
        dense = stats::median(timing["dense", ]),
        dense_range = paste(round(range(timing["dense", ])), collapse = "-"),
        sparse = stats::median(timing["sparse", ]),
        sparse_range = paste(round(range(timing["sparse", ])),
            collapse = "-"),
        ratio = stats::median(timing["sparse", ] / timing["dense", ]))
})
out <- do.call(rbind, rows)
out$dense <- round(out$dense)
out$sparse <- round(out$sparse)
out$ratio <- round(out$ratio, 2)
print(out, row.names = FALSE)
