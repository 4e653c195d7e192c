# Training throughput of two sequence classifiers on 200-bp one-hot DNA,
# exprae's trainSequenceModel() (what users run) against PyTorch CPU
# (bench/sequence_torch.py), in the same run, interleaved rounds: for each
# round exprae CNN, PyTorch CNN, exprae conv+GRU, PyTorch conv+GRU. Batch
# 128, Adam 1e-3, float32, softmax cross-entropy over 2 classes, random
# sequences and labels. Prints median (min-max) samples/s per network and
# the ratio exprae / PyTorch.
#
#   Rscript bench/sequence.R [--rounds 3] [--epochs 3] [--threads 2]
#       [--samples-cnn 4096] [--samples-gru 1024] [--nets cnn,gru]
#       [--torch-threads T --openblas-threads B] [--forward] [--record]
#       [--lib PATH] [--python /usr/bin/python3]
#
#   --epochs N     timed epochs, after one untimed warm-up epoch
#   --torch-threads/--openblas-threads  PyTorch's setting; without them a
#                  sweep (torch threads 1/2 x OPENBLAS_NUM_THREADS 1/2, one
#                  child process each) picks the best per network first
#   --forward      also time inference alone (exprae's predict(), PyTorch
#                  under no_grad), to tell forward from backward cost
#   --record       append the result block to bench/RESULTS.md
#
# The networks:
#   cnn: conv 64 x 15 same ReLU, max pool 4, conv 64 x 7 same ReLU, global
#        max pool, dense 32 ReLU, dense 2
#   gru: conv 64 x 15 same ReLU, max pool 4, GRU(32) last state, dense 2
# The conv+GRU network trains several times slower per sample than the CNN
# in both frameworks, hence fewer samples for it (a round stays near a
# minute per framework); samples/s does not depend on the count.

args <- commandArgs(TRUE)
option <- function(name, default) {
    at <- match(paste0("--", name), args)
    if (is.na(at)) default else args[at + 1L]
}
flag <- function(name) paste0("--", name) %in% args
rounds <- as.integer(option("rounds", "3"))
epochs <- as.integer(option("epochs", "3"))
threads <- as.integer(option("threads", "2"))
samples <- c(cnn = as.integer(option("samples-cnn", "4096")),
    gru = as.integer(option("samples-gru", "1024")))
nets <- strsplit(option("nets", "cnn,gru"), ",")[[1]]
torch_threads <- option("torch-threads", NA)
openblas_threads <- option("openblas-threads", NA)
forward <- flag("forward")
record <- flag("record")
lib <- option("lib", "")
python <- option("python", "/usr/bin/python3")
length_bp <- 200L
batch <- 128L
cmdline <- paste(c("Rscript bench/sequence.R", args), collapse = " ")
here <- local({
    file <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE),
        value = TRUE))
    if (length(file)) dirname(normalizePath(file[1])) else "bench"
})
suppressPackageStartupMessages({
    if (nzchar(lib)) library(exprae, lib.loc = lib) else library(exprae)
})

# ---- the machine -------------------------------------------------------------

cpuinfo <- readLines("/proc/cpuinfo", warn = FALSE)
cpu_model <- sub("^model name\\s*:\\s*", "",
    grep("^model name", cpuinfo, value = TRUE)[1])
cores <- parallel::detectCores()
load_avg <- function() {
    paste(strsplit(readLines("/proc/loadavg"), " ")[[1]][1:3], collapse = " ")
}

# Debian's OpenBLAS does not recognise every CPU and then runs its SSE3
# kernels at a fifth of the speed: name the kernel set the CPU can run,
# unless the caller did (as bench/run.sh does).
coretype <- Sys.getenv("OPENBLAS_CORETYPE")
if (!nzchar(coretype)) {
    flags <- grep("^flags", cpuinfo, value = TRUE)[1]
    coretype <- if (grepl("\\bavx512f\\b", flags)) "SkylakeX" else
        if (grepl("\\bavx2\\b", flags)) "Haswell" else ""
}

# ---- exprae ------------------------------------------------------------------

# exprae adds the output layer (one linear unit per class) itself.
layers <- list(
    cnn = function() list(layer_conv1d(64, 15), layer_max_pool1d(4),
        layer_conv1d(64, 7), layer_global_max_pool(),
        layer_dense(32, "relu")),
    gru = function() list(layer_conv1d(64, 15), layer_max_pool1d(4),
        layer_gru(32))
)

random_dna <- function(n) {
    bases <- matrix(sample(c("A", "C", "G", "T"), n * length_bp, TRUE),
        nrow = n)
    apply(bases, 1, paste, collapse = "")
}

# One untimed warm-up epoch, then `epochs` timed ones, read off the fit's
# cumulative per-epoch clock so that encoding and set-up (all before the
# end of epoch 1) are left out, as PyTorch's warm-up epoch is.
exprae_run <- function(net, data) {
    e <- epochs + 1L
    fit <- trainSequenceModel(data$x, data$y, layers = layers[[net]](),
        epochs = e, batch_size = batch, learning_rate = 1e-3,
        validation_split = 0, patience = 0, reverse_complement = FALSE,
        class_weights = NULL, n_threads = threads, device = "cpu",
        verbose = FALSE)
    sec <- trainingHistory(fit)$seconds
    out <- list(rate = length(data$y) * epochs / (sec[e] - sec[1]),
        params = sum(lengths(fit@weights)))
    if (forward) {
        predict(fit, data$x[seq_len(batch)], n_threads = threads)  # warm-up
        t <- system.time(predict(fit, data$x, type = "prob",
            n_threads = threads))[["elapsed"]]
        out$forward <- length(data$y) / t
    }
    out
}

# ---- PyTorch -----------------------------------------------------------------

torch_script <- file.path(here, "sequence_torch.py")

# Runs sequence_torch.py with OPENBLAS_NUM_THREADS set before Python starts
# (OpenBLAS reads it at load) and returns its last JSON line as a list.
torch_call <- function(net, extra, blas = NA) {
    env <- c(if (nzchar(coretype)) paste0("OPENBLAS_CORETYPE=", coretype),
        if (!is.na(blas)) paste0("OPENBLAS_NUM_THREADS=", blas))
    out <- suppressWarnings(system2(python, c(torch_script, "--net", net,
        "--samples", samples[[net]], "--batch-size", batch,
        "--length", length_bp, extra), env = env, stdout = TRUE,
        stderr = ""))
    status <- attr(out, "status")
    if (!is.null(status) && status != 0)
        stop(sprintf("%s failed (status %d)", torch_script, status))
    parse_json_line(tail(out, 1))
}

# The script prints one flat JSON object; base R can read that much.
parse_json_line <- function(line) {
    fields <- regmatches(line, gregexpr('"[^"]+": ("[^"]*"|[^,}]+)', line))[[1]]
    keys <- sub('^"([^"]+)".*', "\\1", fields)
    vals <- trimws(sub('^"[^"]+": ', "", fields))
    vals <- lapply(vals, function(v) {
        if (grepl('^"', v)) gsub('"', "", v) else
            if (v %in% c("true", "false")) v == "true" else as.numeric(v)
    })
    stats::setNames(vals, keys)
}

torch_setting <- function(net) {
    if (!is.na(torch_threads)) {
        return(list(torch = as.integer(torch_threads),
            blas = if (is.na(openblas_threads)) threads else
                as.integer(openblas_threads)))
    }
    cat(sprintf("== PyTorch thread sweep, %s (1 timed epoch each)\n", net))
    best <- torch_call(net, c("--sweep", "--epochs", "1"))
    cat(sprintf("best: OPENBLAS_NUM_THREADS=%s torch threads %d\n",
        best$openblas_threads, as.integer(best$torch_threads)))
    list(torch = as.integer(best$torch_threads),
        blas = as.integer(best$openblas_threads))
}

torch_run <- function(net, setting) {
    res <- torch_call(net, c("--torch-threads", setting$torch,
        "--epochs", epochs, if (forward) "--forward"), blas = setting$blas)
    out <- list(rate = res$samples_per_s, params = res$params,
        version = res$version)
    if (forward) out$forward <- res$forward_samples_per_s
    out
}

# ---- run -----------------------------------------------------------------------

load_before <- load_avg()
date_utc <- format(Sys.time(), "%Y-%m-%d %H:%M UTC", tz = "UTC")
cat(sprintf("exprae %s, %s; %s, %d cores, OPENBLAS_CORETYPE=%s; %s\n",
    packageVersion("exprae"), R.version.string, cpu_model, cores,
    if (nzchar(coretype)) coretype else "unset", date_utc))
cat(sprintf("load average before: %s\n", load_before))

settings <- lapply(stats::setNames(nets, nets), torch_setting)
set.seed(1)
data <- lapply(stats::setNames(nets, nets), function(net) {
    n <- samples[[net]]
    list(x = random_dna(n), y = factor(sample(c("a", "b"), n, TRUE)))
})

results <- list()
for (r in seq_len(rounds)) {
    cat(sprintf("-- round %d\n", r))
    for (net in nets) {
        for (fw in c("exprae", "torch")) {
            res <- if (fw == "exprae") exprae_run(net, data[[net]]) else
                torch_run(net, settings[[net]])
            cat(sprintf("%-6s %-3s %8.1f samples/s%s\n", fw, net, res$rate,
                if (forward) sprintf(", forward only %.1f samples/s",
                    res$forward) else ""))
            results[[length(results) + 1L]] <- data.frame(round = r,
                net = net, framework = fw, rate = res$rate,
                forward = if (forward) res$forward else NA_real_,
                params = res$params)
            if (fw == "torch") torch_version <- res$version
        }
    }
}
results <- do.call(rbind, results)
load_after <- load_avg()

# Both frameworks must train the same network, weight for weight.
params <- tapply(results$params, list(results$net, results$framework),
    function(p) p[1])
for (net in nets) {
    cat(sprintf("parameters, %s: exprae %d, PyTorch %d%s\n", net,
        as.integer(params[net, "exprae"]), as.integer(params[net, "torch"]),
        if (params[net, "exprae"] == params[net, "torch"]) "" else
            "  <-- MISMATCH"))
}
if (any(params[, "exprae"] != params[, "torch"]))
    stop("the two frameworks do not train networks of the same size")

summary_of <- function(v) {
    sprintf("%.0f (%.0f-%.0f)", median(v), min(v), max(v))
}
net_names <- c(cnn = "CNN (conv 64x15, pool 4, conv 64x7, global max, 32, 2)",
    gru = "conv + GRU (conv 64x15, pool 4, GRU 32, 2)")
rows <- vapply(nets, function(net) {
    e <- results$rate[results$net == net & results$framework == "exprae"]
    t <- results$rate[results$net == net & results$framework == "torch"]
    sprintf("| %s | %s | %s | %.2f |", net_names[[net]], summary_of(e),
        summary_of(t), median(e) / median(t))
}, character(1))
forward_rows <- if (forward) vapply(nets, function(net) {
    e <- results$forward[results$net == net & results$framework == "exprae"]
    t <- results$forward[results$net == net & results$framework == "torch"]
    sprintf("| %s, forward only | %s | %s | %.2f |", net, summary_of(e),
        summary_of(t), median(e) / median(t))
}, character(1))
setting_text <- paste(vapply(nets, function(net) sprintf(
    "%s: OPENBLAS_NUM_THREADS=%d, torch threads %d", net,
    settings[[net]]$blas, settings[[net]]$torch), character(1)),
    collapse = "; ")

block <- c(sprintf("### %s", date_utc), "",
    sprintf("- command: `%s`", cmdline),
    sprintf("- machine: %s, %d cores; load average before %s, after %s",
        cpu_model, cores, load_before, load_after),
    sprintf("- software: exprae %s; %s; PyTorch %s (OPENBLAS_CORETYPE=%s; %s)",
        packageVersion("exprae"), sub(" \\(.*", "", R.version.string),
        torch_version, if (nzchar(coretype)) coretype else "unset",
        setting_text),
    sprintf(paste("- %d interleaved rounds, %d timed epochs after 1 warm-up",
        "epoch (CNN %d, conv + GRU %d random 200-bp sequences), batch %d,",
        "exprae threads: %d; samples/s, median (min-max)"), rounds, epochs,
        samples[["cnn"]], samples[["gru"]], batch, threads),
    sprintf("- parameters: %s", paste(sprintf("%s %d", nets,
        as.integer(params[nets, "exprae"])), collapse = ", ")),
    "",
    "| network | exprae | PyTorch CPU | ratio exprae / PyTorch |",
    "|---|---|---|---|", rows, forward_rows)
cat("\n", paste(block, collapse = "\n"), "\n", sep = "")

if (record) {
    cat("\n", paste(block, collapse = "\n"), "\n", sep = "",
        file = file.path(here, "RESULTS.md"), append = TRUE)
    cat(sprintf("\nappended to %s\n", file.path(here, "RESULTS.md")))
}
