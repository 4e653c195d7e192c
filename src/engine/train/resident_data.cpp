#include "train/resident_data.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "backend/backend.h"
#include "ops/likelihood.h"
#include "train/trainer.h"

namespace exprae {

namespace {

bool fits(const Model& model, const DataSource& data, const TrainOptions& o) {
    if (model.device() != Device::cuda || model.dtype() != DType::f32 ||
        !o.keep_data_on_device ||
        data.block_size() > 0 ||
        o.corruption.kind != Corruption::Kind::none ||
        data.n_samples() >= (index_t{1} << 24))
        return false;
    double copies = is_count(model.spec().likelihood) ? 2.0 : 1.0;
    double bytes = copies * 4.0 * static_cast<double>(data.n_features()) *
                   static_cast<double>(data.n_samples());
    return bytes <= cuda_free_memory() / 4.0;
}

// whole <- every column of the source, a chunk of about 64 MB at a time
// through host memory.
template <typename Gather>
void upload_columns(const DataSource& data, const Tensor& whole,
                    Gather gather) {
    index_t p = data.n_features(), n = data.n_samples();
    index_t chunk = std::max<index_t>(1, (index_t{16} << 20) / p);
    std::vector<index_t> idx;
    Backend& be = backend_for(whole);
    for (index_t j0 = 0; j0 < n; j0 += chunk) {
        index_t m = std::min(chunk, n - j0);
        idx.resize(static_cast<std::size_t>(m));
        std::iota(idx.begin(), idx.end(), j0);
        Tensor host = Tensor::empty(p, m, DType::f32);
        gather(idx.data(), m, host);
        be.copy(whole.view(j0 * p, p, m), host);
    }
}

}  // namespace

ResidentData ResidentData::upload_if_fits(const Model& model,
                                          const DataSource& data,
                                          const TrainOptions& options) {
    ResidentData r;
    if (!fits(model, data, options)) return r;
    index_t p = data.n_features(), n = data.n_samples();
    r.input_ = Tensor::empty(p, n, DType::f32, Device::cuda);
    upload_columns(data, r.input_, [&](const index_t* idx, index_t m,
                                       Tensor& out) {
        data.gather(idx, m, out);
    });
    if (is_count(model.spec().likelihood)) {
        r.raw_ = Tensor::empty(p, n, DType::f32, Device::cuda);
        upload_columns(data, r.raw_, [&](const index_t* idx, index_t m,
                                         Tensor& out) {
            data.gather_raw(idx, m, out);
        });
    }
    return r;
}

Minibatch ResidentData::minibatch(const Model& model, const Covariates& cov,
                                  const index_t* idx, index_t n) const {
    Minibatch host = gather_covariates(model, cov, idx, n);
    host.columns = Tensor::empty(1, n, DType::f32);
    for (index_t c = 0; c < n; ++c)
        host.columns.set(0, c, static_cast<double>(idx[c]));
    Minibatch b = to_device(host, Device::cuda);
    Backend& be = backend_for(Device::cuda);
    b.input = Tensor::empty(input_.rows(), n, DType::f32, Device::cuda);
    be.gather_columns(input_, b.columns, b.input);
    if (raw_.defined()) {
        b.target = Tensor::empty(raw_.rows(), n, DType::f32, Device::cuda);
        be.gather_columns(raw_, b.columns, b.target);
    } else {
        b.target = b.input;
    }
    return b;
}

}  // namespace exprae
