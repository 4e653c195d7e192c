# GPU tests run only where this build has CUDA and a GPU can be used.
skip_if_no_cuda <- function() {
    cuda <- cudaAvailable()
    if (!isTRUE(cuda)) {
        testthat::skip(paste("no CUDA GPU:", attr(cuda, "reason")))
    }
}

# Whether this installation was built with CUDA (a GPU or not).
built_with_cuda <- function() isTRUE(exprae:::.engine_cuda_info()$built)
