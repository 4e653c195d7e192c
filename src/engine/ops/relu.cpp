// relu(x) = max(x, 0)
#include "ops/unary.h"

namespace exprae {

namespace {
struct Relu {
    template <typename T> T forward(T x) const { return x > T(0) ? x : T(0); }
    template <typename T> T derivative(T x, T) const {
        return x > T(0) ? T(1) : T(0);
    }
};
}  // namespace

Variable relu(const Variable& x) { return unary_op(x, Relu{}); }

}  // namespace exprae
