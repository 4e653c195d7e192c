#' Train an autoencoder on an expression matrix
#'
#' Fits an autoencoder whose encoder maps each sample's expression profile
#' to `ncomponents` latent values and whose decoder reconstructs the
#' profile from them. Training minimises the mean squared reconstruction
#' error with minibatch gradient descent in exprae's C++ engine.
#'
#' Genes are rows and samples are columns, as Bioconductor stores them.
#' Before training, exprae keeps the genes picked by `subset_row`, then the
#' `ntop` most variable of them (variance across samples, original order
#' kept), and centres every gene at its mean (and, with `scale = TRUE`,
#' divides it by its standard deviation; genes of zero variance are left
#' unscaled). The centre and scale are stored in the fit and reused by
#' [predict()][predict.AutoencoderFit].
#'
#' The engine takes a double matrix or a sparse dgCMatrix as it is (sparse
#' data are centred per minibatch, never densified). A DelayedMatrix (e.g.
#' HDF5-backed) is read into memory first, as a dgCMatrix where its seed is
#' sparse. Integer data are converted to double. Data without row names get
#' the gene names `gene1`, `gene2`, ...; the same names are given to
#' unnamed new data at prediction, which then lines up by position.
#'
#' The random seed of the engine (weight initialisation, shuffling,
#' dropout, validation split) is drawn from R's random number generator, so
#' `set.seed()` before the call makes the fit reproducible (for a given
#' `n_threads` and `precision`). It is stored in the fit.
#'
#' Progress is shown with a cli progress bar (epoch, loss, validation loss)
#' unless `verbose = FALSE`. Pressing Ctrl-C stops training after the
#' current minibatch and returns the fit with a warning of class
#' `exprae_warning_interrupted`; a loss that becomes NaN or infinite stops
#' it with the best weights so far and a warning of class
#' `exprae_warning_non_finite`.
#'
#' @param x A numeric matrix, a dgCMatrix or a DelayedMatrix (genes x
#'   samples), a SummarizedExperiment, or a SingleCellExperiment.
#' @param ... For the generic, arguments passed to the methods. For the
#'   SummarizedExperiment and SingleCellExperiment methods, further
#'   arguments of the ANY method.
#' @param assay.type Name (or index) of the assay to use. An error of class
#'   `exprae_error_assay` lists the available assays when it is not there.
#' @param dimred Name of a reducedDim of a SingleCellExperiment to train on
#'   instead of an assay (e.g. `"PCA"`); `NULL` uses `assay.type`.
#' @param ncomponents Number of latent components.
#' @param hidden Units of the hidden dense layers of the encoder; the
#'   decoder mirrors them. `NULL` or `integer(0)` gives a linear model.
#' @param activation Activation of the hidden layers: `"relu"`,
#'   `"leaky_relu"`, `"elu"`, `"tanh"`, `"sigmoid"`, `"softplus"` or
#'   `"linear"`.
#' @param dropout Dropout rate after each hidden layer, in \[0, 1).
#' @param encoder,decoder `NULL`, or a list of layers made with
#'   [layer_dense()], [layer_dropout()], [layer_batch_norm()] and
#'   [layer_layer_norm()] for a custom architecture; see [layers]. A custom
#'   `encoder` replaces `hidden`, `activation` and `dropout`; `decoder =
#'   NULL` mirrors the encoder.
#' @param epochs Maximum number of passes over the training samples.
#' @param batch_size Number of samples per minibatch.
#' @param learning_rate Learning rate of the optimizer.
#' @param optimizer `"adam"`, `"adamw"` (decoupled weight decay) or
#'   `"sgd"` (with `momentum`).
#' @param weight_decay Weight decay (L2 penalty), >= 0.
#' @param momentum Momentum of `"sgd"`, in \[0, 1).
#' @param validation_split Fraction of the samples held out to compute the
#'   validation loss, in \[0, 1).
#' @param patience Stop when the validation loss (the training loss without
#'   validation) has not improved for this many epochs, and keep the best
#'   weights; 0 never stops early.
#' @param lr_decay Factor in (0, 1] applied to the learning rate when the
#'   loss has not improved for `lr_patience` epochs; 1 keeps it constant.
#' @param lr_patience Epochs without improvement before `lr_decay` applies.
#' @param clip_norm Largest global norm of the gradient (larger gradients
#'   are rescaled); 0 turns clipping off.
#' @param ntop Number of most variable genes to keep; `NULL` or `Inf` keeps
#'   all.
#' @param subset_row Genes to use (names, indices or a logical vector),
#'   before `ntop` is applied; `NULL` uses all.
#' @param scale Scale each gene to unit variance as well as centring it?
#' @param n_threads Number of CPU threads of the engine (OpenMP): this
#'   many are used, at most one per processor. More threads than idle
#'   cores slow training down.
#' @param device `"auto"`, `"cpu"`, `"cuda"` or `"cuda:N"`. This build has
#'   only the CPU: `"auto"` uses it, and a CUDA device is an error of class
#'   `exprae_error_device` (see [cudaAvailable()]).
#' @param precision `"float"` (single precision, the default) or
#'   `"double"`.
#' @param verbose Show a progress bar?
#'
#' @return An [AutoencoderFit] object.
#'
#' Invalid input is an error of class `exprae_error` and a subclass:
#' `exprae_error_argument` (a bad argument value), `exprae_error_input`
#' (data that are not numeric, hold NA/NaN/Inf, have fewer than 2 samples
#' or repeated gene names), `exprae_error_assay`, `exprae_error_genes` (in
#' `subset_row`), `exprae_error_device` or `exprae_error_engine`.
#'
#' @seealso [calculateAutoencoder()] and [runAutoencoder()] for the
#'   embedding alone; [predict()][predict.AutoencoderFit],
#'   [as.data.frame()][as.data.frame.AutoencoderFit],
#'   [trainingHistory()] and [plot()][plot.AutoencoderFit]
#'   to use the fit.
#' @name trainAutoencoder
#' @aliases trainAutoencoder,ANY-method
#' @examples
#' se <- exampleALL()
#' set.seed(1)
#' fit <- trainAutoencoder(se, ncomponents = 2, hidden = 32, epochs = 20,
#'     n_threads = 1, verbose = FALSE)
#' fit
#' head(as.data.frame(fit))
#'
#' # any numeric matrix, genes x samples
#' m <- SummarizedExperiment::assay(se)
#' fit <- trainAutoencoder(m, ntop = 200, epochs = 5, verbose = FALSE)
NULL

.train_autoencoder <- function(x, ncomponents = 10, hidden = c(256, 64),
    activation = "relu", dropout = 0, encoder = NULL, decoder = NULL,
    epochs = 100, batch_size = 128, learning_rate = 1e-3,
    optimizer = "adam", weight_decay = 0, momentum = 0.9,
    validation_split = 0.1, patience = 10, lr_decay = 1, lr_patience = 5,
    clip_norm = 0, ntop = 2000, subset_row = NULL, scale = FALSE,
    n_threads = 1, device = "auto", precision = "float", verbose = TRUE) {
    device <- .resolve_device(device)
    options <- .engine_options(epochs, batch_size, learning_rate,
        optimizer, weight_decay, momentum, validation_split, patience,
        lr_decay, lr_patience, clip_norm, n_threads, precision)
    arch <- .check_architecture(ncomponents, hidden, activation, dropout)
    ntop <- .check_ntop(ntop)
    scale <- .check_flag(scale, "scale")
    verbose <- .check_flag(verbose, "verbose")
    x <- .training_matrix(x, subset_row, ntop)
    model <- .build_model(nrow(x), arch$ncomponents, arch$hidden,
        arch$activation, arch$dropout, encoder, decoder)
    prep <- .preprocessing(x, scale)
    options$seed <- as.numeric(sample.int(.Machine$integer.max, 2L))
    result <- .run_engine(x, prep, model, options, verbose = verbose)
    options[c("ncomponents", "ntop", "scale")] <- list(arch$ncomponents,
        ntop, scale)
    .new_fit(x, prep, model, options, result, device)
}

#' @rdname trainAutoencoder
#' @export
setMethod("trainAutoencoder", "ANY", .train_autoencoder)

#' @rdname trainAutoencoder
#' @export
setMethod("trainAutoencoder", "SummarizedExperiment",
    function(x, ..., assay.type = "logcounts", dimred = NULL) {
        # .pick_matrix() explains that `dimred` needs an SCE
        fit <- .train_autoencoder(.pick_matrix(x, assay.type, dimred), ...)
        .with_sample_data(fit, x, assay.type = assay.type)
    })

#' @rdname trainAutoencoder
#' @export
setMethod("trainAutoencoder", "SingleCellExperiment",
    function(x, ..., assay.type = "logcounts", dimred = NULL) {
        if (is.null(dimred)) {
            return(callNextMethod(x, ..., assay.type = assay.type))
        }
        fit <- .train_autoencoder(.pick_matrix(x, dimred = dimred), ...)
        .with_sample_data(fit, x, dimred = dimred)
    })

# The engine's options, validated; the seed is added by the caller.
.engine_options <- function(epochs, batch_size, learning_rate, optimizer,
    weight_decay, momentum, validation_split, patience, lr_decay,
    lr_patience, clip_norm, n_threads, precision) {
    list(
        epochs = .check_count(epochs, "epochs"),
        batch_size = .check_count(batch_size, "batch_size"),
        learning_rate = .check_number(learning_rate, "learning_rate", 0,
            open = "lower"),
        optimizer = .check_choice(optimizer, "optimizer",
            c("adam", "adamw", "sgd")),
        weight_decay = .check_number(weight_decay, "weight_decay", 0),
        momentum = .check_number(momentum, "momentum", 0, 1, open = "upper"),
        validation_split = .check_number(validation_split,
            "validation_split", 0, 1, open = "upper"),
        patience = .check_count(patience, "patience", min = 0),
        lr_decay = .check_number(lr_decay, "lr_decay", 0, 1, open = "lower"),
        lr_patience = .check_count(lr_patience, "lr_patience", min = 0),
        clip_norm = .check_number(clip_norm, "clip_norm", 0),
        n_threads = .check_count(n_threads, "n_threads"),
        precision = .check_choice(precision, "precision",
            c("float", "double"))
    )
}

.check_architecture <- function(ncomponents, hidden, activation, dropout) {
    hidden <- hidden %||% integer()
    if (!is.numeric(hidden) || anyNA(hidden) || any(!is.finite(hidden)) ||
        any(hidden < 1 | hidden != round(hidden))) {
        .abort("argument", "{.arg hidden} must hold whole numbers >= 1,
            not {.val {hidden}}.")
    }
    list(
        ncomponents = .check_count(ncomponents, "ncomponents"),
        hidden = as.integer(hidden),
        activation = .check_choice(activation, "activation", .activations),
        dropout = .check_number(dropout, "dropout", 0, 1, open = "upper")
    )
}

.check_ntop <- function(ntop) {
    if (is.null(ntop) || identical(as.numeric(ntop), Inf)) {
        return(NULL)
    }
    .check_count(ntop, "ntop")
}

# Per-gene centre and scale; the engine applies them per minibatch.
.preprocessing <- function(x, scale) {
    moments <- .row_moments(x)
    sd <- sqrt(moments$var)
    # Constant genes (up to rounding of their mean) are left unscaled.
    constant <- sd <= sqrt(.Machine$double.eps) * pmax(1, abs(moments$mean))
    list(
        center = moments$mean,
        scale = if (scale) ifelse(constant, 1, sd) else rep(1, nrow(x))
    )
}

# Trains with a progress bar tied to this frame.
.run_engine <- function(x, prep, model, options, weights = NULL,
    verbose = TRUE) {
    callback <- if (verbose) .progress_callback(options$epochs) else NULL
    result <- .call_engine(.engine_fit(x, prep$center, prep$scale, model,
        options, weights, callback))
    .warn_stop_reason(result)
    result
}

# The stop reasons that need the user's attention are classed warnings;
# the fit is returned all the same.
.warn_stop_reason <- function(result) {
    last <- max(0L, result$history$epoch)
    if (identical(result$stop_reason, "interrupted")) {
        .warn("interrupted", c(
            "Training was interrupted after epoch {last}.",
            i = "The fit keeps the weights reached so far."
        ))
    } else if (identical(result$stop_reason, "non_finite")) {
        .warn("non_finite", c(
            "The loss became NaN or infinite; training stopped.",
            i = "The fit keeps the weights of epoch {result$best_epoch}.",
            i = "Try a smaller {.arg learning_rate}, {.arg clip_norm} or
                {.code scale = TRUE}."
        ))
    }
    invisible(result)
}

.progress_callback <- function(epochs, .envir = parent.frame()) {
    id <- cli::cli_progress_bar(
        total = epochs, clear = TRUE, .envir = .envir,
        format = paste(
            "Epoch {cli::pb_current}/{cli::pb_total} {cli::pb_bar}",
            "loss {cli::pb_extra$loss} val_loss {cli::pb_extra$val_loss}",
            "| ETA {cli::pb_eta}"
        ),
        extra = list(loss = "-", val_loss = "-")
    )
    function(epoch, epochs, loss, val_loss) {
        cli::cli_progress_update(id = id, set = epoch, .envir = .envir,
            extra = list(loss = .format_loss(loss),
                val_loss = .format_loss(val_loss)))
    }
}

.format_loss <- function(loss) {
    if (is.na(loss)) "-" else format(signif(loss, 4))
}

.new_fit <- function(x, prep, model, options, result, device) {
    embedding <- .engine_output(x, prep, model, result$weights, "latent",
        options$n_threads)
    new("AutoencoderFit",
        weights = result$weights, model = model, genes = rownames(x),
        center = prep$center, scale = prep$scale, embedding = embedding,
        sample_data = data.frame(row.names = seq_len(ncol(x))),
        history = .history_frame(result$history), options = options,
        seed = as.integer(options$seed), device = device,
        stop_reason = result$stop_reason,
        best_epoch = as.integer(result$best_epoch),
        validation = as.integer(result$validation),
        version = as.character(utils::packageVersion("exprae")))
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

# Sample annotation of a SummarizedExperiment input: the colData columns
# that are plain vectors (nested tables and the like are left out).
.with_sample_data <- function(fit, x, assay.type = NULL, dimred = NULL) {
    cd <- SummarizedExperiment::colData(x)
    keep <- vapply(seq_along(cd), function(j) {
        col <- cd[[j]]
        is.atomic(col) && is.null(dim(col)) && length(col) == nrow(cd)
    }, logical(1))
    df <- as.data.frame(cd[, keep, drop = FALSE], optional = TRUE)
    rownames(df) <- NULL
    fit@sample_data <- df
    fit@options$assay.type <- assay.type
    fit@options$dimred <- dimred
    validObject(fit)
    fit
}
