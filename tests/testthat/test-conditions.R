test_that("errors carry the kind and the package class", {
    err <- expect_error(.abort("input", "bad {.val {1}}"),
        class = "exprae_error_input")
    expect_s3_class(err, "exprae_error")
    expect_match(conditionMessage(err), "bad")
    expect_warning(.warn("interrupted", "stop"),
        class = "exprae_warning_interrupted")
})

test_that("argument checks name the argument and the value", {
    expect_identical(.check_count(3, "n"), 3L)
    expect_identical(.check_count(0, "n", min = 0), 0L)
    for (bad in list(0, -1, 1.5, NA, NULL, "3", c(1, 2), Inf)) {
        expect_error(.check_count(bad, "epochs"), "epochs",
            class = "exprae_error_argument")
    }
    expect_identical(.check_number(0.5, "rate", 0, 1), 0.5)
    expect_error(.check_number(1, "rate", 0, 1, open = "upper"),
        "rate", class = "exprae_error_argument")
    expect_error(.check_number(0, "lr", 0, open = "lower"), "lr",
        class = "exprae_error_argument")
    expect_error(.check_number(NaN, "lr"), class = "exprae_error_argument")
    expect_identical(.check_choice("a", "opt", c("a", "b")), "a")
    expect_error(.check_choice("c", "opt", c("a", "b")), "opt",
        class = "exprae_error_argument")
    expect_error(.check_flag(NA, "scale"), "scale",
        class = "exprae_error_argument")
})

test_that("a misspelt training argument is named, with what was meant", {
    err <- expect_error(fast_fit(test_mat, hiden = 4),
        class = "exprae_error_argument")
    expect_match(conditionMessage(err), "hiden")
    expect_match(conditionMessage(err), "Did you mean .*hidden")
    expect_error(trainClassifier(test_mat, test_se$group, epochs = 1,
        verbose = FALSE, claswe = NULL), "claswe",
        class = "exprae_error_argument")
    expect_error(fast_fit(test_se, hiden = 4), "hiden",
        class = "exprae_error_argument")
    expect_identical(.closest_names(c("hiden", "zzzzzz"),
        c("hidden", "x", "...")), "hidden")
    # nothing for a short name, and never the name given itself
    expect_identical(.closest_names("bs", c("x", "hidden")), character())
    expect_identical(.closest_names("dimred", "dimred"), character())
    expect_error(fast_fit(test_mat, assay.type = "logcounts"),
        "applies to a SummarizedExperiment", class = "exprae_error_argument")
    expect_error(fast_fit(test_mat, dimred = "PCA"),
        "applies to a SingleCellExperiment", class = "exprae_error_argument")
    expect_error(fast_fit(test_mat, known = 1), "Unknown argument",
        class = "exprae_error_argument")
})

test_that("engine errors become exprae_error_engine", {
    err <- expect_error(.call_engine(stop("exprae engine: bad {shape}")),
        class = "exprae_error_engine")
    expect_match(conditionMessage(err), "bad {shape}", fixed = TRUE)
    expect_identical(.call_engine(1 + 1), 2)
    expect_error(.call_engine(.abort("input", "x")),
        class = "exprae_error_input")
})

test_that("engine exceptions are classed by their C++ type", {
    model <- list(encoder = list(layer_dense(2)),
        decoder = list(layer_dense(3)))
    weights <- .engine_weight_shapes(model, 3L)
    expect_named(weights, c("encoder.1.weight", "encoder.1.bias",
        "decoder.1.weight", "decoder.1.bias"))
    # BadArgument: a layer kind the engine does not know
    bad <- list(encoder = list(list(type = "conv")), decoder = model$decoder)
    err <- expect_error(.call_engine(.engine_weight_shapes(bad, 3L)),
        class = "exprae_error_argument")
    expect_s3_class(err, "exprae_error_engine")
    expect_match(conditionMessage(err), "unknown layer type 'conv'")
    expect_s3_class(err$parent, "exprae::BadArgument")
    # BadInput: a batch level that is NA
    w <- lapply(weights, function(d) matrix(0.1, d[1], d[2]))
    x <- matrix(1, 3, 2)
    err <- expect_error(.call_engine(.engine_predict(x, rep(0, 3),
        rep(1, 3), model, w, "latent", list(batch = c(1L, NA)))),
        class = "exprae_error_input")
    expect_match(conditionMessage(err), "holds NA")
    # BadArgument: an option of the wrong kind, named
    err <- expect_error(.call_engine(.engine_predict(x, rep(0, 3),
        rep(1, 3), model, w, "latent", list(n_threads = "two"))),
        class = "exprae_error_argument")
    expect_match(conditionMessage(err), "'n_threads' must be a whole number")
    # DeviceError: a GPU where none can be used
    skip_if(isTRUE(.engine_cuda_info()$available))
    err <- expect_error(.call_engine(.engine_fit(x, rep(0, 3), rep(1, 3),
        model, .engine_options(epochs = 1L, device = "cuda:0",
            seed = c(1, 2)), NULL, NULL)),
        class = "exprae_error_device")
    expect_match(conditionMessage(err), "CUDA")
})

test_that("one builder makes the engine's options from its own table", {
    kinds <- .engine_option_kinds()
    expect_true(all(c("epochs", "seed", "device", "batch") %in%
        names(kinds)))
    expect_identical(kinds$seed, "numbers")
    opts <- .engine_options(list(epochs = 3L), n_threads = 1L, batch = NULL)
    expect_identical(opts, list(epochs = 3L, n_threads = 1L))
    expect_error(.engine_options(epochs = 3L, bogus = 1),
        class = "exprae_error_engine")
    err <- expect_error(.call_engine(.engine_predict(matrix(1, 3, 2),
        rep(0, 3), rep(1, 3), list(encoder = list(layer_dense(2)),
            decoder = list(layer_dense(3))), list(), "latent",
        list(bogus = 1))), class = "exprae_error_argument")
    expect_match(conditionMessage(err), "unknown engine option 'bogus'")
})

test_that("the engine names its activations, likelihoods and layers", {
    known <- .engine_names()
    expect_setequal(known$activation, c("relu", "leaky_relu", "elu",
        "tanh", "sigmoid", "softplus", "linear"))
    # trainAutoencoder()'s documented choices, in the engine's order
    expect_identical(known$likelihood, eval(formals(
        .train_autoencoder)$likelihood))
    expect_setequal(known$layer, c("dense", "dropout", "batchnorm",
        "layernorm", "conv1d", "maxpool1d", "avgpool1d", "globalmaxpool",
        "globalavgpool", "flatten", "gru", "lstm"))
    # each has a constructor that .check_layers() rebuilds it with
    for (type in known$layer) {
        layer <- list(type = type, units = 2L, width = 2L, rate = 0.1,
            activation = "relu")
        expect_identical(.rebuild_layer(layer, "x")$type, type)
    }
})
