test_that("cudaAvailable() says no and why", {
    cuda <- cudaAvailable()
    expect_false(cuda)
    expect_type(attr(cuda, "reason"), "character")
})

test_that("devices resolve to the CPU or fail clearly", {
    expect_identical(.resolve_device("auto"), "cpu")
    expect_identical(.resolve_device("cpu"), "cpu")
    expect_error(.resolve_device("cuda"), "CUDA",
        class = "exprae_error_device")
    expect_error(.resolve_device("cuda:1"), class = "exprae_error_device")
    for (bad in list("gpu", "cuda:", NA_character_, 1, c("cpu", "auto"))) {
        expect_error(.resolve_device(bad), "device",
            class = "exprae_error_argument")
    }
})

test_that("trainAutoencoder() records the device", {
    expect_identical(test_fit@device, "cpu")
    expect_error(fast_fit(test_mat, device = "cuda"),
        class = "exprae_error_device")
})
