# Sequence models: one-hot encoding in the engine, training on planted
# motifs, prediction on both strands, motifs, attribution and bad input.

random_dna <- function(n, width) {
    vapply(seq_len(n), function(i) {
        paste(sample(c("A", "C", "G", "T"), width, TRUE), collapse = "")
    }, character(1))
}

# n sequences of `width` bp, the odd ones with `motif` at a random place.
planted <- function(n, width, motif = "TGACTCA") {
    x <- random_dna(n, width)
    has <- seq_len(n) %% 2L == 1L
    at <- sample.int(width - nchar(motif) + 1L, n, TRUE)
    substr(x[has], at[has], at[has] + nchar(motif) - 1L) <- motif
    list(x = x, y = factor(ifelse(has, "motif", "none"),
        levels = c("none", "motif")), at = at)
}

reverse_complement <- function(x) {
    chartr("ACGT", "TGCA", vapply(strsplit(x, ""),
        function(s) paste(rev(s), collapse = ""), character(1)))
}

one_hot <- function(x, width, rc = FALSE) {
    .call_engine(.engine_one_hot(.engine_sequences(x, width, rc)))
}

toy <- withr::with_seed(11, planted(400, 40))
toy_layers <- list(layer_conv1d(8, 7), layer_global_max_pool())
toy_fit <- withr::with_seed(3, trainSequenceModel(toy$x[1:300],
    toy$y[1:300], layers = toy_layers, epochs = 15, batch_size = 32,
    learning_rate = 0.01, n_threads = 1, verbose = FALSE))

test_that("sequences are one-hot encoded with IUPAC fractions", {
    m <- one_hot(c("ACGT", "NRta"), 4)
    expect_identical(dim(m), c(16L, 2L))
    expect_equal(m[, 1], as.vector(diag(4)))
    expect_equal(m[1:4, 2], rep(0.25, 4))       # N
    expect_equal(m[5:8, 2], c(0.5, 0, 0.5, 0))  # R = A/G
    expect_equal(m[9:16, 2], c(0, 0, 0, 1, 1, 0, 0, 0))  # lower case
    # longer sequences keep their middle, shorter are centred in zeros
    expect_equal(one_hot("AACCGGTT", 4), one_hot("CCGG", 4))
    expect_equal(as.vector(one_hot("CG", 4)),
        c(rep(0, 4), 0, 1, 0, 0, 0, 0, 1, 0, rep(0, 4)))
    # the reverse complement is the column backwards
    both <- one_hot(c("AACG", "TTTG"), 4, rc = TRUE)
    expect_identical(ncol(both), 4L)
    expect_equal(both[, 3], one_hot("CGTT", 4)[, 1])
    expect_equal(both[, 4], rev(both[, 2]))
    # with an odd pad or crop, centred as a sequence of its own
    expect_equal(one_hot("ACG", 4, rc = TRUE)[, 2], one_hot("CGT", 4)[, 1])
    expect_equal(one_hot("AACCG", 4, rc = TRUE)[, 2],
        one_hot("CGGTT", 4)[, 1])
})

test_that("bad sequences are classed errors", {
    expect_error(one_hot(c("ACGT", "ACXT"), 4), class = "exprae_error_input")
    bad <- toy$x[1:4]
    substr(bad[2], 5, 5) <- "X"
    expect_error(trainSequenceModel(bad, toy$y[1:4], verbose = FALSE),
        "not a DNA letter", class = "exprae_error_input")
    expect_error(trainSequenceModel(character(), factor()),
        class = "exprae_error_input")
    expect_error(trainSequenceModel(c("ACGT", ""), factor(1:2)),
        class = "exprae_error_input")
    # expression functions given sequences point to the sequence model,
    # given other strings not
    expect_error(crossValidate(toy$x[1:20], toy$y[1:20]),
        "trainSequenceModel", class = "exprae_error_input")
    expect_error(trainClassifier(toy$x[1:20], toy$y[1:20]),
        "trainSequenceModel", class = "exprae_error_input")
    genes <- tryCatch(crossValidate(c("CD19", "CD3E"), factor(1:2)),
        error = identity)
    expect_s3_class(genes, "exprae_error_input")
    expect_false(grepl("trainSequenceModel", conditionMessage(genes)))
    # gaps alone are padding alone
    expect_error(predict(toy_fit, c("ACGT", "--.-")), "gaps only",
        class = "exprae_error_input")
    # a sequence longer than any path is not looked up as a file
    expect_warning(predict(toy_fit, strrep("ACGT", 1250)), NA)
    expect_warning(expect_error(predict(toy_fit,
        paste0(strrep("ACGT", 1250), "X")), class = "exprae_error_input"), NA)
    expect_error(trainSequenceModel(matrix(1, 2, 2), factor(1:2)),
        class = "exprae_error_input")
    expect_error(trainSequenceModel(toy$x[1:10], toy$y[1:9]),
        class = "exprae_error_labels")
    expect_error(trainSequenceModel(toy$x[1:10], toy$y[1:10],
        layers = list(layer_conv1d(4, 50), layer_global_max_pool()),
        verbose = FALSE), class = "exprae_error_argument")
    expect_error(trainSequenceModel(toy$x[1:10], toy$y[1:10],
        layers = list(layer_conv1d(4, 5), layer_max_pool1d(50),
            layer_global_max_pool()), verbose = FALSE),
        class = "exprae_error_argument")
    expect_error(trainSequenceModel(toy$x[1:10], toy$y[1:10],
        layers = list(layer_conv1d(4, 5)), verbose = FALSE),
        class = "exprae_error_argument")
    expect_error(predict(toy_fit, matrix(0, 3, 3)),
        class = "exprae_error_input")
    expect_error(trainSequenceModel(toy$x[1:10], toy$y[1:10],
        layers = list(), verbose = FALSE), "is empty",
        class = "exprae_error_argument")
    expect_error(trainSequenceModel(toy$x[1:10], toy$y[1:10],
        width = 2^29, verbose = FALSE), "at most",
        class = "exprae_error_argument")
    # too large to allocate (about 2^59 bytes, past any address space, so
    # refused even where the host overcommits): the engine's out-of-memory
    # error, not "cannot read sequences"
    expect_error(trainSequenceModel(toy$x[1:10], toy$y[1:10],
        layers = list(layer_gru(2^28)), verbose = FALSE),
        class = "exprae_error_out_of_memory")
    expect_error(predict(toy_fit, file.path(tempdir(), "absent.fa")),
        "no file", class = "exprae_error_input")
    not_fasta <- withr::local_tempfile(fileext = ".fa")
    writeLines("not a FASTA file", not_fasta)
    expect_error(predict(toy_fit, not_fasta), "FASTA",
        class = "exprae_error_input")
    # a file whose name reads as DNA: taken as a sequence, with a warning
    withr::with_dir(tempdir(), {
        writeLines(c(">s1", toy$x[1]), "banana")
        expect_warning(p <- predict(toy_fit, "banana"), "also the name",
            class = "exprae_warning_input")
        expect_identical(length(p), 1L)
        expect_identical(length(predict(toy_fit, "./banana")), 1L)
        unlink("banana")
        expect_false(.is_dna_and_file("."))  # a directory is no file
    })
    damaged <- toy_fit
    damaged@options$width <- NULL
    expect_error(predict(damaged, toy$x[1:2]), "damaged",
        class = "exprae_error_fit")
    expect_error(layer_conv1d(0, 5), class = "exprae_error_argument")
    expect_error(layer_gru(4, bidirectional = NA),
        class = "exprae_error_argument")
})

test_that("R refuses exactly the letters the engine refuses", {
    strings <- vapply(1:255, function(b) rawToChar(as.raw(c(65, 67, b))),
        character(1))
    accepts <- function(f) {
        vapply(strings, function(s) {
            !inherits(tryCatch(f(s), error = identity), "error")
        }, logical(1), USE.NAMES = FALSE)
    }
    in_r <- accepts(.check_dna_letters)
    expect_identical(in_r, accepts(function(s) one_hot(s, 4)))
    expect_identical(sum(in_r), 34L)  # 16 letters in either case, 2 gaps
})

test_that("a CNN finds a planted motif in held-out sequences", {
    expect_s4_class(toy_fit, "SequenceFit")
    expect_s4_class(toy_fit, "ClassifierFit")
    expect_identical(toy_fit@options$width, 40L)
    expect_true(toy_fit@options$reverse_complement)
    m <- evaluateClassifier(toy_fit, toy$x[301:400], toy$y[301:400])
    expect_gte(m$value[m$metric == "auroc" & m$class %in% "motif"], 0.95)
    expect_gte(m$value[m$metric == "auprc" & m$class %in% "motif"], 0.9)
    p <- predict(toy_fit, toy$x[301:310], type = "prob")
    expect_identical(dim(p), c(10L, 2L))
    expect_equal(unname(rowSums(p)), rep(1, 10))
    expect_s3_class(predict(toy_fit, toy$x[301:310]), "factor")
    expect_output(show(toy_fit), "SequenceFit: 40 bp -> 2 classes")
})

test_that("a fit is reproducible with set.seed() and survives saving", {
    again <- withr::with_seed(3, trainSequenceModel(toy$x[1:300],
        toy$y[1:300], layers = toy_layers, epochs = 15, batch_size = 32,
        learning_rate = 0.01, n_threads = 1, verbose = FALSE))
    expect_identical(again@weights, toy_fit@weights)
    path <- withr::local_tempfile(fileext = ".rds")
    saveRDS(toy_fit, path)
    expect_identical(predict(readRDS(path), toy$x[301:320], type = "prob"),
        predict(toy_fit, toy$x[301:320], type = "prob"))
    # both strands: a sequence and its reverse complement score the same
    rc <- reverse_complement(toy$x[301:305])
    expect_equal(unname(predict(toy_fit, rc, type = "prob")),
        unname(predict(toy_fit, toy$x[301:305], type = "prob")))
    # the same when padding or cropping is odd (37 and 43 bp in 40)
    odd <- c(substr(toy$x[301:303], 1, 37), paste0(toy$x[304:305], "ACG"))
    expect_equal(unname(predict(toy_fit, reverse_complement(odd),
        type = "prob")),
        unname(predict(toy_fit, odd, type = "prob")), tolerance = 1e-6)
})

test_that("the first layer's filters give the planted motif back", {
    motifs <- filterMotifs(toy_fit, toy$x[1:300])
    expect_s3_class(motifs, "FilterMotifs")
    expect_true(all(vapply(motifs, function(m) all(dim(m) == c(4L, 7L)),
        logical(1))))
    expect_equal(unname(colSums(motifs[[1]])), rep(1, 7))
    planted_pfm <- matrix(0, 4, 7, dimnames = list(c("A", "C", "G", "T"),
        NULL))
    planted_pfm[cbind(match(strsplit("TGACTCA", "")[[1]],
        rownames(planted_pfm)), 1:7)] <- 1
    best <- compareMotifs(motifs, list(AP1 = planted_pfm))
    expect_gte(max(best$correlation), 0.8)
    expect_s3_class(plot(motifs), "ggplot")
    df <- as.data.frame(motifs)
    expect_named(df, c("filter", "position", "base", "frequency",
        "information"))
    expect_error(filterMotifs(test_fit, toy$x), "SequenceFit",
        class = "exprae_error_fit")
    expect_error(filterMotifs(toy_fit), "sequences",
        class = "exprae_error_argument")
    # a dilated filter's motif spans what it reads, its gaps uninformative
    dilated <- withr::with_seed(5, trainSequenceModel(toy$x[1:100],
        toy$y[1:100], layers = list(layer_conv1d(2, 4, dilation = 3),
            layer_global_max_pool()), epochs = 2, n_threads = 1,
        verbose = FALSE))
    m <- matrix(seq_len(8) / 8, 4, 2, dimnames = list(.bases, NULL))
    expect_identical(.spread_taps(m, 3L)[, c(1, 4)], m)  # taps in order
    spread <- filterMotifs(dilated, toy$x[1:100])
    expect_gt(length(spread), 0L)
    for (m in spread) {
        expect_identical(dim(m), c(4L, 10L))
        expect_true(all(m[, -c(1, 4, 7, 10)] == 0.25))
        expect_equal(unname(colSums(m)), rep(1, 10))
    }
    expect_error(motifs["no such filter"], "picked by",
        class = "exprae_error_argument")
    expect_error(compareMotifs(motifs, list(AP1 = planted_pfm[1:3, ])),
        "4 rows", class = "exprae_error_argument")
    expect_error(compareMotifs(motifs, list()), "non-empty",
        class = "exprae_error_argument")
    none <- compareMotifs(motifs[integer()], list(AP1 = planted_pfm))
    expect_identical(nrow(none), 0L)
    not_jaspar <- withr::local_tempfile()
    writeLines("no matrices here", not_jaspar)
    expect_error(readJASPAR(not_jaspar), "no JASPAR matrix",
        class = "exprae_error_input")
})

test_that("in-silico mutagenesis marks the motif's bases", {
    i <- 301L  # a sequence with the motif (odd index)
    a <- attribution(toy_fit, toy$x[i], class = "motif")
    expect_identical(nrow(a), 4L * 40L)
    expect_true(all(a$score[a$reference] == 0))
    worst <- a$position[which.min(a$score)]
    expect_true(worst >= toy$at[i] && worst < toy$at[i] + 7L)
    # padding is not scored, and positions are the sequence's own: a
    # shorter and a longer copy put the motif's bases where they are
    short <- substr(toy$x[i], toy$at[i], toy$at[i] + 6L)  # the motif
    b <- attribution(toy_fit, short, class = "motif")
    expect_identical(sort(unique(b$position)), 1:7)
    expect_true(all(b$reference[b$base == strsplit(short, "")[[1]][
        b$position]]))
    long <- paste0(strrep("A", 10), toy$x[i], strrep("A", 10))
    d <- attribution(toy_fit, long, class = "motif")
    expect_identical(range(d$position), c(11L, 50L))
    expect_equal(d$score, a$score, tolerance = 1e-6)
    # an odd cut shows the two strands windows a base apart: both scored,
    # each score what predict() gives the mutant
    odd <- paste0("A", toy$x[i], "AA")
    e <- attribution(toy_fit, odd, class = "motif")
    expect_identical(range(e$position), c(2L, 42L))
    k <- which.min(e$score)
    mutant <- odd
    substr(mutant, e$position[k], e$position[k]) <- e$base[k]
    p <- predict(toy_fit, c(odd, mutant), type = "prob")[, "motif"]
    expect_equal(e$score[k], unname(p[2] - p[1]), tolerance = 1e-6)
    # U reads as T: its T row is the reference, scored 0
    u <- sub("T", "U", toy$x[i])
    at <- regexpr("U", u)
    f <- attribution(toy_fit, u, class = "motif")
    expect_true(f$reference[f$position == at & f$base == "T"])
    expect_equal(f$score, a$score, tolerance = 1e-6)
    expect_error(attribution(toy_fit, u, n_threads = 0), "n_threads",
        class = "exprae_error_argument")
})

test_that("AUPRC is average precision", {
    # ranks: + - + - : precision 1 at the first positive, 2/3 at the second
    expect_equal(.auprc(c(0.9, 0.8, 0.7, 0.1), c(TRUE, FALSE, TRUE, FALSE)),
        (1 + 2 / 3) / 2)
    # a tie between a positive and a negative shares the threshold
    expect_equal(.auprc(c(0.5, 0.5), c(TRUE, FALSE)), 0.5)
    expect_true(is.na(.auprc(c(0.1, 0.2), c(FALSE, FALSE))))
    # every sample positive: no ranking to judge (any score gives 1)
    expect_true(is.na(.auprc(c(0.1, 0.2), c(TRUE, TRUE))))
})

test_that("recurrent and pooling layers train and predict", {
    small <- toy$x[1:60]
    y <- toy$y[1:60]
    stacks <- list(
        list(layer_conv1d(4, 5), layer_max_pool1d(2), layer_gru(3)),
        list(layer_conv1d(4, 5), layer_avg_pool1d(4, 2),
            layer_lstm(3, bidirectional = TRUE)),
        list(layer_gru(3, return_sequences = TRUE), layer_global_avg_pool()),
        list(layer_conv1d(2, 3, stride = 2, padding = "valid",
            dilation = 2), layer_flatten(), layer_dense(4, "relu"))
    )
    for (layers in stacks) {
        fit <- withr::with_seed(1, trainSequenceModel(small, y,
            layers = layers, epochs = 2, n_threads = 1, verbose = FALSE))
        p <- predict(fit, small[1:4], type = "prob")
        expect_identical(dim(p), c(4L, 2L))
        expect_true(all(is.finite(p)))
    }
})

test_that("several labels per sequence train a multi-label model", {
    x <- withr::with_seed(11, random_dna(300, 40))
    y <- cbind(AP1 = seq_len(300) %% 2L == 1L, ETS = seq_len(300) %% 4L < 2L)
    substr(x[y[, "AP1"]], 5, 11) <- "TGACTCA"
    substr(x[y[, "ETS"]], 25, 31) <- "CCGGAAG"
    y[seq(3, 300, by = 10), "ETS"] <- NA  # unknown
    fit <- withr::with_seed(4, trainSequenceModel(x[1:240], y[1:240, ],
        layers = toy_layers, epochs = 40, batch_size = 32,
        learning_rate = 0.01, n_threads = 1, verbose = FALSE))
    expect_true(fit@options$multi_label)
    expect_output(show(fit), "2 labels")
    p <- predict(fit, x[241:300], type = "prob")
    expect_identical(colnames(p), c("AP1", "ETS"))
    expect_false(isTRUE(all.equal(unname(rowSums(p)), rep(1, 60))))
    expect_true(is.logical(predict(fit, x[241:250])))
    # one label per sample would drop the others
    expect_error(classifySamples(fit, x[241:250]), "several yes/no labels",
        class = "exprae_error_argument")
    a <- augment(fit, x[241:250])
    expect_identical(a$.predicted_AP1, unname(p[1:10, "AP1"] > 0.5))
    expect_equal(a$.probability_ETS, unname(p[1:10, "ETS"]))
    expect_false(".predicted" %in% names(a))
    # the option that picks sigmoid or softmax must agree with the model
    single <- fit
    single@options$multi_label <- NULL
    expect_error(predict(single, x[241:250]), "settings",
        class = "exprae_error_fit")
    multi <- toy_fit
    multi@options$multi_label <- TRUE
    expect_error(predict(multi, toy$x[1:2]), "settings",
        class = "exprae_error_fit")
    m <- evaluateClassifier(fit, x[241:300], y[241:300, ])
    auroc <- m$value[m$metric == "auroc"]
    expect_length(auroc, 2L)
    # far above chance (0.5) for both; the ETS site is the harder one
    expect_gte(auroc[1], 0.95)
    expect_gte(auroc[2], 0.8)
    expect_error(trainSequenceModel(x[1:10], y[1:9, ]),
        class = "exprae_error_labels")
    bad <- y[1:10, ] * 2
    expect_error(trainSequenceModel(x[1:10], bad),
        class = "exprae_error_labels")
    # a column without a name gets one
    unnamed <- y[1:40, ]
    colnames(unnamed)[2] <- ""
    fit <- withr::with_seed(21, trainSequenceModel(x[1:40], unnamed,
        layers = list(layer_conv1d(4, 7), layer_global_max_pool()),
        epochs = 1, n_threads = 1, verbose = FALSE))
    expect_identical(fit@options$classes, c("AP1", "label2"))
})

test_that("motifs are compared by position and by their rows' letters", {
    pfm <- function(word) {
        m <- matrix(0, 4, nchar(word), dimnames = list(c("A", "C", "G",
            "T"), NULL))
        m[cbind(match(strsplit(word, "")[[1]], rownames(m)),
            seq_len(nchar(word)))] <- 1
        m
    }
    ap1 <- pfm("TGACTCA")
    ets <- pfm("CCGGAAG")
    # repeated names: each motif is compared with every other
    out <- compareMotifs(list(q = ap1, q = ets), list(TF = ets, TF = ap1))
    expect_identical(out$correlation, c(1, 1))
    expect_identical(out$offset, c(0L, 0L))
    # empty names are named by position
    out <- compareMotifs(list(ap1), stats::setNames(list(ets, ap1),
        c("ETS", "")))
    expect_identical(out$match, "motif2")
    # rows named in another order are put in A, C, G, T's
    expect_identical(compareMotifs(list(ap1[4:1, ]), list(AP1 = ap1))$strand,
        "+")
    expect_error(compareMotifs(list(`rownames<-`(ap1, c("A", "C", "G",
        "U"))), list(ap1)), "named so", class = "exprae_error_argument")
    # JASPAR rows with letters are read by their letters
    path <- withr::local_tempfile()
    writeLines(c(">MA1 x", "T [ 1 2 3 ]", "G [ 0 1 0 ]", "C [ 0 0 1 ]",
        "A [ 5 1 0 ]"), path)
    m <- readJASPAR(path)[["MA1"]]
    expect_equal(m[, 1], c(A = 5, C = 0, G = 0, T = 1) / 6)
    writeLines(c(">MA1 x", "t [ 1 2 3 ]", "g [ 0 1 0 ]", "c [ 0 0 1 ]",
        "a [ 5 1 0 ]", ">MA2 y", "1 1", "1 1", "1 1", "1 1"), path)
    both <- readJASPAR(path)
    expect_equal(both[["MA1"]], m)
    expect_identical(attr(both, "name"), c("x", "y"))
    # a fifth row, or a header without an ID, is an error, not lost
    writeLines(c(">MA1 x", "1 2", "0 1", "0 1", "5 1", "N [ 1 1 ]"), path)
    expect_error(readJASPAR(path), "not 4 rows",
        class = "exprae_error_input")
    writeLines(c("", ">MA1 x", "1 2", "0 1", "0 1", "5 1", "", ">", "1 2",
        "0 1", "0 1", "5 1"), path)
    expect_error(readJASPAR(path), "at line 8 .*no ID",
        class = "exprae_error_input")
    writeLines(c(">MA1 x", "1 2 3", "0 -1 0", "0 0 1", "5 1 0"), path)
    expect_error(readJASPAR(path), "not negative",
        class = "exprae_error_input")
    expect_error(readJASPAR(tempdir()), "existing file",
        class = "exprae_error_input")
})

test_that("bad letters in a FASTA file or a string are classed errors", {
    path <- withr::local_tempfile(fileext = ".fa")
    writeLines(c(">s1", paste0("ACGTXX", substr(toy$x[1], 7, 40))), path)
    # Biostrings would drop the X's and shift the rest
    expect_error(predict(toy_fit, path), "'X' at position 5",
        class = "exprae_error_input")
    # whitespace at the end of a line shifts nothing
    writeLines(c(">s1", "ACGTACGT ", "ACGT\t"), path)
    expect_identical(.sequence_strings(path), c(s1 = "ACGTACGTACGT"))
    expect_error(predict(toy_fit, "ACGT\u00e9ACGT"), "xC3",
        class = "exprae_error_input")
})

test_that("multi-label truth is matched to the fit's labels by name", {
    x <- withr::with_seed(12, random_dna(60, 40))
    y <- cbind(AP1 = seq_len(60) %% 2L == 1L, ETS = seq_len(60) %% 3L == 0L)
    fit <- withr::with_seed(4, trainSequenceModel(x, y, layers = toy_layers,
        epochs = 1, n_threads = 1, verbose = FALSE))
    expect_equal(evaluateClassifier(fit, x, y[, c("ETS", "AP1")]),
        evaluateClassifier(fit, x, y))
    expect_error(evaluateClassifier(fit, x, y[, "AP1", drop = FALSE]),
        "one column per label", class = "exprae_error_labels")
    expect_error(evaluateClassifier(fit, x, y[, "AP1"]),
        "one column per label", class = "exprae_error_labels")
    # a label with no known truth here is NA, not an error
    unknown <- y
    unknown[, "ETS"] <- NA
    m <- evaluateClassifier(fit, x, unknown)
    expect_true(is.na(m$value[m$metric == "auroc" & m$class == "ETS"]))
    # columns named as for training match, even empty names
    y2 <- y
    colnames(y2) <- c("AP1", "")
    fit2 <- withr::with_seed(4, trainSequenceModel(x, y2,
        layers = toy_layers, epochs = 1, n_threads = 1, verbose = FALSE))
    expect_identical(fit2@options$classes, c("AP1", "label2"))
    expect_s3_class(evaluateClassifier(fit2, x, y2), "data.frame")
    # rows named by sequence in another order, a label never known
    names(x) <- paste0("seq", seq_along(x))
    rownames(y) <- rev(names(x))
    expect_error(trainSequenceModel(x, y, layers = toy_layers, epochs = 1,
        verbose = FALSE), "not as the sequences are",
        class = "exprae_error_labels")
    y[, "ETS"] <- NA
    rownames(y) <- NULL
    expect_error(trainSequenceModel(x, y, layers = toy_layers, epochs = 1,
        verbose = FALSE), "Every sequence.s value is NA",
        class = "exprae_error_labels")
})

test_that("a motif position that only padding covered carries no information", {
    motifs <- filterMotifs(toy_fit, c("TGACTCAG", "TTGACTCA", "GTGACTCAT"))
    for (m in motifs) {
        expect_equal(unname(colSums(m)), rep(1, ncol(m)))
    }
    info <- unlist(lapply(motifs, .information))
    expect_true(all(info >= -1e-12 & info <= 2 + 1e-12))
})

test_that("sites count windows, whatever the padding or the chunks", {
    short <- substr(toy$x[1:40], 1, 12)  # padded to the fit's 40 bases
    motifs <- filterMotifs(toy_fit, short, chunk = 7)
    expect_identical(attr(motifs, "sites"),
        attr(filterMotifs(toy_fit, short), "sites"))
    # one sequence at a time: a site is a window of at least one base whose
    # activation reaches threshold x the filter's largest
    layer <- toy_fit@model$encoder[[1L]]
    w <- toy_fit@weights[["encoder.1.weight"]]
    b <- toy_fit@weights[["encoder.1.bias"]]
    acts <- lapply(short, function(s) {
        win <- .conv_windows(s, toy_fit, layer)
        (w %*% win + as.vector(b))[, colSums(win) > 0, drop = FALSE]
    })
    top <- do.call(pmax, lapply(acts, function(a) apply(a, 1L, max)))
    sites <- Reduce(`+`, lapply(acts, function(a) rowSums(a >= 0.5 * top)))
    sites[top <= 0] <- 0
    expect_identical(attr(motifs, "sites"), as.integer(sites[sites > 0]))
    # a filter whose bias alone (a window of padding) beats every window of
    # bases still finds its sites among the bases
    biased <- toy_fit
    biased@weights[["encoder.1.weight"]][1L, ] <- -0.01
    biased@weights[["encoder.1.bias"]][1L] <- 1
    expect_true("filter1" %in% names(filterMotifs(biased, short,
        threshold = 0.995)))
    # a chunk whose central 40 bases are gaps has no window of bases: no
    # sites, no warning
    gapped <- paste0("A", strrep("-", 60), "A")
    expect_warning(gaps <- filterMotifs(toy_fit, c(short[1:3], gapped),
        chunk = 1), NA)
    expect_identical(attr(gaps, "sites"),
        attr(filterMotifs(toy_fit, short[1:3]), "sites"))
})

test_that("a bad letter is named by its place in all the sequences", {
    bad <- toy$x[1:20]
    substr(bad[15], 4, 4) <- "X"
    expect_error(filterMotifs(toy_fit, bad, chunk = 10),
        "sequence 15 has 'X' at position 4", class = "exprae_error_input")
    expect_error(attribution(toy_fit, c(toy$x[1:2], substr(bad[15], 1, 20))),
        "sequence 3 has 'X' at position 4", class = "exprae_error_input")
    expect_error(predict(toy_fit, bad), "sequence 15 has 'X'",
        class = "exprae_error_input")
    expect_error(predict(toy_fit, c("ACGT", "ACG\xffT")),
        "sequence 2 has '\\\\xFF' at position 4",
        class = "exprae_error_input")
})

test_that("labels of sequences in another order, or of the wrong type", {
    x <- stats::setNames(toy$x[1:20], paste0("s", 1:20))
    labels <- stats::setNames(toy$y[1:20], names(x))
    reordered <- expect_error(trainSequenceModel(x, rev(labels),
        verbose = FALSE), "labels\\[names\\(sequences\\)\\]",
        class = "exprae_error_labels")
    expect_match(conditionMessage(reordered), "named by sequence")
    expect_false(grepl("sample", conditionMessage(reordered)))
    expect_error(evaluateClassifier(toy_fit, x, rev(labels)),
        "labels\\[names\\(sequences\\)\\]", class = "exprae_error_labels")
    text <- cbind(a = ifelse(toy$y[1:20] == "motif", "1", "0"))
    expect_error(trainSequenceModel(x, text, verbose = FALSE),
        "character", class = "exprae_error_labels")
    # the messages speak of sequences, not samples
    none <- expect_error(trainSequenceModel(x, rep(NA, 20), verbose = FALSE),
        class = "exprae_error_labels")
    expect_match(conditionMessage(none), "some sequences")
    empty <- expect_error(trainSequenceModel(x,
        replace(as.character(labels), 1, ""),
        verbose = FALSE), class = "exprae_error_labels")
    expect_match(conditionMessage(empty), "for a sequence whose")
    expect_false(grepl("sample", conditionMessage(empty)))
})

test_that("an architecture the engine cannot build is a damaged fit", {
    broken <- toy_fit
    broken@model$encoder[[1L]]$type <- "lstm"
    expect_error(predict(broken, toy$x[1:3]), "damaged",
        class = "exprae_error_fit")
})

test_that("a layer setting left out or added is a damaged fit", {
    # the engine would read a missing setting with its own default (a
    # convolution without activation as linear, the constructor's relu)
    for (edit in list(list("activation", NULL), list("dilation", NULL),
        list("padding", NULL), list("stride", 1.5), list("extra", 1))) {
        broken <- toy_fit
        broken@model$encoder[[1L]][edit[[1]]] <- list(edit[[2]])
        if (is.null(edit[[2]])) broken@model$encoder[[1L]][[edit[[1]]]] <- NULL
        expect_error(predict(broken, toy$x[1:3]), "architecture",
            class = "exprae_error_fit")
    }
    retrained <- toy_fit
    retrained@model$encoder[[1L]]$padding <- "valid"  # another valid net
    expect_identical(dim(predict(retrained, toy$x[1:3], type = "prob")),
        c(3L, 2L))
})

test_that("stored class probabilities are checked before they are given", {
    edited <- toy_fit
    edited@embedding[2, 1] <- NA
    expect_error(predict(edited), "class probabilities",
        class = "exprae_error_fit")
    edited@embedding[2, 1] <- 1.5
    expect_error(augment(edited), "class probabilities",
        class = "exprae_error_fit")
    expect_output(show(edited), "cannot be used:.*damaged")
    expect_identical(predict(toy_fit, type = "prob"), toy_fit@embedding)
})

test_that("attribution names each sequence's rows, so names are unique", {
    x <- stats::setNames(toy$x[301:303], c("a", "", "a"))
    expect_error(attribution(toy_fit, x), "Repeated: \"a\"",
        class = "exprae_error_argument")
    names(x)[3] <- NA
    a <- attribution(toy_fit, x)
    expect_identical(unique(a$sequence), c("a", "2", "3"))
    names(x) <- c("2", "", "b")  # the unnamed one goes by its number
    expect_error(attribution(toy_fit, x), "by\\s+its number",
        class = "exprae_error_argument")
})

test_that("no motifs make a data frame with no rows, and gaps are empty", {
    none <- filterMotifs(toy_fit, toy$x[1:50])[0]
    df <- as.data.frame(none)
    expect_identical(names(df), c("filter", "position", "base",
        "frequency", "information"))
    expect_identical(nrow(df), 0L)
    expect_identical(.engine_gap_letters(), "-.")
    expect_error(predict(toy_fit, c("ACGT", ".-.-")), "gaps only",
        class = "exprae_error_input")
    expect_error(trainSequenceModel(toy$x[1:20], toy$y[1:10],
        verbose = FALSE), "one value per sequence \\(20\\)\\.",
        class = "exprae_error_labels")
})
