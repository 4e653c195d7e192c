#include "train/sequence_source.h"

#include <algorithm>
#include <cctype>

namespace exprae {

std::uint8_t dna_code(char letter) {
    switch (std::toupper(static_cast<unsigned char>(letter))) {
    case 'A': return 1;
    case 'C': return 2;
    case 'G': return 4;
    case 'T': case 'U': return 8;
    case 'R': return 1 | 4;
    case 'Y': return 2 | 8;
    case 'S': return 2 | 4;
    case 'W': return 1 | 8;
    case 'K': return 4 | 8;
    case 'M': return 1 | 2;
    case 'B': return 2 | 4 | 8;
    case 'D': return 1 | 4 | 8;
    case 'H': return 1 | 2 | 8;
    case 'V': return 1 | 2 | 4;
    case 'N': return 15;
    default: return 0;
    }
}

namespace {
bool is_gap(char c) { return c == '-' || c == '.'; }

// Bases cropped from the start of a sequence of `length` in `width`.
index_t cropped(index_t length, index_t width) {
    return length > width ? (length - width) / 2 : 0;
}
}  // namespace

namespace {
// The bytes 1-255 for which `keep` holds, in byte order.
template <typename Keep>
std::string letters_where(Keep keep) {
    std::string letters;
    for (int c = 1; c < 256; ++c) {
        char letter = static_cast<char>(c);
        if (keep(letter)) letters += letter;
    }
    return letters;
}
}  // namespace

std::string dna_letters() {
    return letters_where(
        [](char c) { return dna_code(c) != 0 || is_gap(c); });
}

std::string gap_letters() { return letters_where(is_gap); }

std::pair<index_t, index_t> seen_positions(index_t length, index_t width,
                                           bool both_strands) {
    index_t skip = cropped(length, width);
    index_t last = std::min(length, skip + width);
    // the reverse strand drops `skip` bases from the sequence's end
    if (both_strands) last = length - skip;
    return {skip, last};
}

namespace {

std::vector<double> filled(index_t n, double v) {
    return std::vector<double>(static_cast<std::size_t>(n), v);
}

// A character for a message: itself if printable ASCII, else its byte in
// hex (one byte of a multi-byte character is not valid text in R).
std::string shown(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) return std::string(1, c);
    const char* hex = "0123456789ABCDEF";
    return std::string("\\x") + hex[u >> 4] + hex[u & 15];
}

// The bases of sequence s as codes, one per letter.
std::vector<std::uint8_t> codes_of(const std::string& s, index_t which) {
    std::vector<std::uint8_t> codes(s.size());
    for (std::size_t k = 0; k < s.size(); ++k) {
        codes[k] = dna_code(s[k]);
        if (codes[k] == 0 && !is_gap(s[k])) {
            throw BadInput("sequence " + std::to_string(which + 1) +
                           " has '" + shown(s[k]) + "' at " +
                           "position " + std::to_string(k + 1) +
                           ", which is not a DNA letter (IUPAC codes)");
        }
    }
    return codes;
}

// The reverse complement: bases backwards, each code's bits reversed
// (A 1 <-> T 8, C 2 <-> G 4; an IUPAC code's set complemented alike).
std::vector<std::uint8_t> other_strand(std::vector<std::uint8_t> c) {
    std::reverse(c.begin(), c.end());
    for (std::uint8_t& b : c) {
        b = static_cast<std::uint8_t>(((b & 1) << 3) | ((b & 2) << 1) |
                                      ((b & 4) >> 1) | ((b & 8) >> 3));
    }
    return c;
}

// Codes centred in `width` positions of out (cropped or padded).
void place_centred(const std::vector<std::uint8_t>& codes, index_t width,
                   std::uint8_t* out) {
    index_t len = static_cast<index_t>(codes.size());
    index_t skip = cropped(len, width);
    index_t pad = len < width ? (width - len) / 2 : 0;    // leading zeros
    for (index_t k = 0; k < len; ++k) {
        index_t at = k - skip + pad;
        if (at >= 0 && at < width) out[at] = codes[k];
    }
}
}  // namespace

SequenceSource::SequenceSource(const std::vector<std::string>& sequences,
                               index_t width, bool reverse_complement)
    : DataSource(4 * std::max<index_t>(width, 1),
                 static_cast<index_t>(sequences.size()) *
                     (reverse_complement ? 2 : 1),
                 filled(4 * std::max<index_t>(width, 1), 0.0),
                 filled(4 * std::max<index_t>(width, 1), 1.0)),
      width_(width), n_(static_cast<index_t>(sequences.size())) {
    if (n_ == 0) throw BadInput("no sequences");
    if (width < 1) {
        throw BadInput("the sequence width must be >= 1, got " +
                       std::to_string(width));
    }
    // A reverse complement is centred as a sequence of its own, not read
    // off its strand's padded window: with an odd number of bases to pad
    // or crop the two would differ by a position, and a sequence and its
    // reverse complement would not predict alike.
    codes_.assign(static_cast<std::size_t>(width_ * n_samples()), 0);
    for (index_t j = 0; j < n_; ++j) {
        std::vector<std::uint8_t> codes = codes_of(sequences[j], j);
        place_centred(codes, width_, codes_.data() + j * width_);
        if (reverse_complement) {
            place_centred(other_strand(codes), width_,
                          codes_.data() + (n_ + j) * width_);
        }
    }
}

void SequenceSource::read_column(index_t j, double* out) const {
    const std::uint8_t* codes = codes_.data() + j * width_;
    for (index_t k = 0; k < width_; ++k) {
        std::uint8_t c = codes[k];
        int allowed = 0;
        for (int b = 0; b < 4; ++b) allowed += (c >> b) & 1;
        double share = allowed ? 1.0 / allowed : 0.0;
        for (int b = 0; b < 4; ++b) out[4 * k + b] = (c >> b) & 1 ? share : 0.0;
    }
}

}  // namespace exprae
