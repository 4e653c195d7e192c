# Out-of-core input. A DelayedMatrix (e.g. an HDF5 file larger than memory)
# is never realised whole: training streams its columns into the engine a
# block at a time, and the statistics of the preprocessing and prediction
# go block by block too, so memory stays bounded whatever the number of
# samples.
#
# An "exprae_stream" is the recipe: the DelayedMatrix, the rows and columns
# in use, their names and, for statistics, a transform of each block. It
# holds no open file, so it travels to BiocParallel workers, and each
# process opens its own reader. It answers dim(), dimnames() and `[`, so
# the code that checks and subsets matrices works on it unchanged.

.is_stream <- function(x) inherits(x, "exprae_stream")

# A DelayedMatrix as a stream; anything else as it is.
.stream_if_delayed <- function(x) {
    if (!is(x, "DelayedArray") || .is_stream(x)) {
        return(x)
    }
    type <- .reading_backend(DelayedArray::type(x))
    if (length(dim(x)) != 2L || !type %in% c("double", "integer")) {
        .abort_not_numeric(paste("DelayedArray of", type))
    }
    structure(list(matrix = x, rows = seq_len(nrow(x)),
        cols = seq_len(ncol(x)),
        dimnames = .reading_backend(dimnames(x)) %||% list(NULL, NULL),
        transform = NULL),
        class = "exprae_stream")
}

#' @export
dim.exprae_stream <- function(x) c(length(x$rows), length(x$cols))

#' @export
dimnames.exprae_stream <- function(x) x$dimnames

#' @export
`dimnames<-.exprae_stream` <- function(x, value) {
    x$dimnames <- value %||% list(NULL, NULL)
    x
}

#' @export
`[.exprae_stream` <- function(x, i, j, ..., drop = FALSE) {
    if (!missing(i)) {
        i <- .resolve_index(i, nrow(x), rownames(x))
        x$rows <- x$rows[i]
        x$dimnames[1L] <- list(rownames(x)[i])
    }
    if (!missing(j)) {
        j <- .resolve_index(j, ncol(x), colnames(x))
        x$cols <- x$cols[j]
        x$dimnames[2L] <- list(colnames(x)[j])
    }
    x
}

# Indices, names or a logical vector as positions in 1..n.
.resolve_index <- function(i, n, names) {
    positions <- seq_len(n)
    if (is.character(i)) names(positions) <- names
    out <- unname(positions[i])
    if (anyNA(out)) stop("subscript out of bounds", call. = FALSE)
    out
}

# Columns per block: blocks of about 16 MiB as doubles, or less where
# DelayedArray's getAutoBlockSize() asks for less, whole chunks of the file
# where it is chunked by columns, and at least `min` (a training minibatch
# then spans at most two blocks). Larger blocks are slower, not faster:
# each is a fresh allocation that the OS maps page by page (bench/).
.stream_block_size <- function(x, min = 1L) {
    bytes <- min(DelayedArray::getAutoBlockSize(), 2^24)
    block <- max(1, floor(bytes / (8 * nrow(x$matrix))))
    chunk <- DelayedArray::chunkdim(x$matrix)[2L]
    if (length(chunk) == 1L && !is.na(chunk) && chunk > 1L) {
        block <- max(chunk, block %/% chunk * chunk)
    }
    as.integer(min(max(block, min), max(ncol(x), 1L)))
}

# Calls f() on each block of columns, realised as a double matrix with the
# stream's names (and transform), and returns the list of what it gave;
# with `positions = TRUE`, f(block, cols) also gets the block's column
# positions in the stream.
.stream_blocks <- function(x, f, positions = FALSE) {
    block <- .stream_block_size(x)
    reader <- .open_reader(x, block)
    on.exit(reader$close(), add = TRUE)
    starts <- seq.int(1L, ncol(x), by = block)
    lapply(starts, function(first) {
        cols <- first:min(first + block - 1L, ncol(x))
        values <- .read_block(x, reader, cols)
        if (positions) f(values, cols) else f(values)
    })
}

# The whole stream (a chunk of columns for prediction) in memory.
.realise <- function(x) {
    if (!.is_stream(x)) {
        return(x)
    }
    reader <- .open_reader(x)
    on.exit(reader$close(), add = TRUE)
    .read_block(x, reader, seq_len(ncol(x)))
}

# Columns `cols` of the stream. Every block read is checked, so that no
# statistic and no prediction is computed from NA, NaN or Inf.
.read_block <- function(x, reader, cols) {
    block <- reader$read(cols)
    if (!is.null(reader$rows)) {
        block <- block[reader$rows, , drop = FALSE]
    }
    # The sum (blocks are doubles) is NA, NaN or infinite when a value is
    # (or when finite values overflow, which the exact check below lets
    # through); it is ten times faster than range() and allocates nothing
    # the size of the block.
    first <- if (!is.finite(sum(block))) {
        which(colSums(!is.finite(block)) > 0L)[1L]
    }
    if (length(first) && !is.na(first)) {
        sample <- colnames(x)[cols[first]] %||% cols[first]
        .abort("input", c(
            "The expression data must be finite.",
            x = "Sample {.val {sample}} holds NA, NaN or infinite values.",
            i = "Remove or impute them first."
        ))
    }
    if (!is.null(x$transform)) {
        block <- x$transform(block, cols)
    }
    dimnames(block) <- list(rownames(x), colnames(x)[cols])
    block
}

# The engine's handle on a stream: the reader and the block size; `f` gets
# it and the reader is closed afterwards. Anything else goes to `f` as it is.
.with_engine_data <- function(x, min_block, f) {
    if (!.is_stream(x)) {
        return(f(x))
    }
    block <- .stream_block_size(x, min_block)
    reader <- .open_reader(x, block)
    on.exit(reader$close(), add = TRUE)
    f(structure(list(reader = reader$read, read_rows = reader$nrow,
        rows = reader$rows, ncol = ncol(x), block_size = block),
        class = "exprae_reader"))
}

# A reader: read(cols) gives columns `cols` of the stream as a double
# matrix of `nrow` rows, of which `rows` (NULL: all) are the stream's. It
# may give the same matrix each time, overwritten (see stream-hdf5.R):
# whoever keeps a block copies it.
.open_reader <- function(x, block = NULL) {
    reader <- .reading_backend(.hdf5_reader(x, block) %||%
        .delayed_reader(x))
    read <- reader$read
    reader$read <- function(cols) .reading_backend(read(cols))
    reader
}

# `expr` reads a DelayedArray's backend (an HDF5 file, ...): its errors,
# such as a file deleted or changed after the object was made, become an
# input error that says so (the backend's message kept as the cause).
.reading_backend <- function(expr) {
    tryCatch(expr, error = function(e) {
        if (inherits(e, "exprae_error")) stop(e)
        .abort("input", c(
            "The data behind the DelayedArray cannot be read.",
            i = "Was its file (e.g. an HDF5 file) moved, changed or deleted
                after the object was made? Make the object again."
        ), parent = e)
    })
}

.delayed_reader <- function(x) {
    all_rows <- identical(x$rows, seq_len(nrow(x$matrix)))
    rows <- if (!all_rows) x$rows
    read <- function(cols) {
        block <- DelayedArray::extract_array(x$matrix,
            list(rows, x$cols[cols]))
        if (!is.double(block)) storage.mode(block) <- "double"
        dimnames(block) <- NULL
        block
    }
    list(read = read, nrow = length(x$rows), rows = NULL,
        close = function() invisible())
}
