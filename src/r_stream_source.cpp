#include "r_stream_source.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>

namespace exprae {

StreamSource::StreamSource(Rcpp::Function reader, index_t read_rows,
                           std::vector<index_t> rows, index_t cols,
                           index_t block, std::vector<double> center,
                           std::vector<double> scale)
    : DataSource(rows.empty() ? read_rows : static_cast<index_t>(rows.size()),
                 cols, std::move(center), std::move(scale)),
      reader_(reader), read_rows_(read_rows), rows_(std::move(rows)),
      block_(block), column_(cols, nullptr) {
    if (block_ < 1) throw BadArgument("block size must be >= 1");
    for (index_t r : rows_) {
        if (r < 0 || r >= read_rows_)
            throw BadArgument("stream row index out of range");
    }
}

void StreamSource::drop(std::size_t k) const {
    for (index_t s : blocks_[k].samples) column_[s] = nullptr;
    spare_.push_back(std::move(blocks_[k].values));
    blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(k));
}

// Reads the columns through R and checks what came back: the engine must
// not train on a wrong shape or on NA/NaN/Inf.
void StreamSource::read(index_t id, std::vector<index_t> samples) const {
    Block b{id, std::move(samples), {}};
    Rcpp::IntegerVector cols(b.samples.size());
    for (std::size_t k = 0; k < b.samples.size(); ++k)
        cols[k] = static_cast<int>(b.samples[k] + 1);
    Rcpp::NumericMatrix m(reader_(cols));
    if (m.nrow() != read_rows_ ||
        m.ncol() != static_cast<int>(b.samples.size())) {
        throw BadInput(
            "the data reader returned a " + std::to_string(m.nrow()) + " x " +
            std::to_string(m.ncol()) + " matrix for " +
            std::to_string(b.samples.size()) + " columns of " +
            std::to_string(read_rows_) + " rows");
    }
    keep(b, m);
    blocks_.push_back(std::move(b));
    const Block& kept = blocks_.back();
    for (std::size_t k = 0; k < kept.samples.size(); ++k)
        column_[kept.samples[k]] = kept.values.data() + k * n_features();
}

// Copies the features of m into b's storage (reused from a dropped block
// where there is one), checking that every value is finite; rows that are
// not features do not matter.
void StreamSource::keep(Block& b, const Rcpp::NumericMatrix& m) const {
    if (!spare_.empty()) {
        b.values = std::move(spare_.back());
        spare_.pop_back();
    }
    index_t n = n_features();
    b.values.resize(static_cast<std::size_t>(n) * b.samples.size());
    for (std::size_t k = 0; k < b.samples.size(); ++k) {
        const double* col = m.begin() + k * read_rows_;
        double* out = b.values.data() + k * n;
        for (index_t r = 0; r < n; ++r) {
            out[r] = col[rows_.empty() ? r : rows_[r]];
            if (!std::isfinite(out[r])) {
                throw BadInput(
                    "sample " + std::to_string(b.samples[k] + 1) +
                    " holds NA, NaN or an infinite value");
            }
        }
    }
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
