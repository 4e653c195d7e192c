#include "r_stream_source.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>

namespace exprae {

StreamSource::StreamSource(Rcpp::Function reader, index_t rows, index_t cols,
                           index_t block, std::vector<double> center,
                           std::vector<double> scale)
    : DataSource(rows, cols, std::move(center), std::move(scale)),
      reader_(reader), block_(block), column_(cols, nullptr) {
    if (block_ < 1) throw std::invalid_argument("block size must be >= 1");
}

void StreamSource::drop(std::size_t k) const {
    for (index_t s : blocks_[k].samples) column_[s] = nullptr;
    blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(k));
}

// Reads the columns through R and checks what came back: the engine must
// not train on a wrong shape or on NA/NaN/Inf.
void StreamSource::read(index_t id, std::vector<index_t> samples) const {
    Rcpp::IntegerVector cols(samples.size());
    for (std::size_t k = 0; k < samples.size(); ++k)
        cols[k] = static_cast<int>(samples[k] + 1);
    Rcpp::NumericMatrix m(reader_(cols));
    index_t rows = n_features();
    if (m.nrow() != rows || m.ncol() != static_cast<int>(samples.size())) {
        throw std::invalid_argument(
            "the data reader returned a " + std::to_string(m.nrow()) + " x " +
            std::to_string(m.ncol()) + " matrix for " +
            std::to_string(samples.size()) + " columns of " +
            std::to_string(rows) + " genes");
    }
    for (R_xlen_t k = 0; k < m.size(); ++k) {
        if (!std::isfinite(m[k])) {
            throw std::invalid_argument(
                "sample " + std::to_string(samples[k / rows] + 1) +
                " holds NA, NaN or an infinite value");
        }
    }
    blocks_.push_back(Block{id, std::move(samples), m});
    const Block& b = blocks_.back();
    for (std::size_t k = 0; k < b.samples.size(); ++k)
        column_[b.samples[k]] = b.values.begin() + k * rows;
}

void StreamSource::load(const index_t* idx, index_t n) const {
    bool ready = true;
    std::set<index_t> needed;
    for (index_t c = 0; c < n; ++c) {
        ready = ready && column_[idx[c]] != nullptr;
        needed.insert(idx[c] / block_);
    }
    if (ready) return;
    if (needed.size() > 2) {
        // Not a training minibatch (those span at most two blocks): read
        // just these columns.
        while (!blocks_.empty()) drop(blocks_.size() - 1);
        std::vector<index_t> samples(idx, idx + n);
        std::sort(samples.begin(), samples.end());
        samples.erase(std::unique(samples.begin(), samples.end()),
                      samples.end());
        read(-1, std::move(samples));
        return;
    }
    for (std::size_t k = blocks_.size(); k-- > 0;) {
        if (!needed.count(blocks_[k].id)) drop(k);
    }
    for (index_t id : needed) {
        bool have = std::any_of(blocks_.begin(), blocks_.end(),
                                [id](const Block& b) { return b.id == id; });
        if (have) continue;
        index_t first = id * block_;
        index_t count = std::min(block_, n_samples() - first);
        std::vector<index_t> samples(count);
        for (index_t k = 0; k < count; ++k) samples[k] = first + k;
        read(id, std::move(samples));
    }
}

void StreamSource::read_column(index_t j, double* out) const {
    const double* src = column_[j];  // load() made sure it is there
    std::copy(src, src + n_features(), out);
}

}  // namespace exprae
