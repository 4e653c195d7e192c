// alpha * x
#include "ops/unary.h"

namespace exprae {

namespace {
struct Scale {
    double alpha;
    template <typename T> T forward(T x) const { return T(alpha) * x; }
    template <typename T> T derivative(T, T) const { return T(alpha); }
};
}  // namespace

Variable scale(const Variable& x, double alpha) {
    return unary_op(x, Scale{alpha});
}

}  // namespace exprae
