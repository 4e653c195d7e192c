# One set of mock objects for all tests (scater's habit).
test_mat <- make_expression()
test_sparse <- Matrix::Matrix(test_mat, sparse = TRUE)
stopifnot(is(test_sparse, "dgCMatrix"))
test_se <- make_se(test_mat)
test_sce <- methods::as(test_se, "SingleCellExperiment")
test_fit <- withr::with_seed(1, fast_fit(test_se))
