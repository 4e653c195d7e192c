#' Layers for custom autoencoder architectures
#'
#' These constructors describe the layers of a custom encoder or decoder,
#' given to [trainAutoencoder()] as `encoder = list(...)` and
#' `decoder = list(...)`. They hold plain R lists, so a model can be
#' written, stored and inspected without the engine.
#'
#' The `encoder` lists the hidden layers only: exprae appends the latent
#' layer, `layer_dense(ncomponents, "linear")`. Likewise the `decoder`
#' lists the hidden layers, and exprae appends the output layer, a linear
#' dense layer with one unit per gene. With `decoder = NULL` the decoder
#' mirrors the encoder: each dense layer and the layers that follow it
#' (normalisation, dropout) form a block, and the blocks come in reverse
#' order. Layers before the first dense layer of the encoder (e.g. an input
#' dropout for a denoising autoencoder) are not mirrored.
#'
#' @param units Number of output units, a whole number >= 1.
#' @param activation Activation function, one of `"relu"`, `"leaky_relu"`,
#'   `"elu"`, `"tanh"`, `"sigmoid"`, `"softplus"` or `"linear"`.
#' @param rate Fraction of units dropped during training, in \[0, 1).
#'
#' @return A layer: a list with element `type` and the layer's settings.
#' @seealso [trainAutoencoder()]
#' @name layers
#' @examples
#' encoder <- list(
#'     layer_dense(128, "elu"),
#'     layer_batch_norm(),
#'     layer_dropout(0.1),
#'     layer_dense(32, "elu")
#' )
#' str(encoder[[1]])
#'
#' se <- exampleALL()
#' fit <- trainAutoencoder(se, encoder = encoder, ncomponents = 2,
#'     epochs = 5, verbose = FALSE)
#' fit
NULL

# The activations, likelihoods and layer kinds the engine knows: each is
# registered once there, and R asks for the list.
.engine_known <- function(what) .engine_names()[[what]]

#' @rdname layers
#' @export
layer_dense <- function(units, activation = "linear") {
    list(
        type = "dense",
        units = .check_count(units, "units"),
        activation = .check_choice(activation, "activation",
            .engine_known("activation"))
    )
}

#' @rdname layers
#' @export
layer_dropout <- function(rate) {
    rate <- .check_number(rate, "rate", 0, 1, open = "upper")
    list(type = "dropout", rate = rate)
}

#' @rdname layers
#' @export
layer_batch_norm <- function() {
    list(type = "batchnorm")
}

#' @rdname layers
#' @export
layer_layer_norm <- function() {
    list(type = "layernorm")
}

#' Layers for sequence models
#'
#' These constructors describe the layers of a network on DNA sequences,
#' given to [trainSequenceModel()] as `layers = list(...)`. A sequence is
#' read as a one-hot matrix of 4 channels (A, C, G, T) by positions;
#' convolution, pooling and recurrent layers keep the positions, and the
#' stack must end with a layer that gives features per sequence (a global
#' pooling, [layer_flatten()] or a recurrent layer without
#' `return_sequences`), after which [layer_dense()], [layer_dropout()] and
#' the norms apply as usual. Dense, dropout and norm layers may also sit
#' between sequence layers, where they act at every position.
#'
#' @param filters Number of filters (output channels), a whole number >= 1.
#' @param width Filter width (convolution) or window (pooling) in
#'   positions.
#' @param activation Activation of the convolution, as for
#'   [layer_dense()].
#' @param stride Step between windows; pooling's default is `width`
#'   (windows side by side).
#' @param padding `"same"` (zeros around the sequence so that a stride of
#'   1 keeps its length) or `"valid"` (no padding).
#' @param dilation Spacing between a filter's taps.
#' @param units Hidden units of a recurrent layer.
#' @param bidirectional Also read the sequence backwards, stacking both
#'   directions' states (`2 * units` features)?
#' @param return_sequences Give the state at every position (for another
#'   recurrent or convolution layer) instead of the last one?
#'
#' @return A layer: a list with element `type` and the layer's settings.
#' @seealso [trainSequenceModel()], [layer_dense()]
#' @name sequence_layers
#' @examples
#' layers <- list(
#'     layer_conv1d(32, 15),
#'     layer_max_pool1d(4),
#'     layer_gru(16),
#'     layer_dense(16, "relu")
#' )
#' str(layers[[1]])
NULL

#' @rdname sequence_layers
#' @export
layer_conv1d <- function(filters, width, activation = "relu", stride = 1,
    padding = c("same", "valid"), dilation = 1) {
    list(
        type = "conv1d",
        units = .check_count(filters, "filters"),
        width = .check_count(width, "width"),
        activation = .check_choice(activation, "activation",
            .engine_known("activation")),
        stride = .check_count(stride, "stride"),
        padding = .match_choice(padding, "padding", c("same", "valid")),
        dilation = .check_count(dilation, "dilation")
    )
}

#' @rdname sequence_layers
#' @export
layer_max_pool1d <- function(width = 2, stride = width) {
    .pool_layer("maxpool1d", width, stride)
}

#' @rdname sequence_layers
#' @export
layer_avg_pool1d <- function(width = 2, stride = width) {
    .pool_layer("avgpool1d", width, stride)
}

.pool_layer <- function(type, width, stride) {
    list(type = type, width = .check_count(width, "width"),
        stride = .check_count(stride, "stride"))
}

#' @rdname sequence_layers
#' @export
layer_global_max_pool <- function() list(type = "globalmaxpool")

#' @rdname sequence_layers
#' @export
layer_global_avg_pool <- function() list(type = "globalavgpool")

#' @rdname sequence_layers
#' @export
layer_flatten <- function() list(type = "flatten")

#' @rdname sequence_layers
#' @export
layer_gru <- function(units, bidirectional = FALSE, return_sequences = FALSE) {
    .recurrent_layer("gru", units, bidirectional, return_sequences)
}

#' @rdname sequence_layers
#' @export
layer_lstm <- function(units, bidirectional = FALSE,
    return_sequences = FALSE) {
    .recurrent_layer("lstm", units, bidirectional, return_sequences)
}

.recurrent_layer <- function(type, units, bidirectional, return_sequences) {
    list(type = type, units = .check_count(units, "units"),
        bidirectional = .check_flag(bidirectional, "bidirectional"),
        return_sequences = .check_flag(return_sequences, "return_sequences"))
}

# The model the engine takes: list(encoder = <layers>, decoder = <layers>),
# the latent and output layers appended.
.build_model <- function(nfeatures, ncomponents, hidden, activation,
    dropout, encoder = NULL, decoder = NULL) {
    encoder <- if (is.null(encoder)) {
        .hidden_layers(hidden, activation, dropout)
    } else {
        .check_layers(encoder, "encoder")
    }
    decoder <- if (is.null(decoder)) {
        .mirror_layers(encoder)
    } else {
        .check_layers(decoder, "decoder")
    }
    list(
        encoder = c(encoder, list(layer_dense(ncomponents, "linear"))),
        decoder = c(decoder, list(layer_dense(nfeatures, "linear")))
    )
}

.hidden_layers <- function(hidden, activation, dropout) {
    blocks <- lapply(hidden, function(units) {
        block <- list(layer_dense(units, activation))
        if (dropout > 0) {
            block <- c(block, list(layer_dropout(dropout)))
        }
        block
    })
    unlist(blocks, recursive = FALSE, use.names = FALSE) %||% list()
}

.mirror_layers <- function(encoder) {
    is_dense <- vapply(encoder, function(l) l$type == "dense", logical(1))
    block <- cumsum(is_dense)
    mirrored <- encoder[block > 0L]
    blocks <- split(mirrored, block[block > 0L])
    unlist(rev(blocks), recursive = FALSE, use.names = FALSE) %||% list()
}

# Each layer rebuilt through its constructor, so that a hand-written list
# is checked and normalised (e.g. units stored as integer) like the rest.
.check_layers <- function(layers, arg) {
    if (!is.list(layers) || !is.null(layers$type)) {
        .abort("argument", c(
            "{.arg {arg}} must be a list of layers, e.g.
            {.code list(layer_dense(64, \"relu\"))}.",
            x = if (is.list(layers) && !is.null(layers$type)) "It is a
                single layer: wrap it in {.code list()}." else "It is a
                {.cls {class(layers)}}."
        ))
    }
    lapply(seq_along(layers), function(i) {
        where <- sprintf("%s[[%d]]", arg, i)
        tryCatch(.rebuild_layer(layers[[i]], where),
            exprae_error = function(e) {
                .abort("argument", "{.arg {where}} is not a valid layer.",
                    parent = e)
            })
    })
}

.rebuild_layer <- function(layer, where) {
    type <- if (is.list(layer)) layer$type else NULL
    if (!is.character(type) || length(type) != 1L) {
        .abort("argument", "Each layer must be a list with a {.field type}.")
    }
    known <- .engine_known("layer")
    switch(type,
        dense = layer_dense(layer$units, layer$activation %||% "linear"),
        dropout = layer_dropout(layer$rate),
        batchnorm = layer_batch_norm(),
        layernorm = layer_layer_norm(),
        conv1d = layer_conv1d(layer$units, layer$width,
            layer$activation %||% "relu", layer$stride %||% 1,
            layer$padding %||% "same", layer$dilation %||% 1),
        maxpool1d = layer_max_pool1d(layer$width, layer$stride %||%
            layer$width),
        avgpool1d = layer_avg_pool1d(layer$width, layer$stride %||%
            layer$width),
        globalmaxpool = layer_global_max_pool(),
        globalavgpool = layer_global_avg_pool(),
        flatten = layer_flatten(),
        gru = layer_gru(layer$units, layer$bidirectional %||% FALSE,
            layer$return_sequences %||% FALSE),
        lstm = layer_lstm(layer$units, layer$bidirectional %||% FALSE,
            layer$return_sequences %||% FALSE),
        .abort("argument", c(
            "Unknown layer type {.val {type}}.",
            i = "Known: {.val {known}}."
        ))
    )
}

# "2000 -> 256 relu -> dropout 0.1 -> 10 linear": one line per part.
.describe_layers <- function(layers, ninput) {
    steps <- vapply(layers, function(l) {
        switch(l$type,
            dense = paste(l$units, l$activation),
            dropout = paste("dropout", format(l$rate)),
            conv1d = sprintf("conv %d x %d %s", l$units, l$width,
                l$activation),
            maxpool1d = paste("max pool", l$width),
            avgpool1d = paste("avg pool", l$width),
            globalmaxpool = "global max pool",
            globalavgpool = "global avg pool",
            gru = , lstm = paste0(if (isTRUE(l$bidirectional)) "bi",
                toupper(l$type), " ", l$units),
            l$type
        )
    }, character(1))
    paste(c(ninput, steps), collapse = " -> ")
}

`%||%` <- function(x, y) if (is.null(x)) y else x
