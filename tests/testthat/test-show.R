test_that("a fit prints a short summary", {
    out <- capture.output(show(test_fit))
    expect_match(out[1], "40 genes -> 2 latent components")
    expect_true(any(grepl("encoder: 40 -> 8 relu -> 2 linear", out,
        fixed = TRUE)))
    expect_true(any(grepl("decoder: 2 -> 8 relu -> 40 linear", out,
        fixed = TRUE)))
    kernels <- exprae:::.engine_info()$kernels
    expect_true(kernels %in% c("avx512", "avx2+fma", "generic"))
    expect_identical(test_fit@options$cpu_kernels, kernels)
    expect_true(any(grepl(sprintf(
        "device:  cpu (%s kernels), float precision, 1 thread", kernels),
        out, fixed = TRUE)))
    expect_output(print(test_fit), "AutoencoderFit")
    expect_match(out[length(out)], "by exprae 0.99.0 \\(fit format 2\\)")
    # the loss of the weights kept, as glance() gives it
    best <- test_fit@history[test_fit@best_epoch, ]
    expect_true(any(grepl(sprintf("loss:    %.4g at the best epoch",
        best$loss), out, fixed = TRUE)))
    expect_true(all(nchar(out) <= 80))
    # no empty line where an unsupervised fit has no classes to list
    expect_false(any(out == ""))
})

test_that("show() reports likelihood, latent, batch and denoising", {
    out <- capture.output(show(test_count_fit))
    expect_true(any(grepl("model:   zinb likelihood, log1p input", out,
        fixed = TRUE)))
    expect_true(any(grepl("variational (KL warm-up 2 epochs)", out,
        fixed = TRUE)))
    expect_true(any(grepl(
        "batch:   3 levels (b1, b2, b3), dispersion per gene and batch",
        out, fixed = TRUE)))
    expect_true(any(grepl("denoising: mask corruption, rate 0.1", out,
        fixed = TRUE)))
    plain <- capture.output(show(test_fit))
    expect_true(any(grepl("gaussian likelihood", plain)))
    expect_true(any(grepl("latent:  deterministic", plain)))
    expect_false(any(grepl("batch:|denoising:", plain)))
})
