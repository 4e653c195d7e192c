// The count likelihoods' CUDA kernel (ops/count_nll.h): the element math of
// math/count_nll.h (in double, as on the CPU), the derivatives written
// beside the values, and the NLL summed deterministically.
#include "backend/registry.h"
#include "cuda/reduce.cuh"
#include "cuda/tensor_data.h"
#include "math/count_nll.h"
#include "ops/count_nll.h"

namespace exprae {
namespace cuda {
namespace {

// The NLL of element k, its derivatives written out as a side effect.
struct ElementNll {
    Likelihood lk;
    nll::CountNllArgs<float> p;
    __device__ double operator()(index_t k) const {
        return nll::count_nll_at(lk, p, k % p.rows, k / p.rows);
    }
};

void mean_nll(Likelihood lk, const CountNllTensors& t, const Tensor& out) {
    if (t.elements.defined()) {
        throw BadArgument("count_nll: element NLLs are computed on the CPU "
                          "only");
    }
    for (const Tensor* v : {&t.eta, &t.log_theta, &t.pi_logit, &t.log_sf,
                            &t.x, &t.d_eta, &t.d_log_theta, &t.d_pi_logit})
        f32(*v);  // float32 only
    nll::CountNllArgs<float> p = count_nll_args<float>(t);
    index_t n = p.rows * p.cols;
    reduce_sum(n, ElementNll{lk, p}, 1.0 / static_cast<double>(n), f32(out),
               nullptr, compute_stream());
}

}  // namespace
}  // namespace cuda

EXPRAE_REGISTER_KERNELS(CountNllKernels, "count_nll", Device::cuda,
                        &cuda::mean_nll);

}  // namespace exprae
