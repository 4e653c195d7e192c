# The training settings every fit passes to the engine, checked, and the
# defaults that follow the data's size: epochs and the validation split
# for autoencoders, the validation split and patience for classifiers;
# the architecture and gene count checks that autoencoders and
# classifiers share; the one builder of the engine's options and what a
# fit keeps of them.

# The user's training settings, validated (the seed is added later).
.training_options <- function(epochs, batch_size, learning_rate, optimizer,
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
            c("float", "double", "tf32"))
    )
}

# Below a thousand (labelled) samples, holding a share out to decide when
# to stop costs more than it saves: train on all of them, stopping when
# the training loss stops improving. For classifiers (bench/classify.R,
# ALL and HSMMSingleCell) a 20% split lowered the macro-F1 by 0.04-0.11;
# for linear autoencoders (bench/quality.R) no variant with a 10% split
# met the 5-NN bar on ALL, HSMM and bladderbatch at once (HSMM's range
# over seeds up to 0.092); on all samples every range was within 0.05.
.default_validation_split <- function(n) {
    if (n < 1000L) 0 else 0.1
}

# .training_options() (all arguments named) with the autoencoder's
# defaults for `n` samples: a NULL `validation_split` or `epochs` is
# chosen by .default_validation_split() or .default_epochs(); values the
# user gave are kept.
.autoencoder_training_options <- function(n, epochs, validation_split,
    ...) {
    validation_split <- validation_split %||% .default_validation_split(n)
    # a NULL `epochs` is chosen once the batch size is checked
    train <- .training_options(epochs = epochs %||% 1L,
        validation_split = validation_split, ...)
    if (is.null(epochs)) {
        train$epochs <- .default_epochs(n, train$batch_size,
            train$validation_split)
    }
    train
}

# Enough epochs for about 1000 optimizer steps, between 100 and 300: a
# small data set takes one step per epoch, and 100 steps left the weights
# far from converged (bench/quality.R, see ?trainAutoencoder); a large
# one keeps 100 epochs.
.default_epochs <- function(n, batch_size, validation_split) {
    steps <- .steps_per_epoch(n, batch_size, validation_split)
    as.integer(min(300, max(100, ceiling(1000 / steps))))
}

# Optimizer steps in an epoch of `n` samples less the validation split,
# at least 1.
.steps_per_epoch <- function(n, batch_size, validation_split) {
    max(1, ceiling(ceiling(n * (1 - validation_split)) / batch_size))
}

# .training_options() (all arguments named) with the classifier's defaults
# for `n` samples, `n_labelled` of them labelled: a NULL
# `validation_split` is chosen by .default_validation_split(), a NULL
# `patience` by .default_patience().
.classifier_training_options <- function(n, n_labelled, patience,
    validation_split, ...) {
    validation_split <- validation_split %||%
        .default_validation_split(n_labelled)
    # a NULL `patience` is chosen once the batch size is checked
    train <- .training_options(patience = patience %||% 0L,
        validation_split = validation_split, ...)
    if (is.null(patience)) {
        train$patience <- .default_patience(n, train$batch_size,
            train$validation_split)
    }
    train
}

# 15 epochs, or as many as make 100 optimizer steps when an epoch has
# fewer than 7. Without a validation split the training loss decides, and
# under input masking and dropout the loss of an epoch of a few
# minibatches is noisy: on the tests' 30 samples of counts (2 steps per
# epoch, the default network) a patience of 15 kept the weights of epochs
# 7-79 and fitted 73-100% of the training samples over 10 seeds; 50 kept
# those of epochs 58-100 and fitted all of them.
.default_patience <- function(n, batch_size, validation_split) {
    steps <- .steps_per_epoch(n, batch_size, validation_split)
    as.integer(max(15, ceiling(100 / steps)))
}

# What a fit keeps of its training options: the engine's, less those that
# only fed training (the labels, the validation samples), and the fit's
# own settings in the lists of `...`, which win where both name one
# (log1p: two copies would let an edit of one go unnoticed).
.fit_options <- function(engine, ...) {
    kept <- c(engine[setdiff(names(engine), c("labels", "validation"))],
        ...)
    kept[!duplicated(names(kept), fromLast = TRUE)]
}

# The one builder of the options that cross to the engine: `base` (a
# list) and `...`, each named after a field of the engine's table
# (src/engine/train/engine_options.cpp, listed by .engine_option_kinds());
# NULL keeps the engine's default. The engine reads them once.
.engine_options <- function(base = list(), ...) {
    options <- c(base, list(...))
    unknown <- setdiff(names(options), names(.engine_option_kinds()))
    if (length(unknown) > 0L) {
        .abort("engine", "Unknown engine option{?s} {.val {unknown}}.")
    }
    options[!vapply(options, is.null, logical(1))]
}

# The network's shape, checked: `ncomponents` latent units (a classifier
# passes 1: its output layer follows the classes), whole `hidden`
# widths, an activation the engine knows and a dropout rate in [0, 1).
.check_architecture <- function(ncomponents, hidden, activation, dropout) {
    hidden <- hidden %||% integer()
    if (!is.numeric(hidden) || anyNA(hidden) || any(!is.finite(hidden)) ||
        any(hidden < 1 | hidden != round(hidden) |
            hidden > .Machine$integer.max)) {
        .abort("argument", "{.arg hidden} must hold whole numbers from 1 to
            {(.Machine$integer.max)}, not {.val {hidden}}.")
    }
    list(
        ncomponents = .check_count(ncomponents, "ncomponents"),
        hidden = as.integer(hidden),
        activation = .check_choice(activation, "activation",
            .engine_known("activation")),
        dropout = .check_number(dropout, "dropout", 0, 1, open = "upper")
    )
}

# NULL (every gene) for a NULL or infinite `ntop`, else a whole count.
.check_ntop <- function(ntop) {
    if (is.null(ntop) || identical(as.numeric(ntop), Inf)) {
        return(NULL)
    }
    .check_count(ntop, "ntop")
}
