// exp(x); derivative y
#include <cmath>

#include "ops/unary.h"

namespace exprae {

namespace {
struct Exp {
    template <typename T> T forward(T x) const { return std::exp(x); }
    template <typename T> T derivative(T, T y) const { return y; }
};
}  // namespace

Variable exp(const Variable& x) { return unary_op(x, Exp{}); }

}  // namespace exprae
