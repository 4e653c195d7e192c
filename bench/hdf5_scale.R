# Out-of-core scale benchmark: the reference network (2000-512-128-32,
# mirrored, ReLU, MSE, Adam 1e-3, batch 256, float32, 2 threads) trains one
# epoch through trainAutoencoder() on an HDF5 file of N samples x 2,000
# genes streamed from disk, and one epoch on the first M samples held in
# memory, each in its own R process. Prints samples/second of each (the
# engine's epoch clock), their ratio, the peak resident memory (VmHWM) of
# each process, and where the streamed run's time goes. See bench/README.md.
#
#   Rscript bench/hdf5_scale.R [--samples 1000000] [--memory-samples 100000]
#       [--file /tmp/exprae-scale.h5] [--threads 2] [--keep]
#
# The file is written first (uniform [0, 1) values stored as float32, one
# chunk per 64 samples holding all genes, no compression), unless it exists
# with the right shape; writing it is not timed. --keep keeps it.
# EXPRAE_LIB names the R library holding exprae.

args <- commandArgs(trailingOnly = TRUE)
opt <- function(name, default) {
    i <- match(paste0("--", name), args)
    if (is.na(i)) default else args[[i + 1L]]
}
n_samples <- as.integer(opt("samples", 1e6))
n_memory <- as.integer(opt("memory-samples", 1e5))
path <- opt("file", "/tmp/exprae-scale.h5")
threads <- as.integer(opt("threads", 2))
mode <- opt("mode", "driver")  # internal: the children's "stream", ...
n_genes <- 2000L
chunk <- 64L  # 2000 x 64 float32: 512 KB, fits HDF5's 1 MB chunk cache

suppressPackageStartupMessages({
    library(HDF5Array)
    lib <- Sys.getenv("EXPRAE_LIB")
    library(exprae, lib.loc = if (nzchar(lib)) lib)
})

peak_rss_mb <- function() {
    status <- readLines("/proc/self/status")
    kb <- as.numeric(gsub("[^0-9]", "", grep("^VmHWM", status, value = TRUE)))
    kb / 1024
}

# One epoch of the reference network: samples/second of the epoch (the
# engine's clock, as bench/reference_network.R), the whole call's time
# (with the preprocessing pass before and the embedding pass after) and
# the loss.
train_epoch <- function(x) {
    set.seed(1)
    call <- system.time(fit <- trainAutoencoder(x, ncomponents = 32,
        hidden = c(512, 128), activation = "relu", epochs = 1,
        batch_size = 256, learning_rate = 1e-3, validation_split = 0,
        patience = 0, ntop = NULL, scale = FALSE, n_threads = threads,
        verbose = FALSE))[["elapsed"]]
    h <- trainingHistory(fit)
    c(samples_per_s = ncol(x) / h$seconds[1], epoch_s = h$seconds[1],
        call_s = call, loss = h$loss[1])
}

# Reading alone: every block of the file through exprae's reader, as the
# engine asks for them in an epoch; samples/second.
read_all <- function(x) {
    stream <- exprae:::.stream_if_delayed(x)
    block <- exprae:::.stream_block_size(stream, 256L)
    reader <- exprae:::.open_reader(stream, block)
    on.exit(reader$close())
    starts <- seq.int(1L, ncol(x), by = block)
    seconds <- system.time(for (first in starts) {
        v <- reader$read(first:min(first + block - 1L, ncol(x)))
    })[["elapsed"]]
    c(samples_per_s = ncol(x) / seconds, seconds = seconds, block = block,
        fast = !is.null(exprae:::.hdf5_reader(stream)))
}

write_file <- function() {
    if (file.exists(path)) {
        x <- HDF5Array(path, "x")
        if (identical(dim(x), c(n_genes, n_samples)) &&
            identical(chunkdim(x), c(n_genes, chunk))) {
            return(invisible())
        }
        unlink(path)
    }
    message("writing ", path, " (", n_genes, " x ", n_samples, ")")
    sink <- HDF5RealizationSink(c(n_genes, n_samples), type = "double",
        filepath = path, name = "x", H5type = "H5T_IEEE_F32LE",
        chunkdim = c(n_genes, chunk), level = 0L)
    grid <- RegularArrayGrid(dim(sink), c(n_genes, 16L * chunk))
    set.seed(1)
    for (b in seq_along(grid)) {
        vp <- grid[[b]]
        write_block(sink, vp, array(runif(prod(dim(vp))), dim(vp)))
    }
    close(sink)
}

report <- function(kind, values) {
    cat("RESULT", kind, paste(names(values), values, sep = "=",
        collapse = " "), sprintf("peak_rss_mb=%.1f\n", peak_rss_mb()))
    quit(save = "no")
}
if (mode == "stream") report(mode, train_epoch(HDF5Array(path, "x")))
if (mode == "read") report(mode, read_all(HDF5Array(path, "x")))
if (mode == "memory") {
    x <- as.matrix(HDF5Array(path, "x")[, seq_len(n_memory)])
    report(mode, train_epoch(x))
}

# Driver: write the file, then each measurement in a fresh process.
write_file()
script <- sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE))
child <- function(which) {
    out <- system2(file.path(R.home("bin"), "Rscript"), c(script,
        "--mode", which, "--file", path, "--samples", n_samples,
        "--memory-samples", n_memory, "--threads", threads),
        stdout = TRUE)
    line <- grep("^RESULT", out, value = TRUE)
    if (length(line) != 1L) {
        stop("the ", which, " run failed:\n", paste(out, collapse = "\n"))
    }
    fields <- strsplit(strsplit(line, " ")[[1]][-(1:2)], "=")
    stats::setNames(as.numeric(vapply(fields, `[`, "", 2L)),
        vapply(fields, `[`, "", 1L))
}
load_before <- readLines("/proc/loadavg")
memory <- child("memory")
read <- child("read")
stream <- child("stream")
load_after <- readLines("/proc/loadavg")

cat(sprintf("- command: `Rscript bench/hdf5_scale.R %s`\n",
    paste(args, collapse = " ")))
cat(sprintf("- date: %s UTC; load average before %s, after %s\n",
    format(Sys.time(), "%Y-%m-%d %H:%M", tz = "UTC"),
    paste(strsplit(load_before, " ")[[1]][1:3], collapse = " "),
    paste(strsplit(load_after, " ")[[1]][1:3], collapse = " ")))
cpu <- sub(".*: ", "", grep("^model name", readLines("/proc/cpuinfo"),
    value = TRUE)[1])
cat(sprintf("- machine: %s, %d cores; exprae %s, kernels %s, %d threads\n",
    cpu, parallel::detectCores(), packageVersion("exprae"),
    exprae:::.engine_info()$kernels, threads))
cat(sprintf(paste0("- file: %d genes x %d samples, float32, chunks %d x",
    " %d, no compression, %.2f GB; blocks of %d samples, %s reader\n\n"),
    n_genes, n_samples, n_genes, chunk, file.size(path) / 1e9,
    as.integer(read[["block"]]),
    if (read[["fast"]] == 1) "rhdf5 (fast path)" else "DelayedArray"))
cat("| run | samples/s | epoch s | whole call s | peak RSS MB |\n")
cat("|---|---|---|---|---|\n")
row <- function(label, r) {
    cat(sprintf("| %s | %.0f | %.1f | %.1f | %.0f |\n", label,
        r[["samples_per_s"]], r[["epoch_s"]], r[["call_s"]],
        r[["peak_rss_mb"]]))
}
row(sprintf("in memory, first %d samples", n_memory), memory)
row(sprintf("streamed from HDF5, %d samples", n_samples), stream)
cat(sprintf("| reading alone, %d samples | %.0f | %.1f | - | %.0f |\n\n",
    n_samples, read[["samples_per_s"]], read[["seconds"]],
    read[["peak_rss_mb"]]))
ratio <- stream[["samples_per_s"]] / memory[["samples_per_s"]]
# If reading and computing simply add up, the streamed rate is this:
expected <- 1 / (1 / memory[["samples_per_s"]] + 1 / read[["samples_per_s"]])
cat(sprintf("ratio streamed / in memory: %.2f (reading + computing in turn",
    ratio), sprintf("would give %.2f)\n", expected / memory[["samples_per_s"]]))
if (!"--keep" %in% args) unlink(path)
