// DNA sequences as a data source: each sample is a one-hot (4, width)
// column of 4 * width values (A, C, G, T; first index fastest), encoded
// once into one byte per position and expanded a minibatch at a time.
// IUPAC codes count as equal fractions of the bases they allow (N: 0.25
// each, R: 0.5 A and 0.5 G); padding is all zero. Sequences longer than
// `width` keep their central `width` bases; shorter ones are centred in
// zero padding. With reverse_complement the source holds 2n samples, the
// n + j-th the reverse complement of the j-th, cropped or padded as that
// sequence would be on its own (so, with an even crop or pad, the j-th
// column read backwards: positions reversed, A<->T and C<->G).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "train/data_source.h"

namespace exprae {

// The bases a letter allows as bits (A 1, C 2, G 4, T 8; U reads as T),
// 0 for a letter that is not DNA; case is ignored. '-' and '.' (gaps) are
// 0 too but allowed: they read as padding.
std::uint8_t dna_code(char letter);

// Every letter a sequence may hold: those dna_code() reads, both cases,
// and the gaps.
std::string dna_letters();

// The gap letters among them, which read as padding.
std::string gap_letters();

// The positions [first, last) of a sequence of `length` bases that a
// source of this `width` reads: all of a shorter one, the central `width`
// of a longer one; with `both_strands`, those of the reverse strand too,
// which is centred on its own (a base further right after an odd crop).
std::pair<index_t, index_t> seen_positions(index_t length, index_t width,
                                           bool both_strands);

class SequenceSource : public DataSource {
public:
    // Throws BadInput naming the first sequence with a letter that is not
    // IUPAC DNA, or when there is no sequence or width < 1.
    SequenceSource(const std::vector<std::string>& sequences, index_t width,
                   bool reverse_complement);

    index_t width() const { return width_; }
    index_t n_sequences() const { return n_; }

protected:
    void read_column(index_t j, double* out) const override;

private:
    index_t width_, n_;
    std::vector<std::uint8_t> codes_;  // width x n_samples()
};

}  // namespace exprae
