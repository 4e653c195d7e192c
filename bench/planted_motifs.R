# Planted motifs: the acceptance experiment of the sequence models (the
# design of Koo and Eddy, PLoS Comput Biol 2019). Background: 200-bp
# windows cut at random positions from Biostrings' 26,454 fly upstream
# regions (extdata/dm3_upstream2000.fa.gz; windows with anything but ACGT
# dropped). Motifs: 3 JASPAR PFMs from PWMEnrich's
# extdata/pfm_vertebrates.txt (see `motif_ids`). A planted site is drawn
# from the PFM (each position's base from the column's frequencies), on a
# random strand, at a random position.
#
# Tasks, each on --n windows, 20% held out (stratified by class):
# - one binary task per motif: half the windows with one site planted;
#   test AUROC and AUPRC of the "planted" class;
# - a 4-class task (none, motif1, motif2, motif3; n / 4 windows each, one
#   site of that class's motif, none for "none"): macro-F1 and macro AUPRC.
# Each fit is trainSequenceModel(x, labels) with the chosen layers (the
# default network for --layers default) and otherwise default settings;
# then filterMotifs(fit, training windows) and, per planted motif, the best
# Pearson correlation of a filter's PFM with it (compareMotifs).
# Acceptance: AUROC >= 0.95 and correlation >= 0.8 for each motif alone,
# macro-F1 >= 0.9 on the 4 classes (and correlation >= 0.8 for each).
#
#   Rscript bench/planted_motifs.R [--seed 1] [--n 10000] [--threads 1]
#       [--layers default] [--tasks all] [--epochs 40] [--patience 5]
#       [--lr 1e-3] [--lr-decay 1] [--lib PATH]
#
# --layers: one of the names of `candidates` below; --tasks: "all" or a
# comma-separated subset of the task names (e.g. CTCF,multi); --epochs,
# --patience, --lr and --lr-decay go to trainSequenceModel() (their
# defaults are its defaults). Prints a table and writes nothing.
#
# Needs: exprae, Biostrings, PWMEnrich (only its data file is read).

args <- commandArgs(TRUE)
options(width = 200)
option <- function(name, default) {
    at <- match(paste0("--", name), args)
    if (is.na(at)) default else args[at + 1L]
}
seed <- as.integer(option("seed", "1"))
n <- as.integer(option("n", "10000"))
threads <- as.integer(option("threads", "1"))
layers_name <- option("layers", "default")
which_tasks <- option("tasks", "all")
epochs <- as.integer(option("epochs", "40"))
patience <- as.integer(option("patience", "5"))
learning_rate <- as.numeric(option("lr", "1e-3"))
lr_decay <- as.numeric(option("lr-decay", "1"))
lib <- option("lib", "")
if (nzchar(lib)) .libPaths(c(lib, .libPaths()))
suppressPackageStartupMessages({
    library(exprae)
    library(Biostrings)
})

# ---- the candidate networks -------------------------------------------------

candidates <- list(
    # NULL: trainSequenceModel()'s default network (conv 64 x 19, max pool
    # 8, conv 64 x 5, global max pool, dropout 0.3, dense 32 relu).
    default = NULL,
    # Koo and Eddy's CNN-25 in small: a pooling of 25 after the first layer
    # leaves the second layer no room to assemble motifs from parts.
    koo = list(layer_conv1d(32, 19), layer_max_pool1d(25),
        layer_conv1d(64, 5), layer_global_max_pool(), layer_dropout(0.3),
        layer_dense(32, "relu")),
    wide_pool = list(layer_conv1d(64, 19), layer_max_pool1d(25),
        layer_conv1d(64, 5), layer_global_max_pool(), layer_dropout(0.3),
        layer_dense(32, "relu")),
    # One convolution read by a global max pooling: each filter must be a
    # whole motif detector.
    shallow = list(layer_conv1d(64, 19), layer_global_max_pool(),
        layer_dropout(0.3), layer_dense(32, "relu"))
)
if (!layers_name %in% names(candidates)) {
    stop("--layers must be one of ", paste(names(candidates),
        collapse = ", "))
}
layers <- candidates[[layers_name]]

# ---- data -------------------------------------------------------------------

width <- 200L
upstream <- readDNAStringSet(system.file("extdata", "dm3_upstream2000.fa.gz",
    package = "Biostrings"))
upstream <- upstream[width(upstream) >= width]

# `k` windows of `width` bp at random positions, only A, C, G, T.
background <- function(k) {
    out <- character()
    while (length(out) < k) {
        m <- ceiling(1.1 * (k - length(out))) + 10L
        i <- sample.int(length(upstream), m, replace = TRUE)
        start <- 1L + floor(runif(m) * (width(upstream)[i] - width + 1L))
        w <- as.character(subseq(upstream[i], start = start, width = width))
        out <- c(out, unname(w[!grepl("[^ACGT]", w)]))
    }
    out[seq_len(k)]
}

# Three distinct families, 19, 11 and 8 bp.
motif_ids <- c(CTCF = "MA0139.1", Gata1 = "MA0035.3", Sox2 = "MA0143.3")
jaspar <- readJASPAR(system.file("extdata", "pfm_vertebrates.txt",
    package = "PWMEnrich"))
stopifnot(all(motif_ids %in% names(jaspar)))
pfms <- setNames(jaspar[motif_ids], names(motif_ids))

# One site drawn from `pfm`, on a random strand, planted at a random
# position of each window of `x`.
plant <- function(x, pfm) {
    len <- ncol(pfm)
    for (j in seq_along(x)) {
        site <- vapply(seq_len(len), function(p) {
            sample(c("A", "C", "G", "T"), 1L, prob = pfm[, p])
        }, "")
        site <- paste(site, collapse = "")
        if (runif(1) < 0.5) {
            site <- chartr("ACGT", "TGCA", intToUtf8(rev(utf8ToInt(site))))
        }
        at <- sample.int(width - len + 1L, 1L)
        substr(x[j], at, at + len - 1L) <- site
    }
    x
}

# 20% of each class held out.
held_out <- function(y) {
    test <- logical(length(y))
    for (cls in levels(y)) {
        idx <- which(y == cls)
        test[idx[sample.int(length(idx), round(0.2 * length(idx)))]] <- TRUE
    }
    test
}

# ---- the PWM scan: what knowing the motifs gives (a reference near, not a
# bound on, the best attainable: a network may also use what the scan does
# not, e.g. the background's composition around a site) ---------------

# Each window's best log-odds score for `pfm` (against the upstream
# regions' base composition) over positions and both strands.
composition <- letterFrequency(upstream, c("A", "C", "G", "T"),
    collapse = TRUE)
pwm_max <- function(x, pfm) {
    lo <- log((pfm + 0.01) / 1.04) - log(composition / sum(composition))
    code <- matrix(match(unlist(strsplit(x, "")), c("A", "C", "G", "T")),
        length(x), width, byrow = TRUE)
    len <- ncol(pfm)
    best <- rep(-Inf, length(x))
    for (m in list(lo, lo[4:1, len:1])) {
        s <- 0
        for (j in seq_len(len)) {
            s <- s + m[cbind(as.vector(code[, j + 0:(width - len)]), j)]
        }
        best <- pmax(best, apply(matrix(s, length(x)), 1L, max))
    }
    best
}

# The test metric of a classifier of the windows' best PWM scores: the
# score itself for a binary task (AUROC); for the 4 classes (macro-F1), the
# most probable class of one-vs-rest logistic regressions on the 3 scores,
# fitted on the training windows.
pwm_baseline <- function(x, y, test, motif, positive) {
    if (!is.null(positive)) {
        score <- pwm_max(x[test], pfms[[motif]])
        return(exprae:::.auroc(score, y[test] == positive))
    }
    d <- data.frame(vapply(pfms, function(p) pwm_max(x, p),
        numeric(length(x))))
    probs <- vapply(levels(y), function(cls) {
        d$hit <- y == cls
        fit <- stats::glm(hit ~ ., stats::binomial(), d[!test, ])
        stats::predict(fit, d[test, ], type = "response")
    }, numeric(sum(test)))
    pred <- levels(y)[max.col(probs, ties.method = "first")]
    mean(vapply(levels(y), function(cls) {
        tp <- sum(pred == cls & y[test] == cls)
        if (tp == 0) return(0)
        p <- tp / sum(pred == cls)
        r <- tp / sum(y[test] == cls)
        2 * p * r / (p + r)
    }, numeric(1)))
}

# ---- one task ---------------------------------------------------------------

run_task <- function(name, x, y, motifs_planted, positive = NULL) {
    test <- held_out(y)
    start <- proc.time()[["elapsed"]]
    fit <- trainSequenceModel(x[!test], y[!test], layers = layers,
        epochs = epochs, patience = patience, learning_rate = learning_rate,
        lr_decay = lr_decay,
        n_threads = threads, verbose = FALSE)
    seconds <- proc.time()[["elapsed"]] - start
    metrics <- evaluateClassifier(fit, x[test], y[test], n_threads = threads)
    value <- function(metric, class = NA) {
        keep <- metrics$metric == metric &
            (if (is.na(class)) is.na(metrics$class) else
                metrics$class %in% class)
        metrics$value[keep]
    }
    filters <- filterMotifs(fit, x[!test])
    correlation <- vapply(names(pfms), function(m) {
        if (!m %in% motifs_planted || length(filters) == 0L) return(NA_real_)
        max(compareMotifs(filters, pfms[m])$correlation, na.rm = TRUE)
    }, numeric(1))
    if (is.null(positive)) {
        score <- c(metric = "macro_f1", value = value("macro_f1"),
            auprc = value("macro_auprc"))
        pass <- score[["value"]] >= 0.9
    } else {
        score <- c(metric = "auroc", value = value("auroc", positive),
            auprc = value("auprc", positive))
        pass <- score[["value"]] >= 0.95
    }
    pass <- pass && all(correlation[motifs_planted] >= 0.8)
    row <- data.frame(task = name, n_train = sum(!test), n_test = sum(test),
        seconds = round(seconds, 1), epochs = nrow(fit@history),
        best_epoch = fit@best_epoch, metric = score[["metric"]],
        value = round(as.numeric(score[["value"]]), 4),
        pwm_scan = round(pwm_baseline(x, y, test, motifs_planted,
            positive), 4),
        auprc = round(as.numeric(score[["auprc"]]), 4),
        t(round(correlation, 3)), filters = length(filters),
        pass = pass, check.names = FALSE)
    print(row, row.names = FALSE)
    row
}

binary_task <- function(k) {
    m <- names(pfms)[k]
    x <- background(n)
    y <- factor(rep(c("background", "planted"), length.out = n))
    planted <- y == "planted"
    x[planted] <- plant(x[planted], pfms[[m]])
    run_task(m, x, y, m, positive = "planted")
}

multi_task <- function() {
    x <- background(n)
    y <- factor(rep(c("none", names(pfms)), length.out = n),
        levels = c("none", names(pfms)))
    for (m in names(pfms)) x[y == m] <- plant(x[y == m], pfms[[m]])
    run_task("multi", x, y, names(pfms))
}

# ---- run --------------------------------------------------------------------

tasks <- c(setNames(lapply(seq_along(pfms), function(k) {
    force(k)
    function() binary_task(k)
}), names(pfms)), list(multi = multi_task))
if (!identical(which_tasks, "all")) {
    chosen <- strsplit(which_tasks, ",")[[1]]
    stopifnot(all(chosen %in% names(tasks)))
    tasks <- tasks[chosen]
}
cat(sprintf(paste0("exprae %s, planted motifs in %d-bp dm3 upstream windows,",
    " n = %d per task, seed %d, %d thread(s), layers %s, epochs %d,",
    " patience %d, lr %g, lr decay %g, %s\n"), packageVersion("exprae"), width,
    n, seed, threads, layers_name, epochs, patience, learning_rate, lr_decay,
    format(Sys.time(), "%Y-%m-%d %H:%M UTC", tz = "UTC")))
cat(sprintf("motifs: %s\n", paste(sprintf("%s %s (%d bp)", motif_ids,
    names(pfms), vapply(pfms, ncol, 1L)), collapse = ", ")))
if (is.null(layers)) {
    cat("network: the default of trainSequenceModel()\n")
} else {
    cat("network:", exprae:::.describe_layers(layers, "one-hot DNA"), "\n")
}
results <- list()
for (i in seq_along(tasks)) {
    set.seed(seed * 1000L + match(names(tasks)[i], c(names(pfms), "multi")))
    results[[i]] <- tasks[[i]]()
}
cat("\n== results (value: test AUROC of \"planted\" for a motif alone,",
    "macro-F1 for multi; pwm_scan: the same metric of the true PWMs' best",
    "log-odds scores, a reference near the ceiling; auprc: of \"planted\" /",
    "macro; motif columns: best filter correlation with the planted PFM)\n")
res <- do.call(rbind, results)
print(res, row.names = FALSE)
cat(sprintf("all bars met: %s; total training %.0f s\n", all(res$pass),
    sum(res$seconds)))
