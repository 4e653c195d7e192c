test_that("cudaAvailable() says yes, or no and why", {
    cuda <- cudaAvailable()
    expect_type(cuda, "logical")
    expect_length(cuda, 1L)
    if (!isTRUE(cuda)) {
        reason <- attr(cuda, "reason")
        expect_type(reason, "character")
        # a CPU-only build and a CUDA build without a GPU say different
        # things
        expect_match(reason, if (built_with_cuda()) "no usable CUDA GPU"
            else "without CUDA")
    }
})

test_that("cudaDevices() lists the GPUs as a data frame", {
    devices <- cudaDevices()
    expect_s3_class(devices, "data.frame")
    expect_named(devices, c("device", "name", "memory_gb",
        "compute_capability", "multiprocessors", "driver_version",
        "runtime_version"))
    expect_identical(nrow(devices) > 0L, isTRUE(cudaAvailable()))
    if (nrow(devices) > 0L) {
        expect_identical(devices$device[1], "cuda:0")
        expect_true(all(devices$memory_gb > 0))
        expect_match(devices$compute_capability, "^[0-9]+\\.[0-9]$")
    }
})

test_that("devices resolve to the CPU or a GPU, or fail clearly", {
    expect_identical(.resolve_device("cpu"), "cpu")
    expect_identical(.resolve_device("auto", "double"), "cpu")
    for (bad in list("gpu", "cuda:", NA_character_, 1, c("cpu", "auto"))) {
        expect_error(.resolve_device(bad), "device",
            class = "exprae_error_argument")
    }
    expect_error(.resolve_device("cuda:99"), class = "exprae_error_device")
    if (isTRUE(cudaAvailable())) {
        expect_identical(.resolve_device("auto"), "cuda:0")
        expect_identical(.resolve_device("cuda"), "cuda:0")
        expect_error(.resolve_device("cuda", "double"), "double",
            class = "exprae_error_argument")
    } else {
        expect_identical(.resolve_device("auto"), "cpu")
        expect_error(.resolve_device("cuda"), "CUDA",
            class = "exprae_error_device")
        expect_error(.resolve_device("cuda:0"), class = "exprae_error_device")
    }
})

test_that("device = 'auto' falls back to the CPU with a message", {
    skip_if(isTRUE(cudaAvailable()), "a GPU is there")
    if (built_with_cuda()) {
        expect_message(.resolve_device("auto", verbose = TRUE),
            "CPU", class = "exprae_message_device")
    } else {
        expect_silent(.resolve_device("auto", verbose = TRUE))
    }
    expect_silent(.resolve_device("auto", verbose = FALSE))
})

test_that("trainAutoencoder() records the device and refuses a missing GPU", {
    expect_identical(test_fit@device, "cpu")
    if (!isTRUE(cudaAvailable())) {
        expect_error(fast_fit(test_mat, device = "cuda"),
            class = "exprae_error_device")
    }
    expect_error(fast_fit(test_mat, precision = "half"), "precision",
        class = "exprae_error_argument")
})

test_that("precision = 'tf32' trains in float on the CPU", {
    set.seed(3)
    a <- fast_fit(test_mat, precision = "tf32", device = "cpu")
    set.seed(3)
    b <- fast_fit(test_mat, precision = "float", device = "cpu")
    expect_identical(a@embedding, b@embedding)
})

test_that("a GPU fit matches a CPU fit and predicts on the CPU", {
    skip_if_no_cuda()
    set.seed(5)
    gpu <- fast_fit(test_mat, device = "cuda", epochs = 5)
    set.seed(5)
    cpu <- fast_fit(test_mat, device = "cpu", epochs = 5)
    expect_identical(gpu@device, "cuda:0")
    expect_equal(gpu@history$loss, cpu@history$loss, tolerance = 1e-3)
    expect_equal(gpu@embedding, cpu@embedding, tolerance = 1e-3)
    # plain R weights: prediction runs on the CPU for both fits
    expect_equal(predict(gpu, test_mat), gpu@embedding, tolerance = 1e-5)
    tf32 <- fast_fit(test_mat, device = "cuda", precision = "tf32")
    expect_true(all(is.finite(tf32@history$loss)))
})

test_that("an engine out of memory is a classed error", {
    # A real one: a model of 2^59 weights asks the host for 4 EiB, which
    # the engine's allocator refuses with its OutOfMemory exception.
    huge <- list(encoder = list(layer_dense(2^30)),
        decoder = list(layer_dense(2^28)))
    err <- expect_error(.call_engine(.engine_weight_shapes(huge, 2^28)),
        class = "exprae_error_out_of_memory")
    expect_s3_class(err, "exprae_error_device")
    expect_s3_class(err, "exprae_error_engine")
    expect_match(conditionMessage(err), "out of host memory")
    # What a GPU's says (tests/engine checks that a GPU says it), classed by
    # the C++ type Rcpp gives the condition, not by the text.
    gpu <- structure(class = c("exprae::OutOfMemory", "C++Error", "error",
        "condition"), list(message = "CUDA out of memory on device 0: asked
        for 4096.0 MiB, 100.0 MiB free of 81559.0 MiB", call = NULL))
    err <- expect_error(.call_engine(stop(gpu)),
        class = "exprae_error_out_of_memory")
    expect_match(conditionMessage(err), "batch_size")
})
