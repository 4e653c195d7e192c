#' Train a convolutional or recurrent network on DNA sequences
#'
#' Fits a network that reads DNA and predicts a class per sequence (bound
#' by a transcription factor or not, promoter or background, which of
#' several motifs), trained in exprae's C++ engine on the softmax
#' cross-entropy of the labelled sequences: no Python or TensorFlow.
#'
#' Each sequence is one-hot encoded in C++ as 4 channels (A, C, G, T) by
#' `width` positions; IUPAC codes count as equal fractions of the bases
#' they allow (`N` is 0.25 of each). Sequences longer than `width` keep
#' their central `width` bases, shorter ones are centred in zero padding
#' (a message says how many). With `reverse_complement = TRUE` (the
#' default) every sequence is also trained on as its reverse complement,
#' and predictions average both strands, so a motif counts on either
#' strand.
#'
#' The default network (`layers = NULL`) is a convolution of 64 filters of
#' width 19 with ReLU, a global max pooling (each filter's best match
#' anywhere in the sequence), dropout 0.3 and a dense layer of 32 ReLU
#' units; exprae adds the output layer (one linear unit per class). With
#' nothing after the first layer to assemble motifs from parts, each
#' filter learns a whole motif (Koo and Eddy, PLoS Comput Biol 2019),
#' which [filterMotifs()] then shows. On motifs planted in fly upstream
#' DNA (`bench/planted_motifs.R`: CTCF, GATA1 and SOX2 from JASPAR, 8,000
#' training windows) it reached a test AUROC of 0.977-0.993 for each
#' motif, a macro-F1 of 0.91-0.92 for telling the three apart from none,
#' and filters that correlate 0.99 or more with the planted matrices,
#' where a deeper stack (a second convolution after max pooling) reached
#' a macro-F1 of 0.88-0.90 in more time. For motifs that act in
#' combination or at set distances, give `layers` with more than one
#' convolution or a recurrent layer.
#'
#' The validation split is stratified by class and drawn with R's random
#' numbers, so `set.seed()` repeats a fit (for a given thread count and
#' precision); training stops early when the validation loss has not
#' improved for `patience` epochs, keeping the best weights. Ctrl-C stops
#' training and keeps the fit so far.
#'
#' @param sequences A `Biostrings::DNAStringSet`, the path of a FASTA file
#'   or a character vector of DNA (gaps, `-` and `.`, read as padding; a
#'   sequence that is empty or gaps only is an error).
#' @param labels The class of each sequence: a factor or vector, `NA` for
#'   an unlabelled sequence (left out of the loss). Or several yes/no
#'   labels per sequence (DeepSEA's many binding profiles): a logical or
#'   0/1 matrix with one row per sequence and one named column per label,
#'   `NA` where a label is unknown; each label then gets a sigmoid output
#'   and the loss is their binary cross-entropy.
#' @param layers `NULL` (the default network, see Details) or a list of
#'   layers made with [layer_conv1d()] and friends ([sequence_layers]).
#' @param width Positions every sequence is cut or padded to; `NULL` takes
#'   the longest sequence.
#' @param reverse_complement Train on both strands and average both in
#'   prediction?
#' @param class_weights `"balanced"`, `NULL` or a named vector, as for
#'   [trainClassifier()]; with several labels per sequence a named vector
#'   weighs the labels, and `"balanced"` weighs them alike.
#' @param epochs,batch_size,learning_rate,optimizer,weight_decay,momentum
#'   Training settings, as for [trainAutoencoder()].
#' @param validation_split Fraction of each class held out for early
#'   stopping, in \[0, 1).
#' @param patience,lr_decay,lr_patience,clip_norm Early stopping and
#'   learning-rate settings, as for [trainAutoencoder()].
#' @param n_threads,device,precision Where and how to compute, as for
#'   [trainAutoencoder()].
#' @param verbose Show progress?
#'
#' @return A [SequenceFit].
#' @seealso [predict()][predict.SequenceFit], [evaluateClassifier()],
#'   [filterMotifs()], [sequence_layers]
#' @examples
#' # A toy task: is the motif TGACTCA in the sequence?
#' set.seed(1)
#' random_dna <- function(n, w) vapply(seq_len(n), function(i)
#'     paste(sample(c("A", "C", "G", "T"), w, TRUE), collapse = ""), "")
#' x <- random_dna(200, 50)
#' has <- rep(c(TRUE, FALSE), 100)
#' substr(x[has], 20, 26) <- "TGACTCA"
#' fit <- trainSequenceModel(x, factor(has), epochs = 5, n_threads = 1,
#'     layers = list(layer_conv1d(8, 7), layer_global_max_pool()),
#'     verbose = FALSE)
#' fit
#' head(predict(fit, x, type = "prob"))
#' @export
trainSequenceModel <- function(sequences, labels, layers = NULL,
    width = NULL, reverse_complement = TRUE, class_weights = "balanced",
    epochs = 40, batch_size = 64, learning_rate = 1e-3, optimizer = "adam",
    weight_decay = 0, momentum = 0.9, validation_split = 0.1, patience = 5,
    lr_decay = 1, lr_patience = 3, clip_norm = 0, n_threads = 1,
    device = "auto", precision = "float", verbose = TRUE) {
    .check_required(c(sequences = missing(sequences),
        labels = missing(labels)))
    train <- .training_options(epochs, batch_size, learning_rate,
        optimizer, weight_decay, momentum, validation_split, patience,
        lr_decay, lr_patience, clip_norm, n_threads, precision)
    verbose <- .check_flag(verbose, "verbose")
    rc <- .check_flag(reverse_complement, "reverse_complement")
    device <- .resolve_device(device, train$precision, verbose)
    strings <- .sequence_strings(sequences)
    width <- .sequence_width(strings, width, verbose)
    multi <- is.matrix(labels) || is.data.frame(labels)
    labels <- if (multi) {
        .check_labels_known(.multi_labels(labels, length(strings),
            names(strings)))
    } else {
        .training_labels(labels, length(strings), names(strings),
            unit = "sequence")
    }
    model <- .sequence_model(labels$classes, layers, width, multi)
    validation <- .stratified_validation(labels$codes,
        train$validation_split)
    copies <- if (rc) 2L else 1L
    if (multi && identical(class_weights, "balanced")) class_weights <- NULL
    options <- .engine_options(train, device = device,
        labels = if (!multi) rep(labels$codes, copies),
        targets = if (multi) rep(labels$targets, copies),
        class_weights = .class_weights(class_weights, labels),
        validation = .both_strands(validation, length(strings), rc),
        seed = as.numeric(sample.int(.Machine$integer.max, 2L)))
    data <- .engine_sequences(strings, width, rc)
    result <- .run_engine(data, .sequence_prep(width), model, options,
        verbose = verbose)
    options <- .fit_options(options, list(classes = labels$classes,
        multi_label = multi, training_labels = if (!multi) labels$codes,
        width = width, reverse_complement = rc))
    .new_sequence_fit(strings, model, options, result, device, validation)
}

# The default network (see trainSequenceModel's Details), or the user's
# layers; then one linear unit per class. The input is 4 channels.
.sequence_model <- function(classes, layers, width, multi = FALSE) {
    layers <- if (is.null(layers)) {
        list(layer_conv1d(64, 19), layer_global_max_pool(),
            layer_dropout(0.3), layer_dense(32, "relu"))
    } else {
        .check_layers(layers, "layers")
    }
    model <- list(encoder = layers, decoder = list(),
        classifier = list(layer_dense(length(classes), "linear")),
        input_channels = 4L, multi_label = multi)
    .check_sequence_model(model, width)
    model
}

# The engine checks the layers against the input (a filter wider than the
# sequences, a stack that does not end in features) before training.
.check_sequence_model <- function(model, width) {
    if (length(model$encoder) == 0L) {
        .abort("argument", "{.arg layers} is empty: give at least one layer,
            or {.code NULL} for the default network.")
    }
    first <- model$encoder[[1L]]
    if (identical(first$type, "conv1d") && width < first$width) {
        .abort("argument", c(
            "The sequences ({width} bp) are shorter than the first layer's
            filters ({first$width} bp).",
            i = "Use longer sequences ({.arg width}) or narrower filters."
        ))
    }
    # only a refused setting is the layers' fault; running out of memory
    # (or a device error) keeps its own class and message
    tryCatch(.call_engine(.engine_weight_shapes(model, 4L * width)),
        exprae_error_argument = function(e) {
            .abort("argument", c(
                "These layers cannot read sequences of {width} bp.",
                i = "Check {.arg layers} and {.arg width}."
            ), parent = e)
        })
    invisible(model)
}

# The held-out sequences and, with both strands, their reverse
# complements (samples n + j).
.both_strands <- function(idx, n, rc) {
    if (is.null(idx) || !rc) idx else c(idx, idx + n)
}

# The engine's standardisation of one-hot input: none.
.sequence_prep <- function(width) {
    list(center = numeric(4L * width), scale = rep(1, 4L * width))
}

.new_sequence_fit <- function(strings, model, options, result, device,
    validation) {
    n <- length(strings)
    options$cpu_kernels <- .cpu_kernels(device)
    fit <- new("SequenceFit",
        weights = result$weights, model = model,
        genes = .one_hot_names(options$width),
        center = numeric(4L * options$width),
        scale = rep(1, 4L * options$width),
        embedding = matrix(0, n, length(options$classes),
            dimnames = list(.sequence_names(strings), options$classes)),
        sample_data = data.frame(row.names = seq_len(n)),
        history = .history_frame(result$history), options = options,
        seed = as.integer(options$seed), device = device,
        stop_reason = result$stop_reason,
        best_epoch = as.integer(result$best_epoch),
        validation = as.integer(validation %||% integer()),
        version = as.character(utils::packageVersion("exprae")),
        format = .format_version)
    fit@embedding <- .sequence_probabilities(fit, strings, options$n_threads)
    fit
}

# The sequences' names; an unnamed one goes by its number.
.sequence_names <- function(strings) {
    given <- names(strings) %||% character(length(strings))
    unnamed <- is.na(given) | given == ""
    given[unnamed] <- as.character(which(unnamed))
    given
}

# Class probabilities (sequences x classes), averaged over both strands
# when the fit was trained on both.
.sequence_probabilities <- function(fit, strings, n_threads) {
    o <- fit@options
    data <- .engine_sequences(strings, o$width, o$reverse_complement)
    logits <- .call_engine(.engine_predict(data, fit@center, fit@scale,
        fit@model, fit@weights, "logits",
        .engine_options(n_threads = n_threads)))
    probs <- if (isTRUE(o$multi_label)) {
        stats::plogis(t(logits))
    } else {
        .softmax_rows(t(logits))
    }
    n <- length(strings)
    if (isTRUE(o$reverse_complement)) {
        probs <- (probs[seq_len(n), , drop = FALSE] +
            probs[n + seq_len(n), , drop = FALSE]) / 2
    }
    dimnames(probs) <- list(.sequence_names(strings), o$classes)
    probs
}

#' Predict with a sequence model
#'
#' Class probabilities or classes of new DNA sequences, cut or padded to
#' the width the model was trained on and, for a fit trained on both
#' strands, averaged over the sequence and its reverse complement.
#'
#' @param object A [SequenceFit].
#' @param newdata Sequences as for [trainSequenceModel()]; missing: the
#'   training sequences' probabilities.
#' @param type `"class"` (a factor; with several labels per sequence a
#'   logical matrix, probability above 0.5) or `"prob"` (sequences x
#'   classes or labels).
#' @param n_threads CPU threads.
#' @param ... Not used: an unknown argument is an error of class
#'   `exprae_error_argument`.
#'
#' @return A factor of classes named by sequence, or a matrix of class
#'   probabilities.
#' @seealso [trainSequenceModel()], [evaluateClassifier()]
#' @examples
#' set.seed(1)
#' x <- vapply(1:60, function(i) paste(sample(c("A", "C", "G", "T"), 30,
#'     TRUE), collapse = ""), "")
#' fit <- trainSequenceModel(x, factor(rep(c("a", "b"), 30)), epochs = 2,
#'     layers = list(layer_conv1d(4, 5), layer_global_avg_pool()),
#'     verbose = FALSE)
#' predict(fit, x[1:3], type = "prob")
#' @export
predict.SequenceFit <- function(object, newdata, type = c("class", "prob"),
    n_threads = 1, ...) {
    type <- .match_choice(type, "type", c("class", "prob"))
    .check_no_dots(...)
    probs <- if (missing(newdata)) {
        .check_fit(object)@embedding
    } else {
        fit <- .check_fit(object)
        .sequence_probabilities(fit, .sequence_input_of(newdata),
            .check_count(n_threads, "n_threads"))
    }
    if (type == "prob") {
        return(probs)
    }
    if (isTRUE(object@options$multi_label)) probs > 0.5 else .top_class(probs)
}

# Several yes/no labels per sequence: list(targets (labels x n, by
# column, NA unknown), classes (the label names), codes (all 1: the
# validation split is drawn over every sequence alike)).
.multi_labels <- function(labels, n, samples = NULL) {
    m <- as.matrix(labels)
    if (is.logical(m)) storage.mode(m) <- "double"
    need <- "Several labels per sequence need a logical or 0/1 matrix with
        one row per sequence ({n}) and one column per label."
    if (!is.numeric(m)) {
        .abort("labels", c(need, x = "Its values are {.cls {typeof(m)}}."))
    }
    if (nrow(m) != n || ncol(m) < 1L) {
        .abort("labels", c(need,
            x = "It has {NROW(m)} row{?s} and {NCOL(m)} column{?s}."))
    }
    known <- m[!is.na(m)]
    if (length(known) == 0L || any(known < 0 | known > 1)) {
        .abort("labels", "Multi-label targets must be 0, 1 (or a
            probability between) or NA, and not all NA.")
    }
    # rows named by sequence in another order: as for one label per sample
    .check_label_order(stats::setNames(seq_len(nrow(m)), rownames(m)),
        samples, reorder = "labels[names(sequences), ]", unit = "sequence")
    classes <- colnames(m) %||% character(ncol(m))
    unnamed <- is.na(classes) | classes == ""
    classes[unnamed] <- paste0("label", which(unnamed))
    list(targets = as.vector(t(m)), classes = make.unique(classes),
        codes = rep(1L, n))
}

# The targets of .multi_labels() as a matrix, samples x labels.
.label_matrix <- function(labels) {
    matrix(labels$targets, ncol = length(labels$classes), byrow = TRUE)
}

# A label that no training sequence has a value for would never train.
.check_labels_known <- function(labels) {
    unknown <- which(colSums(!is.na(.label_matrix(labels))) == 0L)
    if (length(unknown) > 0L) {
        .abort("labels", c(
            "Every sequence's value is NA for label{?s}
            {.val {labels$classes[unknown]}}: there is nothing to train
            on.",
            i = "Drop such columns."
        ))
    }
    labels
}

# New sequences for a sequence fit; expression data are an error.
.sequence_input_of <- function(newdata) {
    if (is.matrix(newdata) || is(newdata, "SummarizedExperiment") ||
        is(newdata, "Matrix") || is(newdata, "DelayedArray")) {
        .abort("input", c(
            "A sequence model predicts from DNA sequences, not from an
            expression matrix.",
            i = "Give a DNAStringSet, a FASTA file or a character vector."
        ))
    }
    .sequence_strings(newdata)
}

#' @rdname SequenceFit
#' @param object A `SequenceFit`.
#' @export
setMethod("show", "SequenceFit", function(object) {
    cat(.fit_summary(object, .sequence_fit_lines), sep = "")
    invisible(object)
})

# What a sequence model's summary says before the training lines.
.sequence_fit_lines <- function(object) {
    o <- object@options
    c(sprintf("SequenceFit: %d bp -> %d %s", o$width, length(o$classes),
            if (isTRUE(o$multi_label)) "labels (several per sequence)"
            else "classes"),
        paste0("  classes: ", .classes_text(o$classes)),
        paste0("  network: ", .describe_layers(c(object@model$encoder,
            object@model$classifier), "one-hot DNA")),
        paste("  strands:", if (isTRUE(o$reverse_complement)) {
            "both (trained on, averaged in prediction)"
        } else "as given"),
        sprintf("  sequences: %d (%d held out for validation)",
            nrow(object@embedding), length(object@validation)))
}
