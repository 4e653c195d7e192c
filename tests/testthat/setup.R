# One set of mock objects for all tests (scater's habit).
test_mat <- make_expression()
test_sparse <- Matrix::Matrix(test_mat, sparse = TRUE)
stopifnot(is(test_sparse, "dgCMatrix"))
test_se <- make_se(test_mat)
test_sce <- methods::as(test_se, "SingleCellExperiment")
test_fit <- withr::with_seed(1, fast_fit(test_se))
test_counts <- make_counts()
test_count_se <- make_count_se(test_counts)
# A variational ZINB model with batches, gene-batch dispersion and
# denoising: every new part of the model at once.
test_count_fit <- withr::with_seed(2, fast_fit(test_count_se,
    likelihood = "zinb", variational = TRUE, batch = "batch",
    dispersion = "gene-batch", corruption = "mask", kl_warmup = 2))
