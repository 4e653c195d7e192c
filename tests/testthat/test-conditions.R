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

test_that("engine errors become exprae_error_engine", {
    err <- expect_error(.call_engine(stop("exprae engine: bad {shape}")),
        class = "exprae_error_engine")
    expect_match(conditionMessage(err), "bad {shape}", fixed = TRUE)
    expect_identical(.call_engine(1 + 1), 2)
    expect_error(.call_engine(.abort("input", "x")),
        class = "exprae_error_input")
})
