// global_avg_pool: y(c, s) = sum over l of x(c, l, s) / L, composed as
// flatten(avg_pool1d(x, L, L)): (C, L, n) -> (C, 1, n) -> (C, n); so
// dx(c, l, s) += dy(c, s) / L through their backward rules.
#include "ops/global_avg_pool.h"

#include "ops/avg_pool1d.h"
#include "ops/flatten.h"

namespace exprae {

Variable global_avg_pool(const Variable& x) {
    index_t length = pool1d::global_length("global_avg_pool", x.value());
    return flatten(avg_pool1d(x, length, length));
}

}  // namespace exprae
