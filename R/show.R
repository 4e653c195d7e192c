# What a fit prints: a few lines that read well in a knitted report.
#' @rdname AutoencoderFit
#' @param object An `AutoencoderFit`.
#' @export
setMethod("show", "AutoencoderFit", function(object) {
    cat(.fit_summary(object, .autoencoder_lines), sep = "")
    invisible(object)
})

# What an autoencoder's summary says before the training lines.
.autoencoder_lines <- function(object) {
    model <- object@model
    latent <- ncol(object@embedding)
    c(sprintf("AutoencoderFit: %d genes -> %d latent components",
            length(object@genes), latent),
        paste0("  encoder: ", .describe_layers(model$encoder,
            length(object@genes))),
        paste0("  decoder: ", .describe_layers(model$decoder, latent)),
        .model_settings_lines(object@options, model),
        .label_lines(object@options, model, latent),
        .samples_line(nrow(object@embedding), length(object@validation),
            object@options$labelled))
}

# What every fit's show() prints, line by line (each ending in a
# newline): its own lines (`describe(object)`), then how training went;
# a fit that fails its check (.check_fit()) says what is wrong instead of
# failing half-way through its summary.
.fit_summary <- function(object, describe) {
    problem <- tryCatch({
        .check_fit(object)
        NULL
    }, error = function(e) conditionMessage(e))
    lines <- if (is.null(problem)) {
        c(describe(object), .training_lines(object))
    } else {
        paste0(class(object)[1L], " that cannot be used:\n  ",
            gsub("\n", "\n  ", problem, fixed = TRUE))
    }
    paste0(lines, "\n")
}

# A semi-supervised autoencoder's classes and the classifier on its
# latent space; nothing for an unsupervised one.
.label_lines <- function(options, model, latent) {
    if (length(options$classes) == 0L) {
        return(character())
    }
    c(paste0("  classes: ", .classes_text(options$classes)),
        sprintf("  classifier: %s, loss weight %s",
            .describe_layers(model$classifier, latent),
            format(model$label_weight %||% 1)))
}

# The first classes by name, "..." for the rest.
.classes_text <- function(classes) {
    shown <- paste(utils::head(classes, 6), collapse = ", ")
    if (length(classes) > 6L) paste0(shown, ", ...") else shown
}

# How many samples trained the model: with labels, how many of them had
# one (`labelled`, NULL for fits without labels or made before it was
# kept); the validation samples are among them.
.samples_line <- function(n, held_out, labelled = NULL) {
    sprintf("  samples: %d%s (%d held out for validation)", n,
        if (!is.null(labelled) && labelled < n)
            sprintf(", %d labelled", labelled) else "",
        held_out)
}

# The epochs, the losses of the kept weights (the best epoch's, as
# glance() gives), the device (with the CPU kernels that trained it) and
# how long training took: the lines every fit's show() prints last.
.training_lines <- function(object) {
    history <- object@history
    best <- history[history$epoch == object@best_epoch, , drop = FALSE]
    c(sprintf("  epochs:  %d of %d (%s), best epoch %d", nrow(history),
        object@options$epochs, object@stop_reason, object@best_epoch),
    if (nrow(best) > 0L) {
        sprintf("  loss:    %.4g at the best epoch (validation %s)",
            best$loss[1L], if (is.na(best$val_loss[1L])) "none"
            else sprintf("%.4g", best$val_loss[1L]))
    }, sprintf("  device:  %s, %s precision, %d thread%s",
        .device_text(object), object@options$precision,
        object@options$n_threads,
        if (object@options$n_threads == 1L) "" else "s"),
    sprintf("  trained: %.3g s by exprae %s (fit format %d)",
        .training_seconds(object), object@version, .fit_format(object)))
}

# "cpu (avx512 kernels)"; fits made before the kernels were recorded, and
# GPU fits, show the device alone.
.device_text <- function(object) {
    kernels <- object@options$cpu_kernels
    if (is.null(kernels)) object@device
    else sprintf("%s (%s kernels)", object@device, kernels)
}

# The likelihood, latent, batch and denoising settings; fits made before
# these existed are Gaussian, deterministic, without batch or corruption.
# Lines for show() to print.
.model_settings_lines <- function(options, arch = list()) {
    likelihood <- .options_likelihood(options)
    model <- paste(likelihood, "likelihood")
    if (.is_count_model(likelihood)) {
        model <- paste0(model, ", log1p input, size factors from ",
            if (identical(options$size_factor_mode, "given")) "the user"
            else "library size")
    }
    lines <- c(sprintf("  model:   %s", model),
        sprintf("  latent:  %s", if (isTRUE(options$variational))
            sprintf("variational (KL warm-up %d epochs)", options$kl_warmup)
            else "deterministic"))
    levels <- options$batch_levels
    if (!is.null(levels)) {
        shown <- paste(utils::head(levels, 5), collapse = ", ")
        if (length(levels) > 5L) shown <- paste0(shown, ", ...")
        lines <- c(lines, sprintf("  batch:   %d levels (%s)%s",
            length(levels), shown,
            if (identical(options$dispersion, "gene-batch"))
                ", dispersion per gene and batch" else ""))
        lines <- c(lines, sprintf("  mixing:  %s", .mixing_text(arch)))
    }
    corruption <- options$corruption %||% "none"
    if (corruption != "none") {
        lines <- c(lines, sprintf("  denoising: %s corruption, rate %s",
            corruption, format(options$corruption_rate)))
    }
    lines
}

# How a batch model pulls its batches together: the batch MMD and/or the
# adversary, with their weights.
.mixing_text <- function(arch) {
    parts <- c(
        if (!is.null(arch$batch_mmd))
            sprintf("batch MMD, weight %s", format(arch$batch_mmd)),
        if (length(arch$adversary) > 0L)
            sprintf("batch adversary, penalty %s", format(arch$batch_penalty)))
    if (length(parts) == 0L) "none (batch_mmd = 0, batch_penalty = 0)"
    else paste(parts, collapse = "; ")
}
