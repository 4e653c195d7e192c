# Embedding quality (issue 15): runAutoencoder() with its defaults, and any
# variants given, against scater::runPCA() at the same size (10
# components, the same 2000 most variable genes of the same log values),
# scored on known labels by
#   - leave-one-out 5-NN accuracy,
#   - mean silhouette width (Euclidean, the labels as clusters),
#   - ARI of a Louvain clustering of a 10-NN shared-neighbour graph,
# and, where the data have batches, the batch's 5-NN accuracy (lower =
# better mixed), where ComBat + PCA is scored too. Each autoencoder is
# trained once per seed; PCA (an exact SVD) and ComBat once. Median and range (max - min) over the seeds are printed as a
# Markdown table.
#
#   Rscript bench/quality.R ['hidden = 128' 'dropout = 0.2' ...]
#
# Each argument is a variant: extra arguments to runAutoencoder(), scored
# beside the defaults. Environment: EXPRAE_LIB (a library to load exprae
# from), SEEDS (default 1:5), DATASETS (comma list; default all of
# all-mol, hsmm-hours, bladder-cancer, bladder-batch, simulated),
# N_THREADS (default 1), OUT (a CSV of the per-seed scores).
#
# Needs (Debian): r-bioc-all r-bioc-hsmmsinglecell r-bioc-bladderbatch
# r-bioc-scater, and r-bioc-sva for the ComBat baselines of the data sets
# with a batch. cluster, igraph, bluster and mclust are not installed
# here, so silhouette, graph clustering and ARI are written out below.
lib <- Sys.getenv("EXPRAE_LIB")
if (nzchar(lib)) .libPaths(c(lib, .libPaths()))
suppressPackageStartupMessages({
    library(exprae)
    library(Biobase)
    library(SingleCellExperiment)
})
seeds <- eval(parse(text = Sys.getenv("SEEDS", "1:5")))
n_threads <- as.integer(Sys.getenv("N_THREADS", "1"))
variants <- commandArgs(trailingOnly = TRUE)

# ---- data: a SingleCellExperiment with "logcounts", a label column and
# the arguments every autoencoder of that data set gets -------------------

as_sce <- function(logcounts, label, batch = NULL) {
    cd <- S4Vectors::DataFrame(label = factor(label))
    if (!is.null(batch)) cd$batch <- factor(batch)
    SingleCellExperiment(list(logcounts = logcounts), colData = cd)
}

# ALL: RMA log2 expression; the molecular classes with >= 10 samples.
all_mol <- function() {
    data("ALL", package = "ALL", envir = environment())
    y <- as.character(ALL$mol.biol)
    keep <- y %in% names(which(table(y) >= 10))
    list(sce = as_sce(exprs(ALL)[, keep], y[keep]))
}

# HSMMSingleCell: log1p(FPKM), the hours of differentiation as label.
hsmm_hours <- function() {
    data("HSMM_expr_matrix", package = "HSMMSingleCell",
        envir = environment())
    data("HSMM_sample_sheet", package = "HSMMSingleCell",
        envir = environment())
    list(sce = as_sce(log1p(HSMM_expr_matrix), HSMM_sample_sheet$Hours))
}

# bladderbatch: the cancer status as label, the batch kept to score
# mixing; `args` gives the batch to the autoencoder (its default batch
# adversary), which PCA cannot use.
bladder <- function(args = list()) {
    data("bladderdata", package = "bladderbatch", envir = environment())
    pd <- pData(bladderEset)
    list(sce = as_sce(exprs(bladderEset), pd$cancer, pd$batch),
        args = args)
}

# Negative binomial counts in 4 clusters of unequal size: each cluster
# shifts 100 random genes by a log fold change ~ N(0, 0.7^2), library sizes
# vary 1.6-fold (sd of log 0.5). Normalised as a user would, with
# scuttle::logNormCounts() (log2 of library-size-normalised counts + 1).
simulated <- function(n_cells = 500, n_genes = 2000, n_clusters = 4) {
    set.seed(20261130)
    cluster <- sample(n_clusters, n_cells, TRUE, prob = c(4, 3, 2, 1))
    log_mu <- matrix(stats::rnorm(n_genes, -1, 1.5), n_genes, n_clusters)
    for (k in seq_len(n_clusters)) {
        de <- sample(n_genes, 100)
        log_mu[de, k] <- log_mu[de, k] + stats::rnorm(100, 0, 0.7)
    }
    mu <- exp(log_mu[, cluster]) * rep(stats::rlnorm(n_cells, 0, 0.5),
        each = n_genes)
    counts <- matrix(stats::rnbinom(length(mu), mu = mu, size = 2), n_genes,
        dimnames = list(paste0("g", seq_len(n_genes)), NULL))
    sce <- SingleCellExperiment(list(counts = counts),
        colData = S4Vectors::DataFrame(label = factor(cluster)))
    list(sce = scuttle::logNormCounts(sce))
}

data_sets <- list("all-mol" = all_mol, "hsmm-hours" = hsmm_hours,
    "bladder-cancer" = bladder,
    "bladder-batch" = function() bladder(list(batch = "batch")),
    "simulated" = simulated)
wanted <- strsplit(Sys.getenv("DATASETS", paste(names(data_sets),
    collapse = ",")), ",")[[1]]
stopifnot(all(wanted %in% names(data_sets)))

# ---- scores, all from the full Euclidean distance matrix ----------------

loo_knn <- function(d, labels, k = 5) {
    diag(d) <- Inf
    predicted <- apply(d, 1, function(row) {
        votes <- table(labels[order(row)[seq_len(k)]])
        names(votes)[which.max(votes)]
    })
    mean(predicted == as.character(labels))
}

# cluster::silhouette()'s widths, averaged: a = mean distance to the own
# class, b = to the nearest other class, s = (b - a) / max(a, b), 0 for a
# class of one.
mean_silhouette <- function(d, labels) {
    g <- as.integer(labels)
    n <- length(g)
    sizes <- tabulate(g)
    sums <- d %*% outer(g, seq_along(sizes), "==")
    own <- sums[cbind(seq_len(n), g)] / (sizes[g] - 1)
    means <- sweep(sums, 2, sizes, "/")
    means[cbind(seq_len(n), g)] <- Inf
    nearest <- apply(means, 1, min)
    s <- (nearest - own) / pmax(own, nearest)
    mean(ifelse(sizes[g] > 1, s, 0))
}

# Seurat's graph: Jaccard index of the k-NN sets (each with itself).
snn_graph <- function(d, k = 10) {
    n <- nrow(d)
    nn <- t(apply(d, 1, function(row) order(row)[seq_len(k)]))
    member <- matrix(0, n, n)
    member[cbind(rep(seq_len(n), k), as.vector(nn))] <- 1
    shared <- tcrossprod(member)
    adj <- shared / (2 * k - shared)
    diag(adj) <- 0
    adj
}

# Louvain (Blondel et al. 2008) on a dense weighted graph: move nodes to
# the neighbouring community of largest modularity gain until none moves,
# merge each community into a node, repeat until nothing merges. Nodes are
# visited in order, so the result is deterministic.
louvain <- function(adj) {
    membership <- seq_len(nrow(adj))
    repeat {
        community <- louvain_pass(adj)
        if (max(community) == nrow(adj)) return(membership)
        membership <- community[membership]
        indicator <- outer(community, seq_len(max(community)), "==") + 0
        adj <- crossprod(indicator, adj %*% indicator)
    }
}

louvain_pass <- function(adj) {
    degree <- rowSums(adj)
    two_m <- sum(adj)
    community <- seq_along(degree)
    total <- degree
    repeat {
        moved <- FALSE
        for (i in seq_along(degree)) {
            own <- community[i]
            total[own] <- total[own] - degree[i]
            w <- adj[i, ]
            w[i] <- 0
            links <- rowsum(w, community)[, 1]
            ids <- as.integer(names(links))
            gain <- links - degree[i] * total[ids] / two_m
            gain[links <= 0 & ids != own] <- -Inf
            best <- which.max(gain)
            if (gain[best] > gain[ids == own] + 1e-12) {
                community[i] <- ids[best]
                moved <- TRUE
            }
            total[community[i]] <- total[community[i]] + degree[i]
        }
        if (!moved) return(match(community, unique(community)))
    }
}

# Hubert and Arabie's adjusted Rand index (mclust::adjustedRandIndex).
adjusted_rand <- function(a, b) {
    pairs <- function(n) sum(choose(n, 2))
    tab <- table(a, b)
    rows <- pairs(rowSums(tab))
    cols <- pairs(colSums(tab))
    expected <- rows * cols / choose(sum(tab), 2)
    (pairs(tab) - expected) / ((rows + cols) / 2 - expected)
}

score <- function(embedding, cd) {
    d <- as.matrix(stats::dist(embedding))
    c(knn5 = loo_knn(d, cd$label),
        silhouette = mean_silhouette(d, cd$label),
        ari = adjusted_rand(louvain(snn_graph(d)), cd$label),
        batch_knn5 = if (is.null(cd$batch)) NA else loo_knn(d, cd$batch))
}

# ---- methods: each returns the embedding --------------------------------

pca <- function(sce, args) {
    reducedDim(scater::runPCA(sce, ncomponents = 10, ntop = 2000), "PCA")
}

# ComBat (sva; empirical Bayes location and scale per batch and gene) on
# the log values, then the same PCA: with the batch only, as the
# autoencoder gets it, and with the label protected as a covariate
# (`mod`), as the bladderbatch vignette runs it, which uses the labels the
# scores are computed from.
combat_pca <- function(protect) {
    function(sce, args) {
        mod <- if (protect) stats::model.matrix(~label, colData(sce))
        utils::capture.output(corrected <- suppressMessages(sva::ComBat(
            logcounts(sce), batch = sce$batch, mod = mod)))
        assay(sce, "logcounts") <- corrected
        pca(sce, args)
    }
}

autoencoder <- function(sce, args) {
    args <- utils::modifyList(list(n_threads = n_threads, verbose = FALSE),
        args)
    reducedDim(do.call(runAutoencoder, c(list(sce), args)), "AE")
}

# One row per data set, method and seed: the scores and the seconds.
run_method <- function(name, ds, method, fun, args, run_seeds) {
    rows <- lapply(run_seeds, function(seed) {
        set.seed(seed)
        start <- proc.time()[["elapsed"]]
        embedding <- fun(ds$sce, c(ds$args, args))
        seconds <- proc.time()[["elapsed"]] - start
        data.frame(data = name, method = method, seed = seed,
            t(score(embedding, colData(ds$sce))), seconds = seconds)
    })
    do.call(rbind, rows)
}

# ---- run ------------------------------------------------------------------

methods <- c(list(default = list()), stats::setNames(lapply(variants,
    function(v) eval(parse(text = sprintf("list(%s)", v)))), variants))
cat(sprintf("exprae %s, seeds %s, %d thread(s), %s\n",
    packageVersion("exprae"), paste(seeds, collapse = " "), n_threads,
    format(Sys.time(), "%Y-%m-%d %H:%M UTC", tz = "UTC")))
results <- list()
for (name in wanted) {
    ds <- data_sets[[name]]()
    cat(sprintf("%s: %d samples, %d classes\n", name, ncol(ds$sce),
        nlevels(ds$sce$label)))
    results[[length(results) + 1L]] <- run_method(name, ds, "PCA", pca,
        list(), seeds[1])
    if (!is.null(ds$args$batch)) {
        results[[length(results) + 1L]] <- run_method(name, ds,
            "ComBat + PCA", combat_pca(FALSE), list(), seeds[1])
        results[[length(results) + 1L]] <- run_method(name, ds,
            "ComBat (label as mod) + PCA", combat_pca(TRUE), list(), seeds[1])
    }
    for (m in names(methods)) {
        results[[length(results) + 1L]] <- run_method(name, ds, m,
            autoencoder, methods[[m]], seeds)
    }
}
results <- do.call(rbind, results)
if (nzchar(Sys.getenv("OUT"))) {
    utils::write.csv(results, Sys.getenv("OUT"), row.names = FALSE)
}

# "median (range)" per data set and method, in the order they ran.
cell <- function(x) {
    if (all(is.na(x))) return("")
    sprintf("%.3f (%.3f)", stats::median(x), diff(range(x)))
}
scores <- c("knn5", "silhouette", "ari", "batch_knn5")
groups <- split(results, factor(paste(results$data, results$method),
    unique(paste(results$data, results$method))))
table <- do.call(rbind, lapply(groups, function(g) {
    data.frame(data = g$data[1], method = g$method[1],
        lapply(g[scores], cell),
        seconds = sprintf("%.1f", stats::median(g$seconds)))
}))
names(table) <- c("data", "method", "5-NN", "silhouette", "ARI",
    "batch 5-NN", "s/fit")
cat("\n")
widths <- pmax(nchar(names(table)), apply(nchar(as.matrix(table)), 2, max))
line <- function(v) {
    cat("|", paste(sprintf("%-*s", widths, v), collapse = " | "), "|\n")
}
line(names(table))
line(strrep("-", widths))
invisible(apply(table, 1, line))
