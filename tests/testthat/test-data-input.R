test_that("every input type gives the same fit", {
    reference <- withr::with_seed(7, fast_fit(test_mat))
    inputs <- list(
        sparse = test_sparse,
        integer = {
            m <- round(test_mat)
            storage.mode(m) <- "integer"
            m
        },
        se = test_se,
        sce = test_sce
    )
    for (name in names(inputs)) {
        fit <- withr::with_seed(7, fast_fit(inputs[[name]]))
        expect_s4_class(fit, "AutoencoderFit")
        expect_identical(fit@genes, rownames(test_mat), label = name)
        expect_identical(rownames(fit@embedding), colnames(test_mat))
        if (name %in% c("sparse", "se", "sce")) {
            expect_equal(fit@embedding, reference@embedding,
                tolerance = 1e-4, label = name)
        }
    }
})

test_that("a DelayedMatrix is streamed, never realised", {
    skip_if_not_installed("DelayedArray")
    reference <- withr::with_seed(7, fast_fit(test_mat))
    for (seed in list(test_mat, test_sparse)) {
        delayed <- DelayedArray::DelayedArray(seed)
        expect_s3_class(.training_matrix(delayed), "exprae_stream")
        fit <- withr::with_seed(7, fast_fit(delayed))
        expect_equal(fit@embedding, reference@embedding, tolerance = 1e-4)
    }
})

test_that("other Matrix classes are converted", {
    expect_s4_class(.training_matrix(methods::as(test_sparse, "TsparseMatrix")),
        "dgCMatrix")
    dense <- Matrix::Matrix(test_mat, sparse = FALSE)
    expect_true(is.matrix(.training_matrix(dense)))
})

test_that("bad data are classed input errors", {
    with_value <- function(value) {
        m <- test_mat
        m[3, 5] <- value
        m
    }
    chr <- test_mat
    storage.mode(chr) <- "character"
    bad <- list(
        na = with_value(NA), nan = with_value(NaN), inf = with_value(Inf),
        minus_inf = with_value(-Inf), sparse_na = {
            s <- test_sparse
            s@x[1] <- NA
            s
        },
        no_genes = test_mat[0, ], no_samples = test_mat[, 0],
        one_sample = test_mat[, 1, drop = FALSE],
        character = chr, logical = test_mat > 1,
        data_frame = as.data.frame(test_mat), vector = test_mat[, 1],
        list = list(test_mat), duplicated = test_mat[c(1, 1, 2), ]
    )
    for (name in names(bad)) {
        expect_error(fast_fit(bad[[name]]), class = "exprae_error_input",
            label = name)
    }
    expect_error(fast_fit(with_value(NA)), "NA, NaN or infinite")
    expect_error(fast_fit(test_mat[, 1, drop = FALSE]), "2 samples")
})

test_that("data in which no gene varies are classed input errors", {
    named <- function(m) {
        dimnames(m) <- list(paste0("g", seq_len(nrow(m))),
            paste0("s", seq_len(ncol(m))))
        m
    }
    constant <- named(matrix(3, 10, 6))
    zeros <- named(matrix(0, 10, 6))
    # each gene constant at its own value, some of them not exact in binary
    rows <- named(matrix(c(0.1, 1 / 3, 1e8 + 0.1, -7), 4, 6))
    bad <- list(
        constant = constant, zeros = zeros, rows = rows,
        sparse_zeros = methods::as(methods::as(zeros, "CsparseMatrix"),
            "generalMatrix"),
        se = SummarizedExperiment::SummarizedExperiment(
            assays = list(logcounts = constant)),
        sce = SingleCellExperiment::SingleCellExperiment(
            assays = list(logcounts = rows))
    )
    expect_s4_class(bad$sparse_zeros, "dgCMatrix")
    for (name in names(bad)) {
        expect_error(fast_fit(bad[[name]], epochs = 1),
            class = "exprae_error_input", label = name)
    }
    err <- expect_error(fast_fit(constant, ntop = 5),
        class = "exprae_error_input")
    expect_match(conditionMessage(err), "No gene varies")
    expect_match(conditionMessage(err), "assay.type")
    # count models compare log1p(counts / size factor)
    expect_error(fast_fit(named(matrix(5, 10, 6)), likelihood = "poisson"),
        "log1p", class = "exprae_error_input")
    # one gene divided by its own library size is constant
    expect_error(fast_fit(named(matrix(1:60, 10, 6)), likelihood = "poisson",
        ntop = 1), class = "exprae_error_input")
    expect_error(trainClassifier(constant, labels = rep(c("a", "b"), 3),
        hidden = 8, epochs = 1, n_threads = 1, verbose = FALSE),
        class = "exprae_error_input")
    skip_if_not_installed("DelayedArray")
    expect_error(fast_fit(DelayedArray::DelayedArray(constant)),
        class = "exprae_error_input")
})

test_that("data in small units vary; an empty gene name is refused", {
    # a spread of 1e-9 is no rounding error of a mean of 1e-9
    expect_s4_class(fast_fit(test_mat * 1e-9, epochs = 1), "AutoencoderFit")
    # but noise of 1e-16 around 0 beside genes of order 1 is rounding: the
    # gene is constant, so not scaled up to a full input
    noisy <- test_mat
    noisy[5, ] <- withr::with_seed(3, stats::rnorm(ncol(noisy), sd = 1e-16))
    fit <- fast_fit(noisy, epochs = 1, scale = TRUE)
    expect_identical(fit@scale[fit@genes == "g5"], 1)
    m <- test_mat
    rownames(m)[3] <- ""
    expect_error(fast_fit(m, epochs = 1), "must not be empty",
        class = "exprae_error_input")
    expect_error(fast_fit(m, subset_row = c("", "g2"), epochs = 1),
        "must not be empty", class = "exprae_error_input")
    kept <- fast_fit(m, subset_row = rownames(m)[-3], epochs = 1)
    expect_false("" %in% kept@genes)
})

test_that("one gene that varies is enough to train", {
    m <- matrix(3, 10, 6, dimnames = list(paste0("g", 1:10), NULL))
    m[4, ] <- c(1, 2, 3, 4, 5, 6)
    fit <- fast_fit(m, scale = TRUE, epochs = 1)
    expect_s4_class(fit, "AutoencoderFit")
    expect_equal(fit@scale, replace(rep(1, 10), 4, stats::sd(1:6)))
    expect_identical(fast_fit(m, ntop = 1, epochs = 1)@genes, "g4")
    counts <- m
    counts[4, ] <- c(0, 10, 0, 10, 0, 10)
    expect_s4_class(fast_fit(counts, likelihood = "poisson", scale = TRUE,
        epochs = 1), "AutoencoderFit")
})

test_that("a wrong assay name lists the available assays", {
    err <- expect_error(fast_fit(test_se, assay.type = "tpm"),
        class = "exprae_error_assay")
    expect_match(conditionMessage(err), "tpm")
    expect_match(conditionMessage(err), "logcounts")
    expect_match(conditionMessage(err), "counts")
    expect_error(fast_fit(test_se, assay.type = 3),
        class = "exprae_error_assay")
    fit <- fast_fit(test_se, assay.type = 2)
    expect_identical(fit@options$assay.type, "counts")  # kept by name
})

test_that("unnamed data get gene and sample names", {
    m <- unname(test_mat)
    fit <- fast_fit(m)
    expect_identical(fit@genes, paste0("gene", seq_len(nrow(m))))
    expect_identical(rownames(fit@embedding),
        paste0("sample", seq_len(ncol(m))))
    expect_equal(predict(fit, m), fit@embedding, tolerance = 1e-5)
})

test_that("ntop keeps the most variable genes in their order", {
    vars <- apply(test_mat, 1, stats::var)
    top <- rownames(test_mat)[sort(order(vars, decreasing = TRUE)[1:10])]
    expect_identical(fast_fit(test_mat, ntop = 10)@genes, top)
    expect_identical(fast_fit(test_sparse, ntop = 10)@genes, top)
    expect_length(fast_fit(test_mat, ntop = NULL)@genes, nrow(test_mat))
    expect_length(fast_fit(test_mat, ntop = Inf)@genes, nrow(test_mat))
    expect_length(fast_fit(test_mat, ntop = 1000)@genes, nrow(test_mat))
    for (bad in list(0, -5, 2.5, "10", NA)) {
        expect_error(fast_fit(test_mat, ntop = bad), "ntop",
            class = "exprae_error_argument")
    }
})

test_that("subset_row takes names, indices and logicals", {
    genes <- c("g5", "g2", "g9")
    expect_identical(fast_fit(test_mat, subset_row = genes)@genes, genes)
    expect_identical(fast_fit(test_mat, subset_row = c(5, 2, 9))@genes,
        genes)
    keep <- rownames(test_mat) %in% genes
    expect_identical(fast_fit(test_se, subset_row = keep)@genes,
        rownames(test_mat)[keep])
    first20 <- fast_fit(test_mat, subset_row = 1:20, ntop = 5)
    expect_identical(first20@genes,
        rownames(.top_genes(test_mat[1:20, ], 5)))
    err <- expect_error(fast_fit(test_mat, subset_row = c("g1", "nope")),
        class = "exprae_error_genes")
    expect_match(conditionMessage(err), "nope")
    for (bad in list(c(TRUE, FALSE), c(0, 1), 41, list("g1"), c(1, NA))) {
        expect_error(fast_fit(test_mat, subset_row = bad), "subset_row",
            class = "exprae_error_argument")
    }
    expect_error(fast_fit(test_mat, subset_row = character()),
        class = "exprae_error_input")
})

test_that("row moments agree between dense and sparse", {
    dense <- .row_moments(test_mat)
    sparse <- .row_moments(test_sparse)
    expect_equal(dense$mean, unname(rowMeans(test_mat)))
    expect_equal(dense$var, unname(apply(test_mat, 1, stats::var)))
    expect_equal(sparse, dense)
})

test_that("sparse and dense data give the same centre, scale and genes", {
    withr::local_seed(2)
    m <- rbind(matrix(stats::rpois(20 * 30, 2), 20,
        dimnames = list(paste0("g", 1:20), NULL)),
        constant = rep(0.1, 30), offset = 1e8 + stats::rnorm(30, sd = 0.1))
    dense <- .preprocessing(m, scale = TRUE)
    sparse <- .preprocessing(as(m, "CsparseMatrix"), scale = TRUE)
    expect_equal(sparse, dense, tolerance = 1e-8)
    expect_equal(dense$scale[21], 1)
    expect_equal(rownames(.top_genes(as(m, "CsparseMatrix"), 5)),
        rownames(.top_genes(m, 5)))
    # genes of equal variance but for rounding: the same one, the first
    tied <- c(1, 3, 3 + 4e-15, 2)
    expect_identical(.top_rows(tied, 2), 2:3)
    expect_identical(.top_rows(rev(tied), 2), 2:3)
    expect_identical(.top_rows(c(1, 3 + 4e-15, 3, 2), 1), 2L)
    expect_identical(.top_rows(c(1, 3, 3 + 4e-15, 2), 1), 2L)
})

test_that("counts beyond the integer range are argument errors", {
    for (arg in c("batch_size", "epochs", "n_threads", "ncomponents")) {
        args <- list(test_mat, verbose = FALSE)
        args[[arg]] <- 3e9
        expect_error(do.call(trainAutoencoder, args), arg,
            class = "exprae_error_argument")
    }
})

test_that("dimred without a SingleCellExperiment is a classed error", {
    expect_error(fast_fit(test_se, dimred = "PCA"), "dimred",
        class = "exprae_error_argument")
    sce <- SingleCellExperiment::SingleCellExperiment(
        list(logcounts = test_mat))
    SingleCellExperiment::reducedDim(sce, "PCA") <-
        prcomp(t(test_mat))$x[, 1:4]
    expect_error(fast_fit(sce, dimred = "PCA", assay.type = "logcounts"),
        "not both", class = "exprae_error_argument")
    fit <- fast_fit(sce, dimred = "PCA", ncomponents = 2)
    expect_error(predict(fit, sce, assay.type = "logcounts"),
        "does not apply", class = "exprae_error_argument")
    expect_error(predict(fit, sce, assay.type = "logcounts", dimred = "PCA"),
        "not both", class = "exprae_error_argument")
    expect_identical(dim(predict(fit, sce)), c(ncol(sce), 2L))
})

test_that("unnamed assays and a broken sparse matrix are explained", {
    se <- SummarizedExperiment::SummarizedExperiment(list(test_mat))
    expect_error(fast_fit(se), "as a number", class = "exprae_error_assay")
    expect_s4_class(fast_fit(se, assay.type = 1), "AutoencoderFit")
    broken <- methods::as(test_mat, "CsparseMatrix")
    broken@i[1] <- nrow(test_mat) + 5L  # a row beyond the matrix
    expect_error(fast_fit(broken), "not valid", class = "exprae_error_input")
    fit <- fast_fit(test_mat)
    expect_error(predict(fit, broken), "not valid",
        class = "exprae_error_input")
})

test_that("repeated genes in subset_row and overflowing values are named", {
    expect_error(fast_fit(test_mat, subset_row = c("g1", "g1", "g5")),
        "more than once", class = "exprae_error_argument")
    expect_error(fast_fit(test_mat, subset_row = c(1, 1, 5)),
        "g1", class = "exprae_error_argument")
    # not "no gene varies": the variance is Inf, not 0
    expect_error(fast_fit(test_mat * 1e200), "too large",
        class = "exprae_error_input")
})
