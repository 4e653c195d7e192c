// sigmoid(x) = 1 / (1 + exp(-x)); derivative y (1 - y) from the output
#include <cmath>

#include "ops/unary.h"

namespace exprae {

namespace {
struct Sigmoid {
    // Both branches avoid exp of a large positive number.
    template <typename T> T forward(T x) const {
        if (x >= T(0)) return T(1) / (T(1) + std::exp(-x));
        T e = std::exp(x);
        return e / (T(1) + e);
    }
    template <typename T> T derivative(T, T y) const { return y * (T(1) - y); }
};
}  // namespace

Variable sigmoid(const Variable& x) { return unary_op(x, Sigmoid{}); }

}  // namespace exprae
