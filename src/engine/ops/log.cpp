// log(x); derivative 1 / x. Non-positive x gives -Inf/NaN, as in R, and the
// trainer's finite-loss check catches it.
#include <cmath>

#include "ops/unary.h"

namespace exprae {

namespace {
struct Log {
    template <typename T> T forward(T x) const { return std::log(x); }
    template <typename T> T derivative(T x, T) const { return T(1) / x; }
};
}  // namespace

Variable log(const Variable& x) { return unary_op(x, Log{}); }

}  // namespace exprae
