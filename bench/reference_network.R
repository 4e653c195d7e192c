# The reference network trained through R: the installed package's engine
# (compiled by R CMD INSTALL with R's flags), called the way
# trainAutoencoder() calls it, timed like reference_network.cpp.
#
#   Rscript bench/reference_network.R [--threads 2] [--epochs 3]
#       [--batch-size 256] [--lib DIR]
#
# It calls the internal exprae:::.engine_fit() rather than
# trainAutoencoder(): the public function standardises by default, holds
# out a validation split and draws its own architecture arguments, while
# the benchmark needs exactly the reference network with no validation.
# One call runs the warm-up epochs and then the timed ones; the figure is
# taken from the engine's per-epoch clock (history$seconds), the same
# clock the standalone driver reads, so the two compare the builds and not
# R's call overhead, which is printed separately.

parse_args <- function(args) {
    opts <- list(threads = 2L, epochs = 3L, warmup = 1L, batch_size = 256L,
        samples = 10000L, features = 2000L, seed = 1L,
        lib = Sys.getenv("EXPRAE_LIB", ""))
    while (length(args) >= 2L) {
        name <- sub("^--", "", args[1L])
        name <- gsub("-", "_", name, fixed = TRUE)
        if (!name %in% names(opts)) stop("unknown option --", name)
        opts[[name]] <- if (name == "lib") args[2L] else as.integer(args[2L])
        args <- args[-(1:2)]
    }
    if (length(args)) stop("option without a value: ", args)
    opts
}

# Encoder features-512-128-32, mirrored decoder; ReLU on the hidden
# layers, linear latent and output layers.
reference_model <- function(features) {
    dense <- function(units, activation) {
        list(type = "dense", units = as.integer(units),
            activation = activation)
    }
    list(
        encoder = list(dense(512, "relu"), dense(128, "relu"),
            dense(32, "linear")),
        decoder = list(dense(128, "relu"), dense(512, "relu"),
            dense(features, "linear"))
    )
}

main <- function() {
    o <- parse_args(commandArgs(trailingOnly = TRUE))
    lib <- if (nzchar(o$lib) && dir.exists(o$lib)) o$lib else NULL
    suppressPackageStartupMessages(library(exprae, lib.loc = lib))
    set.seed(o$seed)
    # Uniform [0, 1), features x samples, not standardised (center 0,
    # scale 1), as the other two drivers feed it.
    x <- matrix(runif(o$features * o$samples), o$features, o$samples)
    options <- list(epochs = o$warmup + o$epochs, batch_size = o$batch_size,
        learning_rate = 1e-3, optimizer = "adam", weight_decay = 0,
        momentum = 0.9, validation_split = 0, patience = 0L, lr_decay = 1,
        lr_patience = 5L, clip_norm = 0, seed = c(1, 2),
        n_threads = o$threads, precision = "float")
    wall <- system.time(fit <- exprae:::.engine_fit(x, rep(0, o$features),
        rep(1, o$features), reference_model(o$features), options, NULL,
        NULL))[["elapsed"]]
    h <- fit$history
    if (length(h$epoch) != options$epochs) {
        stop("training stopped after ", length(h$epoch), " epochs (",
            fit$stop_reason, ")")
    }
    warm <- if (o$warmup > 0) h$seconds[o$warmup] else 0
    timed <- h$seconds[options$epochs] - warm
    rate <- o$epochs * o$samples / timed
    cat(sprintf(paste0("engine through R (exprae %s, %s kernels): %d ",
        "threads, batch %d, warm-up %.2f s, %d timed epochs %.2f s, ",
        "final loss %.4f; whole call %.2f s (%.2f s outside the epochs)\n"),
        as.character(utils::packageVersion("exprae", lib.loc = lib)),
        exprae:::.engine_info()$kernels, o$threads, o$batch_size, warm,
        o$epochs, timed, h$loss[options$epochs], wall,
        wall - h$seconds[options$epochs]))
    cat(sprintf("RESULT R samples_per_s=%.1f\n", rate))
}

main()
