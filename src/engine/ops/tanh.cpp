// tanh(x); derivative 1 - y^2 from the output
#include <cmath>

#include "ops/unary.h"

namespace exprae {

namespace {
struct Tanh {
    template <typename T> T forward(T x) const { return std::tanh(x); }
    template <typename T> T derivative(T, T y) const { return T(1) - y * y; }
};
}  // namespace

Variable tanh(const Variable& x) { return unary_op(x, Tanh{}); }

}  // namespace exprae
