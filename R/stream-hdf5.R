# The fast reader of a stream whose matrix is a plain HDF5 dataset (an
# HDF5Matrix with no delayed operation but names): rhdf5 reads whole
# columns straight from the file, about 2.5 times faster than
# DelayedArray::extract_array() through HDF5Array's h5mread() at the sizes
# of a training block. Rows are picked by the caller (the engine, in C++):
# picking them in HDF5 is slower than reading them. Anything else gets
# NULL and the general reader.
#
# Given a block size, every read of a whole block of a floating-point
# dataset goes into the same matrix, overwritten in place: a fresh 16 MB
# vector per block costs more than the reading itself (the OS maps it page
# by page; bench/RESULTS.md). Callers copy what they keep (StreamSource
# does; .read_block() names, subsets or transforms the block, which
# copies it).

.hdf5_reader <- function(x, block = NULL) {
    seed <- .plain_hdf5_seed(x$matrix)
    if (is.null(seed)) {
        return(NULL)
    }
    file <- rhdf5::H5Fopen(seed@filepath, flags = "H5F_ACC_RDONLY")
    dataset <- rhdf5::H5Dopen(file, seed@name)
    space <- rhdf5::H5Dget_space(dataset)
    nrow <- nrow(x$matrix)
    whole_columns <- x
    whole_columns$rows <- seq_len(nrow)
    fallback <- .delayed_reader(whole_columns)
    read <- function(cols, buffer = NULL) {
        .hdf5_read(dataset, space, nrow, x$cols[cols],
            function() fallback$read(cols), buffer)
    }
    # rhdf5 writes into a buffer in the dataset's own type: doubles only
    doubles <- DelayedArray::type(x$matrix) == "double"
    buffer <- if (!is.null(block) && doubles) {
        matrix(0, nrow, block)
    }
    all_rows <- identical(x$rows, seq_len(nrow))
    list(read = function(cols) read(cols, buffer), nrow = nrow,
        rows = if (!all_rows) x$rows,
        close = function() {
            rhdf5::H5Sclose(space)
            rhdf5::H5Dclose(dataset)
            rhdf5::H5Fclose(file)
        })
}

# The seed of an HDF5Matrix read as it is stored (dense, every delayed
# operation at most a change of names), or NULL.
.plain_hdf5_seed <- function(m) {
    if (!DelayedArray::isPristine(m, ignore.dimnames = TRUE) ||
        DelayedArray::is_sparse(m) ||
        !requireNamespace("rhdf5", quietly = TRUE)) {
        return(NULL)
    }
    seed <- DelayedArray::seed(m)
    if (!is(seed, "HDF5ArraySeed") || !is.character(seed@filepath)) {
        return(NULL)
    }
    seed
}

# Columns `cols` (sorted) in one hyperslab over their span, into `buffer`
# when they fill it. Columns spread far apart (a validation minibatch)
# would read mostly unwanted data that way; the general reader gets those.
.hdf5_read <- function(dataset, space, nrow, cols, fallback, buffer) {
    first <- cols[1L]
    span <- cols[length(cols)] - first + 1L
    if (is.unsorted(cols) || span > 16L * length(cols)) {
        return(fallback())
    }
    rhdf5::H5Sselect_hyperslab(space, start = c(1, first),
        count = c(nrow, span))
    memory <- rhdf5::H5Screate_simple(c(nrow, span))
    on.exit(rhdf5::H5Sclose(memory), add = TRUE)
    if (!is.null(buffer) && span == length(cols) && span == ncol(buffer)) {
        rhdf5::H5Dread(dataset, h5spaceFile = space, h5spaceMem = memory,
            buf = buffer)
        return(buffer)
    }
    block <- rhdf5::H5Dread(dataset, h5spaceFile = space,
        h5spaceMem = memory)
    if (span != length(cols)) {
        block <- block[, cols - first + 1L, drop = FALSE]
    }
    if (!is.double(block)) storage.mode(block) <- "double"
    block
}
