# Runs the testthat suite against the installed package and prints one line
# "R tests: N passed, N failed, N skipped" (counting test_that() blocks)
# that .ci/run adds up. Exits non-zero when a test fails or errors.
library(testthat)
library(exprae)
options(warn = 1)
# Not CRAN: run the tests that skip_on_cran() keeps off CRAN machines.
Sys.setenv(NOT_CRAN = "true")
results <- as.data.frame(test_dir("tests/testthat", package = "exprae",
    load_package = "installed", reporter = "summary",
    stop_on_failure = FALSE))
bad <- results$failed > 0 | results$error
skipped <- results$skipped & !bad
cat(sprintf("R tests: %d passed, %d failed, %d skipped\n",
    sum(!bad & !skipped), sum(bad), sum(skipped)))
if (any(bad)) quit(status = 1)
