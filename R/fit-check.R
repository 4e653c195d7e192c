# A fit read from disk may come from another version of exprae or be
# damaged. Before any of it reaches the engine, it is checked whole: its
# format, its slots, its architecture and each weight's name, shape and
# values, so that a bad fit is a classed error (exprae_error_fit) naming
# what is wrong, never a crash or a silently wrong answer.

# Returns the fit in this version's layout.
.check_fit <- function(fit) {
    .check_is_fit(fit)
    .check_fit_format(fit)
    if (!methods::.hasSlot(fit, "format")) {
        attr(fit, "format") <- 1L  # format 1 is format 2 without the slot
    }
    valid <- tryCatch(validObject(fit, complete = TRUE),
        error = function(e) conditionMessage(e))
    if (is.character(valid)) {
        .abort_damaged(fit, valid)
    }
    .check_fit_preprocessing(fit)
    .check_fit_architecture(fit)
    .check_fit_settings(fit)
    .check_fit_sequences(fit)
    .check_fit_weights(fit)
    .check_fit_outputs(fit)
    fit
}

.check_is_fit <- function(fit) {
    if (!is(fit, "ExpraeFit")) {
        .abort("fit", "Expected an exprae fit ({.cls AutoencoderFit},
            {.cls ClassifierFit} or {.cls SequenceFit}), not a
            {.cls {class(fit)}}.")
    }
}

# For the functions that only an autoencoder has an answer to.
.abort_not_autoencoder <- function(object, fn) {
    .abort("fit", c(
        "{.fn {fn}} needs an {.cls AutoencoderFit}, not a
        {.cls {class(object)[1L]}}.",
        i = "Train one with {.fn trainAutoencoder}."
    ))
}

.fit_format <- function(fit) {
    if (methods::.hasSlot(fit, "format")) fit@format else 1L
}

.check_fit_format <- function(fit) {
    format <- .fit_format(fit)
    if (!.is_count(format)) {
        .abort_damaged(fit, "its format is {.val {format}}")
    }
    if (format > .format_version) {
        .abort("fit", c(
            "This fit was saved in format {format} by exprae
            {fit@version}; this exprae
            ({utils::packageVersion('exprae')}) reads formats up to
            {(.format_version)}.",
            i = "Update exprae to use the fit."
        ))
    }
}

# `problem` is cli markup about the caller's variables.
.abort_damaged <- function(fit, problem, .envir = parent.frame()) {
    problem <- cli::format_inline(problem, .envir = .envir)
    .abort("fit", c(
        "The fit is damaged: {problem}.",
        i = "Train the model again, or read an intact copy of the fit."
    ))
}

.check_fit_preprocessing <- function(fit) {
    genes <- fit@genes
    if (length(genes) == 0L || anyNA(genes) || anyDuplicated(genes) ||
        any(genes == "")) {
        .abort_damaged(fit, "its gene names are empty, NA or repeated")
    }
    if (!all(is.finite(fit@center)) || !all(is.finite(fit@scale)) ||
        any(fit@scale <= 0)) {
        .abort_damaged(fit, "its centre or scale is not finite and
            positive for every gene")
    }
    if (isTRUE(fit@options$log1p) &&
        !isTRUE(fit@options$library_mean > 0)) {
        .abort_damaged(fit, "its mean library size is not a positive
            number")
    }
}

# The settings prediction reads from the options, against the model: the
# likelihood, the log1p input of count models (and of count classifiers,
# which keep a mean library size), one level per batch input, the class
# names and whether a sequence model has several labels per sequence.
.check_fit_settings <- function(fit) {
    model <- fit@model
    options <- fit@options
    likelihood <- .fit_likelihood(fit)
    classes <- options$classes
    ok <- (is.null(model$likelihood) ||
        identical(model$likelihood, likelihood)) &&
        (is.null(options$log1p) || isTRUE(options$log1p) ||
            isFALSE(options$log1p)) &&
        (!.is_count_model(likelihood) || isTRUE(options$log1p)) &&
        isTRUE(options$log1p) == !is.null(options$library_mean) &&
        length(options$batch_levels) == (model$n_batches %||% 0L) &&
        (is.null(classes) || is.character(classes) && !anyNA(classes) &&
            !anyDuplicated(classes) && all(nzchar(classes))) &&
        identical(isTRUE(options$multi_label), isTRUE(model$multi_label)) &&
        .training_settings_kept(options) &&
        .training_labels_fit(options$training_labels, nrow(fit@embedding),
            length(classes))
    if (!ok) {
        .abort_damaged(fit, "its settings (likelihood, count input, batch
            levels, classes, labels per sequence or training settings) are
            missing or do not match its model")
    }
}

# The training settings every fit keeps (its summary reports them).
.training_settings_kept <- function(options) {
    .is_count(options$epochs) && .is_count(options$n_threads) &&
        isTRUE(options$precision %in% c("float", "double", "tf32"))
}

# A classifier's training labels, where kept: a class code (1..k) or 0
# (unlabelled) per training sample.
.training_labels_fit <- function(codes, n, k) {
    is.null(codes) || is.numeric(codes) && length(codes) == n &&
        !anyNA(codes) && all(codes %in% 0:k)
}

# The architecture the engine will build, checked in R (the same
# constructors that built it at training time), and its settings.
.check_fit_architecture <- function(fit) {
    model <- fit@model
    parts <- list(model$encoder, model$decoder,
        model$classifier %||% list(), model$adversary %||% list())
    ok <- all(vapply(parts, .layers_as_built, logical(1))) &&
        .output_layer_fits(model$decoder,
        length(fit@genes)) &&
        .output_layer_fits(model$classifier, length(fit@options$classes)) &&
        (is.null(model$likelihood) || model$likelihood %in% .likelihoods()) &&
        (is.null(model$variational) || isTRUE(model$variational) ||
            isFALSE(model$variational)) &&
        (is.null(model$n_batches) || .is_count(model$n_batches, 0)) &&
        .adversary_fits(model) &&
        (is.null(model$dispersion) ||
            model$dispersion %in% c("gene", "gene-batch"))
    if (!ok) {
        .abort_damaged(fit, "its architecture is not one exprae builds")
    }
}

# Each layer as its constructor makes it: a setting left out would be read
# with the engine's default, which need not be the constructor's (a
# convolution's activation is "relu", the engine's "linear").
.layers_as_built <- function(layers) {
    built <- tryCatch(.check_layers(layers, "layers"),
        exprae_error = function(e) NULL)
    !is.null(built) && identical(unname(layers), built)
}

# A sequence model reads width bp, one-hot: 4 inputs a base.
.check_fit_sequences <- function(fit) {
    if (!is(fit, "SequenceFit")) {
        return(invisible(TRUE))
    }
    width <- fit@options$width
    rc <- fit@options$reverse_complement
    ok <- .is_count(width) && length(fit@genes) == 4 * width &&
        (isTRUE(rc) || isFALSE(rc))
    if (!ok) {
        .abort_damaged(fit, "its sequence width or strand setting does not
            match its inputs")
    }
}

# A batch adversary ends in one logit per batch, and its weight and the
# batch MMD's are numbers >= 0.
.adversary_fits <- function(model) {
    weight_fits <- function(w) {
        is.numeric(w) && length(w) == 1L && isTRUE(w >= 0)
    }
    .output_layer_fits(model$adversary, model$n_batches) &&
        weight_fits(model$batch_penalty %||% 0) &&
        weight_fits(model$batch_mmd %||% 0)
}

# A part's last layer is dense with `units` units (parts that are absent,
# such as a classifier's decoder, fit anything).
.output_layer_fits <- function(layers, units) {
    if (length(layers) == 0L) {
        return(TRUE)
    }
    last <- layers[[length(layers)]]
    identical(last$type, "dense") && identical(last$units, as.integer(units))
}

# What a fit keeps of its training samples is returned as it is (predict()
# and reconstructionError() without newdata, augment()): the embedding or
# class probabilities, and the training error per sample and per gene.
.check_fit_outputs <- function(fit) {
    out <- fit@embedding
    error <- fit@options$training_error
    ok <- is.numeric(out) && all(is.finite(out)) &&
        (!is(fit, "ClassifierFit") || all(out >= 0 & out <= 1)) &&
        (is.null(error) || .finite_of_length(error$per_sample, nrow(out)) &&
            .finite_of_length(error$per_gene, length(fit@genes)))
    if (!ok) {
        what <- if (is(fit, "ClassifierFit")) "class probabilities" else
            "embedding or training error"
        .abort_damaged(fit, "its training samples' {what} are not finite
            numbers of the right shape")
    }
}

.finite_of_length <- function(x, n) {
    is.numeric(x) && length(x) == n && all(is.finite(x))
}

# Every weight the architecture needs, of its shape, finite; no other.
.check_fit_weights <- function(fit) {
    # an architecture the engine refuses is a damaged one, not a setting
    # the user can change
    shapes <- tryCatch(.call_engine(.engine_weight_shapes(fit@model,
        length(fit@genes))), exprae_error = function(e) {
        .abort_damaged(fit, "the engine cannot build its architecture
            ({conditionMessage(e$parent %||% e)})")
    })
    weights <- fit@weights
    missing <- setdiff(names(shapes), names(weights))
    extra <- setdiff(names(weights), names(shapes))
    if (length(missing) > 0L || length(extra) > 0L) {
        .abort_damaged(fit, "its weights do not match its architecture
            (missing: {.val {missing}}; unexpected: {.val {extra}})")
    }
    for (name in names(shapes)) {
        w <- weights[[name]]
        if (!is.numeric(w) || !identical(dim(w), shapes[[name]])) {
            .abort_damaged(fit, "weight {.val {name}} should be a
                {shapes[[name]][1]} x {shapes[[name]][2]} numeric matrix,
                not {.cls {class(w)}} of dimension {.val {dim(w)}}")
        }
        if (!all(is.finite(w))) {
            .abort_damaged(fit, "weight {.val {name}} holds NA, NaN or
                infinite values")
        }
    }
}
