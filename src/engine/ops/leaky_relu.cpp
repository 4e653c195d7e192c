// leaky_relu(x) = x for x > 0, slope * x otherwise
#include "ops/unary.h"

namespace exprae {

namespace {
struct LeakyRelu {
    double slope;
    template <typename T> T forward(T x) const {
        return x > T(0) ? x : T(slope) * x;
    }
    template <typename T> T derivative(T x, T) const {
        return x > T(0) ? T(1) : T(slope);
    }
};
}  // namespace

Variable leaky_relu(const Variable& x, double slope) {
    return unary_op(x, LeakyRelu{slope});
}

}  // namespace exprae
