// softplus(x) = log(1 + exp(x)); derivative sigmoid(x)
#include <cmath>

#include "ops/unary.h"

namespace exprae {

namespace {
struct Softplus {
    // max(x, 0) + log1p(exp(-|x|)) is exact and never overflows.
    template <typename T> T forward(T x) const {
        return std::max(x, T(0)) + std::log1p(std::exp(-std::abs(x)));
    }
    template <typename T> T derivative(T x, T) const {
        if (x >= T(0)) return T(1) / (T(1) + std::exp(-x));
        T e = std::exp(x);
        return e / (T(1) + e);
    }
};
}  // namespace

Variable softplus(const Variable& x) { return unary_op(x, Softplus{}); }

}  // namespace exprae
