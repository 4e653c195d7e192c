# Out-of-core input: real HDF5 files (HDF5Array), a DelayedArray backend
# that records its reads, and the same answers as data in memory.

skip_if_not_installed("HDF5Array")

# An HDF5Matrix of `m` in a temporary file, chunked by `chunk` columns.
local_hdf5 <- function(m, chunk = 4L, env = parent.frame()) {
    path <- withr::local_tempfile(fileext = ".h5", .local_envir = env)
    HDF5Array::writeHDF5Array(m, path, "x",
        chunkdim = c(nrow(m), min(chunk, ncol(m))), with.dimnames = TRUE)
}

# Blocks of `columns` columns for a matrix of `rows` rows, for this test.
local_block_columns <- function(columns, rows, env = parent.frame()) {
    old <- DelayedArray::getAutoBlockSize()
    suppressMessages(DelayedArray::setAutoBlockSize(columns * rows * 8))
    withr::defer(suppressMessages(DelayedArray::setAutoBlockSize(old)),
        envir = env)
}

# A DelayedArray backend that records the columns of every read.
setClass("RecordingSeed", slots = c(m = "matrix", log = "environment"),
    where = environment())
setMethod("dim", "RecordingSeed", function(x) dim(x@m),
    where = environment())
setMethod("dimnames", "RecordingSeed", function(x) dimnames(x@m),
    where = environment())
setMethod(DelayedArray::extract_array, "RecordingSeed", function(x, index) {
    cols <- index[[2L]] %||% seq_len(ncol(x@m))
    x@log$reads <- c(x@log$reads, length(cols))
    x@m[index[[1L]] %||% seq_len(nrow(x@m)), cols, drop = FALSE]
}, where = environment())
recording <- function(m) {
    log <- new.env()
    list(x = DelayedArray::DelayedArray(new("RecordingSeed", m = m,
        log = log)), log = log)
}
`%||%` <- function(a, b) if (is.null(a)) b else a

test_that("a DelayedMatrix is streamed in blocks, never read whole", {
    rec <- recording(test_mat)
    local_block_columns(8, nrow(test_mat))
    fit <- withr::with_seed(3, fast_fit(rec$x, batch_size = 8))
    expect_gt(length(rec$log$reads), 6)
    expect_lte(max(rec$log$reads), 8)
    reference <- withr::with_seed(3, fast_fit(test_mat, batch_size = 8))
    expect_identical(fit@genes, reference@genes)
    expect_equal(fit@center, reference@center, tolerance = 1e-12)
    expect_equal(fit@scale, reference@scale, tolerance = 1e-12)
    expect_equal(predict(fit, test_mat), fit@embedding, tolerance = 1e-6)
    expect_equal(reconstructionError(fit)$nll,
        reconstructionError(fit, test_mat)$nll, tolerance = 1e-8)
})

test_that("statistics over blocks match those in memory", {
    stream <- .stream_if_delayed(DelayedArray::DelayedArray(test_mat * 1e4))
    local_block_columns(5, nrow(test_mat))
    expect_equal(.row_moments(stream), .row_moments(test_mat * 1e4),
        tolerance = 1e-12)
    expect_equal(.col_sums(stream), unname(colSums(test_mat * 1e4)))
    expect_equal(.row_sums(stream), unname(rowSums(test_mat * 1e4)))
    top <- .top_genes(stream, 7)
    expect_s3_class(top, "exprae_stream")
    expect_identical(rownames(top), rownames(.top_genes(test_mat, 7)))
})

test_that("one block gives the same fit as the matrix in memory", {
    h5 <- local_hdf5(test_mat)
    expect_false(is.null(.hdf5_reader(.stream_if_delayed(h5))))
    a <- withr::with_seed(5, fast_fit(h5, ntop = 20))
    b <- withr::with_seed(5, fast_fit(test_mat, ntop = 20))
    expect_identical(a@genes, b@genes)
    expect_equal(a@embedding, b@embedding, tolerance = 1e-6)
    expect_equal(trainingHistory(a)$loss, trainingHistory(b)$loss,
        tolerance = 1e-6)
})

test_that("HDF5 data train and predict like data in memory, in blocks", {
    h5 <- local_hdf5(test_mat)
    local_block_columns(8, nrow(test_mat))
    fit <- withr::with_seed(5, fast_fit(h5, ntop = 20, subset_row = 2:40,
        batch_size = 8, epochs = 5))
    ref <- withr::with_seed(5, fast_fit(test_mat, ntop = 20,
        subset_row = 2:40, batch_size = 8))
    expect_identical(fit@genes, ref@genes)
    expect_equal(fit@center, ref@center, tolerance = 1e-12)
    expect_true(all(is.finite(trainingHistory(fit)$loss)))
    # the rows picked from whole columns by the engine are the right ones
    expect_equal(predict(fit, h5), predict(fit, test_mat), tolerance = 1e-6)
    rec <- predict(fit, h5, type = "reconstruction")
    expect_s4_class(rec, "DelayedMatrix")
    expect_equal(as.matrix(rec), predict(fit, test_mat,
        type = "reconstruction"), tolerance = 1e-6)
    expect_equal(reconstructionError(fit, h5, by = "gene"),
        reconstructionError(fit, test_mat, by = "gene"), tolerance = 1e-8)
    # the file deleted after the object was made: an input error
    unlink(HDF5Array::path(h5))
    expect_error(predict(fit, h5), "cannot be read",
        class = "exprae_error_input")
    expect_error(fast_fit(h5), "cannot be read",
        class = "exprae_error_input")
})

test_that("the fast reader's reused buffer trains as fresh blocks do", {
    # the same blocks in the same order, read into one buffer overwritten
    # block after block (HDF5) or as fresh matrices (general reader)
    h5 <- local_hdf5(test_mat)
    local_block_columns(8, nrow(test_mat))
    expect_false(is.null(.hdf5_reader(.stream_if_delayed(h5), 8L)))
    a <- withr::with_seed(9, fast_fit(h5, batch_size = 8, epochs = 4))
    b <- withr::with_seed(9, fast_fit(DelayedArray::DelayedArray(test_mat),
        batch_size = 8, epochs = 4))
    expect_identical(trainingHistory(a)$loss, trainingHistory(b)$loss)
    expect_identical(a@weights, b@weights)
})

test_that("blocks of an integer HDF5 dataset are checked without overflow", {
    # they come back as doubles: values whose integer sum would pass
    # .Machine$integer.max read silently, and an NA is still found
    big <- matrix(c(2e8L, 3e8L), 6, 8,
        dimnames = list(paste0("g", 1:6), paste0("s", 1:8)))
    stream <- .stream_if_delayed(local_hdf5(big))
    reader <- .open_reader(stream)
    block <- expect_silent(.read_block(stream, reader, 1:8))
    expect_equal(block, big)
    reader$close()
    big[3, 5] <- NA
    stream <- .stream_if_delayed(local_hdf5(big))
    reader <- .open_reader(stream)
    on.exit(reader$close())
    expect_error(.read_block(stream, reader, 1:8), "s5",
        class = "exprae_error_input")
})

test_that("an HDF5 assay of a SummarizedExperiment takes the fast reader", {
    se <- test_se
    SummarizedExperiment::assay(se, "logcounts") <- local_hdf5(test_mat)
    x <- .pick_matrix(se, "logcounts")
    expect_false(is.null(.hdf5_reader(.stream_if_delayed(x))))
    fit <- withr::with_seed(1, fast_fit(se))
    expect_equal(fit@embedding, test_fit@embedding, tolerance = 1e-6)
    expect_identical(as.data.frame(fit)$group, test_se$group)
})

test_that("reconstructions can go to an on-disk realization backend", {
    h5 <- local_hdf5(test_mat)
    old <- DelayedArray::getAutoRealizationBackend()
    DelayedArray::setAutoRealizationBackend("HDF5Array")
    withr::defer(DelayedArray::setAutoRealizationBackend(old))
    local_block_columns(8, nrow(test_mat))
    rec <- predict(test_fit, h5, type = "reconstruction")
    expect_s4_class(DelayedArray::seed(rec), "HDF5ArraySeed")
    expect_equal(as.matrix(rec), predict(test_fit, test_mat,
        type = "reconstruction"), tolerance = 1e-6)
})

test_that("count models stream from HDF5 with the same preprocessing", {
    h5 <- local_hdf5(test_counts, chunk = 5L)
    local_block_columns(10, nrow(test_counts))
    a <- withr::with_seed(4, fast_fit(h5, likelihood = "nb", ntop = 30,
        batch_size = 10))
    b <- withr::with_seed(4, fast_fit(test_counts, likelihood = "nb",
        ntop = 30, batch_size = 10))
    expect_identical(a@genes, b@genes)
    expect_equal(a@scale, b@scale, tolerance = 1e-12)
    expect_equal(a@options$library_mean, b@options$library_mean)
    expect_equal(as.matrix(predict(a, h5, type = "expression")),
        predict(a, test_counts, type = "expression"), tolerance = 1e-6)
    bad <- test_counts
    bad[2, 7] <- 0.5
    expect_error(fast_fit(local_hdf5(bad), likelihood = "nb"),
        class = "exprae_error_counts")
})

test_that("sparse DelayedArrays stream through the general reader", {
    delayed <- DelayedArray::DelayedArray(test_sparse)
    expect_null(.hdf5_reader(.stream_if_delayed(delayed)))
    a <- withr::with_seed(7, fast_fit(delayed))
    b <- withr::with_seed(7, fast_fit(test_sparse))
    expect_equal(a@embedding, b@embedding, tolerance = 1e-5)
})

test_that("bad values in a stream are classed errors naming the sample", {
    bad <- test_mat
    bad[3, 17] <- NaN
    h5 <- local_hdf5(bad)
    err <- expect_error(fast_fit(h5), class = "exprae_error_input")
    expect_match(conditionMessage(err), "s17")
    expect_error(predict(test_fit, h5), "s17", class = "exprae_error_input")
    logical <- DelayedArray::DelayedArray(test_mat > 1)
    expect_error(fast_fit(logical), "logical", class = "exprae_error_input")
    expect_error(fast_fit(local_hdf5(test_mat[, 1, drop = FALSE])),
        "2 samples", class = "exprae_error_input")
})

test_that("BiocParallel workers predict the same, errors keep their class", {
    skip_on_cran()  # starts two R processes
    h5 <- local_hdf5(test_mat)
    local_block_columns(8, nrow(test_mat))
    workers <- BiocParallel::SnowParam(2)
    expect_equal(predict(test_fit, h5, BPPARAM = workers),
        predict(test_fit, test_mat), tolerance = 1e-12)
    expect_equal(predict(test_fit, test_mat, type = "reconstruction",
        BPPARAM = workers), predict(test_fit, test_mat,
        type = "reconstruction"), tolerance = 1e-12)
    bad <- test_mat
    bad[1, 20] <- Inf
    expect_error(predict(test_fit, local_hdf5(bad), BPPARAM = workers),
        "s20", class = "exprae_error_input")
})

test_that("a bad BPPARAM is a classed error", {
    for (bad in list(2, "SnowParam", list())) {
        expect_error(predict(test_fit, test_mat, BPPARAM = bad), "BPPARAM",
            class = "exprae_error_argument")
    }
})

test_that("a classifier's genes from an HDF5 file are those of the matrix", {
    # blocks of 3 columns, labels of three unbalanced classes in no
    # pattern of 3, so that a block's labels taken from the wrong
    # columns would rank other genes
    local_block_columns(3, nrow(test_mat))
    group <- rep(c("a", "b", "c"), c(11, 8, 5))[c(5, 12, 1, 20, 2, 13, 3,
        21, 14, 4, 6, 15, 22, 7, 16, 8, 23, 9, 17, 10, 24, 18, 11, 19)]
    genes <- function(x, ...) {
        withr::with_seed(3, trainClassifier(x, labels = group, ntop = 10,
            hidden = 4, epochs = 1, n_threads = 1, verbose = FALSE,
            ...))@genes
    }
    expect_identical(genes(local_hdf5(test_mat, chunk = 3L)),
        genes(test_mat))
    counts <- round(2^test_mat)
    expect_identical(genes(local_hdf5(counts, chunk = 3L), counts = TRUE),
        genes(counts, counts = TRUE))
})

test_that("sampled latent values do not depend on how the data are chunked", {
    h5 <- local_hdf5(test_counts, chunk = 3L)
    local_block_columns(3L, nrow(test_counts))
    batch <- test_count_se$batch
    set.seed(5)
    whole <- predict(test_count_fit, test_counts, batch = batch,
        sample = TRUE)
    set.seed(5)
    chunked <- predict(test_count_fit, h5, batch = batch, sample = TRUE)
    expect_equal(chunked, whole, tolerance = 1e-6)
    expect_false(isTRUE(all.equal(whole, predict(test_count_fit,
        test_counts, batch = batch))))
})
