#include "train/predict.h"

#include "tape/tape.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace exprae {

Tensor predict(Model& model, const DataSource& data, PredictOutput output,
               index_t batch_size) {
    if (batch_size < 1)
        throw std::invalid_argument("predict: batch_size must be >= 1");
    NoGradGuard no_grad;
    ForwardMode mode;  // inference: running statistics, no dropout
    index_t n = data.n_samples();
    index_t rows = output == PredictOutput::latent ? latent_size(model.spec())
                                                   : data.n_features();
    Tensor result = Tensor::empty(rows, n, DType::f64);
    std::vector<index_t> idx;
    for (index_t s = 0; s < n; s += batch_size) {
        index_t m = std::min(batch_size, n - s);
        idx.resize(m);
        std::iota(idx.begin(), idx.end(), s);
        Tensor xb = Tensor::empty(data.n_features(), m, model.dtype());
        data.gather(idx.data(), m, xb);
        Variable h = model.encode(Variable(xb, false), mode);
        if (output == PredictOutput::reconstruction)
            h = model.decode(h, mode);
        const Tensor& v = h.value();
        dispatch(v.dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* src = v.data<T>();
            double* dst = result.data<double>() + s * rows;
            for (index_t k = 0; k < v.size(); ++k) dst[k] = src[k];
        });
    }
    return result;
}

}  // namespace exprae
