# Classifiers on real data, judged by stratified 5-fold cross-validation:
# exprae's trainClassifier() with its defaults against a linear SVM
# (e1071::svm, kernel = "linear", cost = 1), SingleR (the training folds as
# its reference) and a 5-NN on 10 principal components, all on the same
# folds, each learning its genes (the 2000 most variable), centring and
# scaling from the training folds only. Metrics are pooled over the
# held-out predictions of the five folds. Then the semi-supervised check:
# on ALL mol.biol with the labels of 20% of the samples kept (stratified),
# the 5-NN accuracy of the latent space on the other 80%, for the
# semi-supervised autoencoder and the unsupervised one at the same
# settings (the defaults, without a validation split), over several seeds.
#
#   Rscript bench/classify.R [--seed 1] [--folds 5] [--threads 2]
#       [--seeds 5] [--data all-mol,all-bt,hsmm] [--lib PATH]
#
# Needs: exprae, ALL, Biobase, HSMMSingleCell, e1071, SingleR (Debian:
# r-bioc-all r-bioc-hsmmsinglecell r-cran-e1071 r-bioc-singler).

args <- commandArgs(TRUE)
option <- function(name, default) {
    at <- match(paste0("--", name), args)
    if (is.na(at)) default else args[at + 1L]
}
seed <- as.integer(option("seed", "1"))
n_folds <- as.integer(option("folds", "5"))
threads <- as.integer(option("threads", "2"))
n_seeds <- as.integer(option("seeds", "5"))
which_data <- strsplit(option("data", "all-mol,all-bt,hsmm"), ",")[[1]]
lib <- option("lib", "")
suppressPackageStartupMessages({
    if (nzchar(lib)) library(exprae, lib.loc = lib) else library(exprae)
    library(Biobase)
})

# ---- data -----------------------------------------------------------------

# ALL (Debian r-bioc-all): RMA log2 expression of 12625 probe sets.
all_data <- function(label) {
    data("ALL", package = "ALL", envir = environment())
    if (label == "mol.biol") {
        y <- as.character(ALL$mol.biol)
        keep <- y %in% names(which(table(y) >= 10))
    } else {
        y <- substr(as.character(ALL$BT), 1, 2)
        keep <- y %in% names(which(table(y) >= 5))
    }
    list(x = exprs(ALL)[, keep], y = factor(y[keep]))
}

# HSMMSingleCell: log1p of the FPKM matrix, hours 0/24/48/72.
hsmm_data <- function() {
    data("HSMM_expr_matrix", package = "HSMMSingleCell",
        envir = environment())
    data("HSMM_sample_sheet", package = "HSMMSingleCell",
        envir = environment())
    x <- log1p(HSMM_expr_matrix)
    x <- x[rowSums(x > 0) > 0, ]
    list(x = x, y = factor(HSMM_sample_sheet$Hours))
}

# ---- the methods, each trained on x[, train] and applied to x[, test] -------

top_genes <- function(x, n = 2000) {
    v <- apply(x, 1, var)
    order(v, decreasing = TRUE)[seq_len(min(n, length(v)))]
}

svm_predict <- function(x, y, train, test) {
    g <- top_genes(x[, train])
    fit <- e1071::svm(t(x[g, train]), y[train], kernel = "linear", cost = 1)
    as.character(predict(fit, t(x[g, test])))
}

singler_predict <- function(x, y, train, test) {
    g <- top_genes(x[, train])
    res <- SingleR::SingleR(test = x[g, test], ref = x[g, train],
        labels = as.character(y[train]))
    as.character(res$labels)
}

knn_predict <- function(x, y, train, test) {
    g <- top_genes(x[, train])
    pca <- stats::prcomp(t(x[g, train]), center = TRUE, scale. = FALSE,
        rank. = 10)
    scores <- predict(pca, t(x[g, test]))
    as.character(class::knn(pca$x, scores, y[train], k = 5))
}

exprae_predict <- function(x, y, train, test) {
    fit <- trainClassifier(x[, train], labels = y[train],
        n_threads = threads, verbose = FALSE)
    as.character(predict(fit, x[, test]))
}

methods <- list(exprae = exprae_predict, svm = svm_predict,
    singler = singler_predict, knn_pca = knn_predict)

# ---- cross-validation --------------------------------------------------------

stratified_folds <- function(y, k) {
    fold <- integer(length(y))
    for (cls in levels(y)) {
        idx <- which(y == cls)
        idx <- idx[sample.int(length(idx))]
        fold[idx] <- rep_len(seq_len(k), length(idx))
    }
    fold
}

macro_f1 <- function(truth, pred) {
    f1 <- vapply(levels(truth), function(cls) {
        tp <- sum(pred == cls & truth == cls)
        p <- if (sum(pred == cls)) tp / sum(pred == cls) else 0
        r <- tp / sum(truth == cls)
        if (p + r > 0) 2 * p * r / (p + r) else 0
    }, numeric(1))
    mean(f1)
}

balanced_accuracy <- function(truth, pred) {
    mean(vapply(levels(truth), function(cls) {
        mean(pred[truth == cls] == cls)
    }, numeric(1)))
}

cross_validate <- function(name, d) {
    set.seed(seed)
    fold <- stratified_folds(d$y, n_folds)
    rows <- lapply(names(methods), function(m) {
        pred <- character(length(d$y))
        start <- proc.time()[["elapsed"]]
        for (k in seq_len(n_folds)) {
            set.seed(seed + k)
            pred[fold == k] <- methods[[m]](d$x, d$y, which(fold != k),
                which(fold == k))
        }
        data.frame(data = name, method = m,
            accuracy = mean(pred == d$y),
            balanced_accuracy = balanced_accuracy(d$y, pred),
            macro_f1 = macro_f1(d$y, pred),
            seconds = proc.time()[["elapsed"]] - start)
    })
    do.call(rbind, rows)
}

# ---- semi-supervised ---------------------------------------------------------

knn_accuracy <- function(emb, y, labelled, k = 5) {
    d <- as.matrix(stats::dist(emb))
    test <- which(!labelled)
    pred <- vapply(test, function(i) {
        nn <- which(labelled)[order(d[i, labelled])[seq_len(k)]]
        names(which.max(table(y[nn])))
    }, character(1))
    mean(pred == as.character(y[test]))
}

semi_supervised <- function(d) {
    out <- lapply(seq_len(n_seeds), function(s) {
        set.seed(seed + 100 + s)
        labelled <- stratified_folds(d$y, 5) == 1  # 20% of each class
        y_kept <- d$y
        y_kept[!labelled] <- NA
        # The same settings for both: the defaults, but no validation
        # split, which with a fifth of the samples labelled would hold out
        # a handful of labels (and decide early stopping on them).
        fit <- function(labels) {
            set.seed(seed + 200 + s)
            trainAutoencoder(d$x, labels = labels, validation_split = 0,
                n_threads = threads, verbose = FALSE)
        }
        c(seed = s,
            unsupervised = knn_accuracy(predict(fit(NULL)), d$y, labelled),
            semi_supervised = knn_accuracy(predict(fit(y_kept)), d$y,
                labelled))
    })
    as.data.frame(do.call(rbind, out))
}

# ---- run ---------------------------------------------------------------------

data_sets <- list(
    "all-mol" = function() all_data("mol.biol"),
    "all-bt" = function() all_data("bt"),
    "hsmm" = hsmm_data
)
cat(sprintf("exprae %s, %d-fold CV, seed %d, %d threads, %s\n",
    packageVersion("exprae"), n_folds, seed, threads,
    format(Sys.time(), "%Y-%m-%d %H:%M UTC", tz = "UTC")))
results <- list()
for (name in which_data) {
    d <- data_sets[[name]]()
    cat(sprintf("\n== %s: %d genes x %d samples, classes: %s\n", name,
        nrow(d$x), ncol(d$x), paste(sprintf("%s (%d)", levels(d$y),
            as.vector(table(d$y))), collapse = ", ")))
    res <- cross_validate(name, d)
    print(res, digits = 3, row.names = FALSE)
    results[[name]] <- res
}
if ("all-mol" %in% which_data && n_seeds > 0) {
    cat("\n== semi-supervised: ALL mol.biol, 20% labelled, latent 5-NN",
        "accuracy on the other 80%\n")
    semi <- semi_supervised(all_data("mol.biol"))
    print(semi, digits = 3, row.names = FALSE)
    cat(sprintf("median: unsupervised %.3f, semi-supervised %.3f\n",
        median(semi$unsupervised), median(semi$semi_supervised)))
}
