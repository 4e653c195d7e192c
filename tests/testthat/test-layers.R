test_that("layer constructors build plain lists", {
    expect_identical(layer_dense(16, "relu"),
        list(type = "dense", units = 16L, activation = "relu"))
    expect_identical(layer_dense(4)$activation, "linear")
    expect_identical(layer_dropout(0.2), list(type = "dropout", rate = 0.2))
    expect_identical(layer_batch_norm(), list(type = "batchnorm"))
    expect_identical(layer_layer_norm(), list(type = "layernorm"))
})

test_that("layer constructors reject bad values", {
    expect_error(layer_dense(0), "units", class = "exprae_error_argument")
    expect_error(layer_dense(3.5), "units", class = "exprae_error_argument")
    expect_error(layer_dense(8, "swish"), "activation",
        class = "exprae_error_argument")
    expect_error(layer_dropout(1), "rate", class = "exprae_error_argument")
    expect_error(layer_dropout(-0.1), "rate",
        class = "exprae_error_argument")
})

test_that("the default model is hidden layers, mirrored", {
    model <- .build_model(100, 3, c(32, 8), "elu", 0.1)
    types <- function(layers) vapply(layers, `[[`, "", "type")
    units <- function(layers) {
        unlist(lapply(layers, `[[`, "units"))
    }
    expect_identical(types(model$encoder),
        c("dense", "dropout", "dense", "dropout", "dense"))
    expect_identical(units(model$encoder), c(32L, 8L, 3L))
    expect_identical(units(model$decoder), c(8L, 32L, 100L))
    expect_identical(model$encoder[[5]]$activation, "linear")
    expect_identical(model$decoder[[5]]$activation, "linear")
    linear <- .build_model(100, 3, integer(), "relu", 0)
    expect_length(linear$encoder, 1)
    expect_length(linear$decoder, 1)
})

test_that("a custom encoder is mirrored block by block", {
    encoder <- list(layer_dropout(0.1), layer_dense(32, "relu"),
        layer_batch_norm(), layer_dense(8, "tanh"), layer_layer_norm())
    model <- .build_model(50, 2, NULL, "relu", 0, encoder = encoder)
    expect_identical(model$encoder[1:5], encoder)
    expect_identical(model$decoder[1:4], list(layer_dense(8, "tanh"),
        layer_layer_norm(), layer_dense(32, "relu"), layer_batch_norm()))
    expect_identical(model$decoder[[5]], layer_dense(50))
    decoder <- list(layer_dense(16, "relu"))
    custom <- .build_model(50, 2, NULL, "relu", 0, encoder, decoder)
    expect_identical(custom$decoder, list(layer_dense(16, "relu"),
        layer_dense(50)))
})

test_that("hand-written layers are checked and normalised", {
    model <- .build_model(10, 2, NULL, "relu", 0,
        encoder = list(list(type = "dense", units = 4)))
    expect_identical(model$encoder[[1]], layer_dense(4L, "linear"))
    bad <- list(
        not_list = "dense", one_layer = layer_dense(4),
        no_type = list(list(units = 4)),
        unknown = list(layer_dense(4), list(type = "conv")),
        bad_units = list(list(type = "dense", units = -1))
    )
    for (name in names(bad)) {
        expect_error(.build_model(10, 2, NULL, "relu", 0, bad[[name]]),
            "encoder", class = "exprae_error_argument", label = name)
    }
    err <- expect_error(.build_model(10, 2, NULL, "relu", 0,
        list(layer_dense(4), list(type = "conv"))))
    expect_match(conditionMessage(err), "encoder[[2]]", fixed = TRUE)
})

test_that("custom architectures train and describe themselves", {
    encoder <- list(layer_dense(8, "elu"), layer_batch_norm(),
        layer_dropout(0.1), layer_dense(4, "elu"), layer_layer_norm())
    fit <- fast_fit(test_mat, encoder = encoder)
    expect_s4_class(fit, "AutoencoderFit")
    expect_true(all(c("encoder.2.gamma", "encoder.2.running_var",
        "encoder.5.beta") %in% names(fit@weights)))
    expect_identical(dim(fit@weights[["encoder.1.weight"]]), c(8L, 40L))
    expect_identical(.describe_layers(fit@model$encoder, 40),
        paste("40 -> 8 elu -> batchnorm -> dropout 0.1 -> 4 elu",
            "-> layernorm -> 2 linear"))
})
