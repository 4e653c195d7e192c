// elu(x) = x for x > 0, alpha * (exp(x) - 1) otherwise
#include <cmath>

#include "ops/unary.h"

namespace exprae {

namespace {
struct Elu {
    double alpha;
    template <typename T> T forward(T x) const {
        return x > T(0) ? x : T(alpha) * std::expm1(x);
    }
    // For x <= 0, d/dx = alpha * exp(x) = y + alpha.
    template <typename T> T derivative(T x, T y) const {
        return x > T(0) ? T(1) : y + T(alpha);
    }
};
}  // namespace

Variable elu(const Variable& x, double alpha) {
    return unary_op(x, Elu{alpha});
}

}  // namespace exprae
