library(testthat)
library(exprae)

test_check("exprae")
