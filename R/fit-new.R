# The fit built from a finished training run: an AutoencoderFit with the
# embedding and training error of the training data, or a ClassifierFit
# with the training samples' class probabilities; the history as a data
# frame, and the samples' annotation.

# The fit, with the training samples' embedding and reconstruction error
# (the engine's per-sample and per-gene NLL, for reconstructionError()).
.new_fit <- function(data, batch, model, options, result, device) {
    x <- data$x
    net <- .net(model, result$weights, data$prep$center, data$prep$scale,
        options)
    input <- list(x = x, batch = batch$codes, size_factors = data$size_factors)
    out <- .predict_columns(net, input, c("latent", "nll"), options$n_threads)
    options$training_error <- out$nll
    .new_exprae_fit("AutoencoderFit", data, model, options, result, device,
        embedding = out$latent)
}

# The fit of a classifier: the training samples' class probabilities as
# its embedding.
.new_classifier_fit <- function(data, model, options, result, device) {
    net <- .net(model, result$weights, data$prep$center, data$prep$scale,
        options)
    input <- list(x = data$x, size_factors = data$size_factors)
    logits <- .predict_columns(net, input, "logits", options$n_threads)
    .new_exprae_fit("ClassifierFit", data, model, options, result, device,
        embedding = .softmax_rows(logits$logits))
}

# The slots every fit shares.
.new_exprae_fit <- function(class, data, model, options, result, device,
    embedding) {
    options[c("size_factors", "batch")] <- NULL
    options$cpu_kernels <- .cpu_kernels(device)
    new(class,
        weights = result$weights, model = model, genes = rownames(data$x),
        center = data$prep$center, scale = data$prep$scale,
        embedding = embedding,
        sample_data = data.frame(row.names = seq_len(ncol(data$x))),
        history = .history_frame(result$history), options = options,
        seed = as.integer(options$seed), device = device,
        stop_reason = result$stop_reason,
        best_epoch = as.integer(result$best_epoch),
        validation = as.integer(result$validation),
        version = as.character(utils::packageVersion("exprae")),
        format = .format_version)
}

.history_frame <- function(history) {
    data.frame(
        epoch = as.integer(history$epoch),
        loss = as.numeric(history$loss),
        val_loss = as.numeric(history$val_loss),
        seconds = as.numeric(history$seconds),
        learning_rate = as.numeric(history$learning_rate)
    )
}

# Sample annotation of a SummarizedExperiment input, and what it was
# trained on.
.with_sample_data <- function(fit, x, assay.type = NULL, dimred = NULL) {
    fit@sample_data <- .plain_columns(SummarizedExperiment::colData(x))
    if (is.numeric(assay.type)) {
        # by name: new data may hold their assays in another order
        name <- SummarizedExperiment::assayNames(x)[assay.type]
        if (length(name) == 1L && !is.na(name) && nzchar(name)) {
            assay.type <- name
        }
    }
    fit@options$assay.type <- assay.type
    fit@options$dimred <- dimred
    validObject(fit)
    fit
}

# The colData columns that are plain vectors (nested tables and the like
# are left out), as a data frame without row names.
.plain_columns <- function(cd) {
    keep <- vapply(seq_along(cd), function(j) {
        col <- cd[[j]]
        is.atomic(col) && is.null(dim(col)) && length(col) == nrow(cd)
    }, logical(1))
    df <- as.data.frame(cd[, keep, drop = FALSE], optional = TRUE)
    rownames(df) <- NULL
    df
}
