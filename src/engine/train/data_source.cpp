#include "train/data_source.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "cpu/hot_kernels.h"
#include "cpu/parallel.h"

namespace exprae {

DataSource::DataSource(index_t n_features, index_t n_samples,
                       std::vector<double> center, std::vector<double> scale)
    : n_features_(n_features), n_samples_(n_samples),
      center_(std::move(center)) {
    if (static_cast<index_t>(center_.size()) != n_features ||
        static_cast<index_t>(scale.size()) != n_features) {
        throw BadArgument(
            "center and scale need one value per feature (" +
            std::to_string(n_features) + ")");
    }
    inv_scale_.resize(scale.size());
    for (std::size_t k = 0; k < scale.size(); ++k) {
        if (!(scale[k] > 0)) {
            throw BadInput("scale of feature " +
                           std::to_string(k + 1) +
                           " must be positive");
        }
        inv_scale_[k] = 1.0 / scale[k];
    }
}

void DataSource::set_log1p(const std::vector<double>& size_factors) {
    if (static_cast<index_t>(size_factors.size()) != n_samples_) {
        throw BadArgument(
            "size factors need one value per sample (" +
            std::to_string(n_samples_) + "), got " +
            std::to_string(size_factors.size()));
    }
    inv_size_factor_.resize(size_factors.size());
    for (std::size_t j = 0; j < size_factors.size(); ++j) {
        if (!(size_factors[j] > 0) || !std::isfinite(size_factors[j])) {
            throw BadInput("size factor of sample " +
                           std::to_string(j + 1) +
                           " must be a positive number");
        }
        inv_size_factor_[j] = 1.0 / size_factors[j];
    }
    log1p_ = true;
}

void DataSource::check_gather(const index_t* idx, index_t n,
                              const Tensor& out) const {
    if (out.rows() != n_features_ || out.cols() != n) {
        throw BadArgument("gather: output is " + out.shape_string() +
                          ", expected " +
                          std::to_string(n_features_) + " x " +
                          std::to_string(n));
    }
    check_indices(idx, n);
}

// Checked before the parallel loop: nothing may throw inside it.
void DataSource::check_indices(const index_t* idx, index_t n) const {
    for (index_t c = 0; c < n; ++c) {
        if (idx[c] < 0 || idx[c] >= n_samples_) {
            throw std::out_of_range("gather: sample index " +
                                    std::to_string(idx[c]) + " out of range");
        }
    }
}

// Reads each requested column and has f(sample, column, dst) write it
// into out's column dst (of out's type).
template <typename F>
void DataSource::gather_with(const index_t* idx, index_t n, Tensor& out,
                             F f) const {
    check_gather(idx, n, out);
    load(idx, n);
    dispatch(out.dtype(), [&](auto tag) {
        using T = decltype(tag);
        cpu::parallel_for(n, 8, [&](index_t lo, index_t hi) {
            std::vector<double> column(n_features_);
            for (index_t c = lo; c < hi; ++c) {
                read_column(idx[c], column.data());
                f(idx[c], column.data(), out.data<T>() + c * n_features_);
            }
        });
    });
}

void DataSource::gather(const index_t* idx, index_t n, Tensor& out) const {
    if (log1p_) {
        gather_with(idx, n, out, [this](index_t j, const double* x,
                                        auto* dst) {
            cpu::log1p_standardize(n_features_, x, inv_size_factor_[j],
                                   center_.data(), inv_scale_.data(), dst);
        });
    } else {
        gather_with(idx, n, out, [this](index_t, const double* x,
                                        auto* dst) {
            using T = std::remove_pointer_t<decltype(dst)>;
            for (index_t r = 0; r < n_features_; ++r)
                dst[r] = T((x[r] - center_[r]) * inv_scale_[r]);
        });
    }
}

void DataSource::gather_raw(const index_t* idx, index_t n, Tensor& out) const {
    gather_with(idx, n, out, [this](index_t, const double* x, auto* dst) {
        using T = std::remove_pointer_t<decltype(dst)>;
        for (index_t r = 0; r < n_features_; ++r) dst[r] = T(x[r]);
    });
}

bool DataSource::gather_sparse(const index_t* idx, index_t n,
                               double max_density, SparseColumns& out) const {
    check_indices(idx, n);
    index_t count = 0;
    const int* rows = nullptr;
    const double* values = nullptr;
    out.start.assign(1, 0);
    for (index_t c = 0; c < n; ++c) {
        if (!sparse_column(idx[c], count, rows, values)) return false;
        out.start.push_back(out.start.back() + count);
    }
    index_t nnz = out.start.back();
    if (static_cast<double>(nnz) >
        max_density * static_cast<double>(n_features_) * n)
        return false;
    load(idx, n);
    out.rows = n_features_;
    out.cols = n;
    out.row.resize(nnz);
    out.value.resize(nnz);
    cpu::parallel_for(n, 8, [&](index_t lo, index_t hi) {
        for (index_t c = lo; c < hi; ++c) {
            index_t j = idx[c], m = 0, at = out.start[c];
            const int* r = nullptr;
            const double* v = nullptr;
            sparse_column(j, m, r, v);
            double* dst = out.value.data() + at;
            std::copy(r, r + m, out.row.data() + at);
            if (log1p_) {
                cpu::log1p_standardize(m, v, inv_size_factor_[j], nullptr,
                                       nullptr, dst);
            } else {
                std::copy(v, v + m, dst);
            }
            for (index_t k = 0; k < m; ++k) dst[k] *= inv_scale_[r[k]];
        }
    });
    out.offset.clear();
    bool centred = std::any_of(center_.begin(), center_.end(),
                               [](double v) { return v != 0; });
    if (centred) {
        out.offset.resize(n_features_);
        for (index_t q = 0; q < n_features_; ++q)
            out.offset[q] = -center_[q] * inv_scale_[q];
    }
    return true;
}

DenseSource::DenseSource(const double* x, index_t rows, index_t cols,
                         std::vector<double> center, std::vector<double> scale)
    : DataSource(rows, cols, std::move(center), std::move(scale)), x_(x) {}

void DenseSource::read_column(index_t j, double* out) const {
    const double* src = x_ + j * n_features();
    std::copy(src, src + n_features(), out);
}

SparseSource::SparseSource(const int* i, const int* p, const double* x,
                           index_t rows, index_t cols,
                           std::vector<double> center,
                           std::vector<double> scale)
    : DataSource(rows, cols, std::move(center), std::move(scale)),
      i_(i), p_(p), x_(x) {}

void SparseSource::read_column(index_t j, double* out) const {
    std::fill(out, out + n_features(), 0.0);
    for (int k = p_[j]; k < p_[j + 1]; ++k) out[i_[k]] = x_[k];
}

bool SparseSource::sparse_column(index_t j, index_t& count, const int*& rows,
                                 const double*& values) const {
    count = p_[j + 1] - p_[j];
    rows = i_ + p_[j];
    values = x_ + p_[j];
    return true;
}

}  // namespace exprae
