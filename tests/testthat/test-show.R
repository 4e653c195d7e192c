test_that("a fit prints a short summary", {
    out <- capture.output(show(test_fit))
    expect_match(out[1], "40 genes -> 2 latent components")
    expect_true(any(grepl("encoder: 40 -> 8 relu -> 2 linear", out,
        fixed = TRUE)))
    expect_true(any(grepl("decoder: 2 -> 8 relu -> 40 linear", out,
        fixed = TRUE)))
    expect_true(any(grepl("device:  cpu, float precision, 1 thread", out,
        fixed = TRUE)))
    expect_output(print(test_fit), "AutoencoderFit")
})
