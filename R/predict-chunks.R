# Prediction chunk by chunk: the samples are cut into chunks of columns
# (a stream's blocks, or one chunk per BiocParallel worker for data in
# memory), each chunk is read, checked and passed through the network on
# its own, and the pieces are put together. With a BPPARAM of several
# workers the chunks run there: a stream chunk is read by the worker from
# the file, so a cluster backend spreads reading as well as computing.
# Matrix outputs of a stream go to a RealizationSink as they come, so
# memory stays bounded (with an on-disk realization backend).

# net: what prediction needs of a model (see .fit_net()); input: from
# .prediction_input(); outputs: "latent", "reconstruction", "expression",
# "logits" or "nll". Returns a list with one element per output.
.predict_columns <- function(net, input, outputs, n_threads = 1L,
    BPPARAM = BiocParallel::SerialParam(), per_unit = FALSE) {
    BPPARAM <- .check_bpparam(BPPARAM)
    if (!BiocParallel::bpisup(BPPARAM)) {
        BiocParallel::bpstart(BPPARAM)
        on.exit(BiocParallel::bpstop(BPPARAM), add = TRUE)
    }
    workers <- BiocParallel::bpnworkers(BPPARAM)
    chunks <- .column_chunks(input$x, workers)
    sinks <- lapply(stats::setNames(nm = outputs), .output_sink,
        x = input$x, net = net, chunks = chunks)
    # One chunk per worker at a time: a stream's chunks all at once would
    # hold every chunk's result twice (and matrix outputs of a stream
    # would not fit in memory); data in memory make one chunk per worker.
    for (first in seq.int(1L, length(chunks), by = workers)) {
        ids <- first:min(first + workers - 1L, length(chunks))
        parts <- BiocParallel::bplapply(lapply(ids, .chunk, input = input,
            chunks = chunks), .predict_chunk, net = net, outputs = outputs,
            n_threads = n_threads, per_unit = per_unit, BPPARAM = BPPARAM)
        for (k in seq_along(ids)) {
            # classed errors come back as values, see .predict_chunk()
            if (inherits(parts[[k]], "condition")) stop(parts[[k]])
            for (type in outputs) sinks[[type]]$add(ids[k], parts[[k]][[type]])
        }
    }
    lapply(sinks, function(sink) sink$result())
}

.matrix_outputs <- c("reconstruction", "expression")

.check_bpparam <- function(BPPARAM) {
    if (!is(BPPARAM, "BiocParallelParam")) {
        .abort("argument", c(
            "{.arg BPPARAM} must be a BiocParallel parameter object, e.g.
            {.code BiocParallel::SerialParam()} or
            {.code BiocParallel::SnowParam(2)}.",
            x = "It is a {.cls {class(BPPARAM)}}."
        ))
    }
    BPPARAM
}

# Column indices of each chunk: a stream's blocks; data in memory in one
# chunk per worker.
.column_chunks <- function(x, workers) {
    n <- ncol(x)
    size <- if (.is_stream(x)) .stream_block_size(x) else ceiling(n / workers)
    unname(split(seq_len(n), ceiling(seq_len(n) / size)))
}

# Chunk k: its columns of the data and of each per-sample covariate.
.chunk <- function(k, input, chunks) {
    cols <- chunks[[k]]
    whole <- length(chunks) == 1L
    list(x = if (whole) input$x else input$x[, cols, drop = FALSE],
        batch = input$batch[cols], size_factors = input$size_factors[cols],
        transform_batch = input$transform_batch %||% 0L, seed = input$seed,
        first = cols[1L] - 1L)
}

# One chunk through the network, in the main process or a worker. Classed
# errors (bad values in the chunk) are returned rather than thrown, so that
# they reach the user with their class instead of as BiocParallel's
# remote error.
.predict_chunk <- function(chunk, net, outputs, n_threads, per_unit) {
    tryCatch({
        # checked already: data in memory whole, a stream's blocks as read
        x <- .realise(chunk$x)
        sf <- chunk$size_factors
        if (isTRUE(net$log1p)) {
            .check_counts(x, net$likelihood)
            sf <- sf %||% (.library_sizes(x) / net$library_mean)
        }
        options <- .predict_options(n_threads, sf, chunk$batch,
            chunk$transform_batch, log1p = net$log1p)
        if (!is.null(chunk$seed)) {
            # one seed for all chunks; each sample's draw is fixed by its
            # position in the whole data, however they are chunked
            options[c("sample", "seed", "first_sample")] <- list(TRUE,
                chunk$seed, as.integer(chunk$first))
        }
        lapply(stats::setNames(nm = outputs), function(type) {
            out <- .engine_output(x, net, type, options)
            # a count model's mean for the sample's size factor, per unit
            if (type == "expression" && per_unit && isTRUE(net$log1p)) {
                out <- sweep(out, 2L, sf, "/")
            }
            out
        })
    }, exprae_error = function(e) e)
}

# Where the chunks' results of one output go, and what they make at the
# end: list(add = function(k, value), result = function()).
.output_sink <- function(type, x, net, chunks) {
    if (type == "nll") {
        return(.nll_sink(length(chunks), ncol(x)))
    }
    if (type %in% .matrix_outputs && .is_stream(x)) {
        return(.realization_sink(x, chunks))
    }
    .matrix_sink(type, x, chunks)
}

# The chunks' rows (latent: samples x components) or columns (genes x
# samples) filled into one matrix, allocated when the first chunk comes
# (so binding them does not hold the result twice). The matrix is taken
# out of `state` while a chunk goes in: assigning into `state$out[...]`
# copies the whole matrix every time (a second per chunk for a million
# samples), a matrix with one reference is filled in place.
.matrix_sink <- function(type, x, chunks) {
    state <- new.env()
    by_row <- type %in% c("latent", "logits")
    first_matrix <- function(value) {
        if (by_row) {
            matrix(NA_real_, ncol(x), ncol(value),
                dimnames = list(colnames(x), colnames(value)))
        } else {
            matrix(NA_real_, nrow(value), ncol(x),
                dimnames = list(rownames(value), colnames(x)))
        }
    }
    list(
        add = function(k, value) {
            out <- state$out %||% first_matrix(value)
            state$out <- NULL
            if (by_row) {
                out[chunks[[k]], ] <- value
            } else {
                out[, chunks[[k]]] <- value
            }
            state$out <- out
        },
        result = function() state$out
    )
}

# Per-sample errors side by side; per-gene errors averaged over all
# samples (each chunk's are averaged over its own).
.nll_sink <- function(n_chunks, n_samples) {
    state <- new.env()
    state$per_sample <- vector("list", n_chunks)
    state$per_gene <- 0
    list(
        add = function(k, value) {
            state$per_sample[[k]] <- value$per_sample
            state$per_gene <- state$per_gene +
                value$per_gene * length(value$per_sample)
        },
        result = function() {
            list(per_sample = unlist(state$per_sample),
                per_gene = state$per_gene / n_samples)
        }
    )
}

# Genes x samples of a stream, written chunk by chunk to DelayedArray's
# current realization backend (in memory by default; on disk after e.g.
# setAutoRealizationBackend("HDF5Array")); a DelayedMatrix at the end.
.realization_sink <- function(x, chunks) {
    sink <- DelayedArray::AutoRealizationSink(dim(x), dimnames(x), "double")
    grid <- DelayedArray::ArbitraryArrayGrid(list(nrow(x),
        cumsum(lengths(chunks))))
    list(
        add = function(k, value) {
            DelayedArray::write_block(sink, grid[[k]], value)
        },
        result = function() {
            DelayedArray::close(sink)
            as(sink, "DelayedArray")
        }
    )
}
