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
            x = "It is a {.cls {class(layers)}}."
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
            l$type
        )
    }, character(1))
    paste(c(ninput, steps), collapse = " -> ")
}

`%||%` <- function(x, y) if (is.null(x)) y else x
