# DNA sequences as the engine takes them: a DNAStringSet, a FASTA file or a
# character vector become plain strings, cut or padded to one width in the
# engine's one-hot encoding (src/engine/train/sequence_source.h), where
# IUPAC codes count as equal fractions of their bases.

# The one-hot rows of a base, in this order everywhere (PFMs, attribution).
.bases <- c("A", "C", "G", "T")

# The sequences as a character vector (names kept), checked.
.sequence_strings <- function(sequences) {
    if (is(sequences, "XStringSet")) {
        if (!is(sequences, "DNAStringSet")) {
            .abort("input", c(
                "{.arg sequences} must be DNA, not a {.cls
                {class(sequences)}}.",
                i = if (is(sequences, "RNAStringSet")) "Convert RNA with
                    {.code Biostrings::DNAStringSet()}."
            ))
        }
        sequences <- as.character(sequences)
    } else if (.is_fasta_path(sequences)) {
        sequences <- .read_fasta(sequences)
    } else if (.is_dna_and_file(sequences)) {
        .warn("input", c(
            "{.arg sequences} {.val {sequences}} reads as DNA and is also
            the name of a file; it is taken as a sequence.",
            i = "For the file, give its path, e.g. {.file ./{sequences}}."
        ))
    } else if (.looks_like_path(sequences)) {
        .abort("input", c(
            "{.arg sequences} looks like a file name, but there is no file
            {.file {sequences}}.",
            i = "Give the path of a FASTA file, or the sequences
                themselves."
        ))
    } else if (!is.character(sequences) || !is.null(dim(sequences))) {
        .abort("input", c(
            "{.arg sequences} must be a DNAStringSet, a FASTA file or a
            character vector of DNA.",
            x = "It is a {.cls {class(sequences)}}.",
            i = "Expression data go to {.fn trainClassifier} or
                {.fn trainAutoencoder}."
        ))
    }
    .check_sequence_strings(sequences)
}

.check_sequence_strings <- function(sequences) {
    if (length(sequences) == 0L) {
        .abort("input", "There are no sequences.")
    }
    # gaps alone read as padding: as empty as ""
    bad <- which(is.na(sequences) |
        !grepl(.not_letters_pattern(.engine_gap_letters()), sequences,
            useBytes = TRUE))
    if (length(bad) > 0L) {
        n <- length(bad)
        .abort("input", c(
            "{n} sequence{?s} {?is/are} empty, NA or gaps only.",
            i = "First: sequence {bad[1L]}. Remove {cli::qty(n)}{?it/them}
                first."
        ))
    }
    .check_dna_letters(sequences)
}

# Letters the engine reads (IUPAC codes, U, gaps), checked for all
# sequences at once: the engine numbers sequences and positions within the
# chunk or window it is given.
.check_dna_letters <- function(sequences) {
    at <- regexpr(.not_dna_pattern(), sequences, useBytes = TRUE)
    bad <- which(at > 0L)
    if (length(bad) == 0L) {
        return(sequences)
    }
    i <- bad[1L]
    byte <- charToRaw(sequences[i])[at[i]]
    shown <- if (byte >= as.raw(0x20) && byte < as.raw(0x7f)) {
        rawToChar(byte)
    } else {
        paste0("\\x", toupper(as.character(byte)))
    }
    .abort("input", c(
        "{length(bad)} sequence{?s} {?has/have} a letter that is not DNA
        (IUPAC codes).",
        x = "First: sequence {i} has '{shown}' at position {at[i]},
            which is not a DNA letter.",
        i = "Replace it, e.g. by N (any base)."
    ))
}

# A bracket expression for any letter but the engine's.
.not_dna_pattern <- function() {
    .not_letters_pattern(.engine_dna_letters())
}

# A bracket expression for any letter not in the string `letters` (a "-"
# last, where it stands for itself).
.not_letters_pattern <- function(letters) {
    letters <- strsplit(letters, "", fixed = TRUE)[[1L]]
    paste0("[^", paste(letters[order(letters == "-")], collapse = ""), "]")
}

# A single string naming an existing file that does not read as DNA. A
# string of 1024 bytes or more is no path (PATH_MAX on macOS; Linux's is
# 4096): file.exists() would warn of it, printing a long sequence.
.is_fasta_path <- function(x) {
    is.character(x) && length(x) == 1L && !is.na(x) &&
        nchar(x, "bytes") < 1024L &&
        grepl(.not_dna_pattern(), x, useBytes = TRUE) && file.exists(x)
}

# A single string of DNA letters that is also a file's name: with no
# "/", one in the working directory, so at most 255 bytes (longer, and
# file_test() would warn).
.is_dna_and_file <- function(x) {
    is.character(x) && length(x) == 1L && !is.na(x) && nzchar(x) &&
        nchar(x, "bytes") <= 255L && utils::file_test("-f", x) &&
        !.is_fasta_path(x)
}

# A single string with a path separator or a FASTA file's extension: no
# DNA sequence has either.
.looks_like_path <- function(x) {
    is.character(x) && length(x) == 1L && !is.na(x) &&
        grepl("[/\\\\]|[.](fa|fasta|fna|gz)$", x, ignore.case = TRUE)
}

.read_fasta <- function(path) {
    if (!requireNamespace("Biostrings", quietly = TRUE)) {
        .abort("dependency", c(
            "Reading a FASTA file needs the Biostrings package.",
            i = "Install it (Debian: {.code r-bioc-biostrings}) or give the
                sequences as a character vector."
        ))
    }
    # read as any letters: readDNAStringSet() would drop those that are not
    # DNA with a warning, shifting every later base; whitespace is dropped
    # here, other letters are named by the sequence check
    x <- tryCatch(Biostrings::readBStringSet(path), error = function(e) {
        .abort("input", "{.file {path}} does not read as a FASTA file of
            DNA.", parent = e)
    })
    stats::setNames(gsub("[[:space:]]", "", as.character(x)), names(x))
}

# The width every sequence is cut or padded to: the longest by default;
# the sequences that change are reported.
.sequence_width <- function(sequences, width, verbose = TRUE) {
    lengths <- nchar(sequences)
    width <- if (is.null(width)) max(lengths) else .check_count(width, "width")
    if (width > .Machine$integer.max %/% 4L) {
        .abort("argument", c(
            "{.arg width} must be at most {(.Machine$integer.max %/% 4L)}
            bp (each base is 4 inputs), not {width}."
        ))
    }
    changed <- sum(lengths != width)
    if (changed > 0L && verbose) {
        cli::cli_inform(c(i = "{changed} of {length(sequences)} sequence{?s}
            {?is/are} not {width} bp long: longer ones keep their central
            {width} bp, shorter ones are centred in zero padding."))
    }
    width
}

# The engine's handle on the sequences; with `reverse_complement` it holds
# 2n samples, the (n + j)-th the reverse complement of the j-th.
.engine_sequences <- function(sequences, width, reverse_complement) {
    structure(list(sequences = unname(sequences), width = as.integer(width),
        reverse_complement = isTRUE(reverse_complement)),
        class = "exprae_sequences")
}

# Each sample's one-hot input, named as the engine lays it out (A1, C1,
# G1, T1, A2, ...): the "genes" of a sequence fit.
.one_hot_names <- function(width) {
    paste0(.bases, rep(seq_len(width), each = 4L))
}
