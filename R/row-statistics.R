# Sums, means and variances of the rows and columns of a dense matrix, a
# dgCMatrix (never densified) or a stream (block by block): one pass over
# the data that training takes its genes, centre and scale from.

# How many values of x a count() of a numeric vector or matrix finds (a
# vector of counts may come back): the non-zeros of a dgCMatrix, the
# blocks of a stream one by one.
.count_values <- function(x, count) {
    if (.is_stream(x)) {
        return(Reduce(`+`, .stream_blocks(x, count)))
    }
    count(if (is(x, "dgCMatrix")) x@x else x)
}

.col_sums <- function(x) {
    if (.is_stream(x)) {
        return(unlist(.stream_blocks(x, .col_sums)))
    }
    as.numeric(Matrix::colSums(x))
}

.row_sums <- function(x) {
    if (.is_stream(x)) {
        return(Reduce(`+`, .stream_blocks(x, .row_sums)))
    }
    as.numeric(Matrix::rowSums(x))
}

# Row means and variances of a dense matrix or a dgCMatrix; the sparse
# path never densifies. A stream's come from its blocks.
.row_moments <- function(x) {
    if (.is_stream(x)) {
        return(.stream_row_moments(x))
    }
    mean <- as.numeric(Matrix::rowMeans(x))
    var <- if (is(x, "dgCMatrix")) {
        .sparse_row_var(x, mean)
    } else {
        rowSums((x - mean)^2) / (ncol(x) - 1)
    }
    list(mean = mean, var = as.numeric(var))
}

# The blocks' means and sums of squared deviations merged pairwise (Chan,
# Golub and LeVeque), which keeps the two-pass accuracy of each block.
.stream_row_moments <- function(x) {
    parts <- .stream_blocks(x, function(block) {
        m <- .row_moments(block)
        n <- ncol(block)
        list(n = n, mean = m$mean, m2 = if (n > 1L) m$var * (n - 1) else 0)
    })
    total <- Reduce(function(a, b) {
        n <- a$n + b$n
        delta <- b$mean - a$mean
        list(n = n, mean = a$mean + delta * b$n / n,
            m2 = a$m2 + b$m2 + delta^2 * a$n * b$n / n)
    }, parts)
    list(mean = total$mean, var = total$m2 / (total$n - 1))
}

# Two passes, as for dense data (sum(x^2) - n mean^2 cancels badly when a
# gene's mean is large next to its spread), over the non-zeros only: the
# zeros each add mean^2.
.sparse_row_var <- function(x, mean) {
    i <- x@i + 1L
    squares <- numeric(nrow(x))
    by_gene <- rowsum((x@x - mean[i])^2, i)
    squares[as.integer(rownames(by_gene))] <- by_gene
    zeros <- ncol(x) - tabulate(i, nrow(x))
    (squares + zeros * mean^2) / (ncol(x) - 1)
}
