// global_max_pool: y(c, s) = max over l of x(c, l, s), composed as
// flatten(max_pool1d(x, L, L)): (C, L, n) -> (C, 1, n) -> (C, n). The
// backward rules are theirs: dy reshaped, then to the first maximum.
#include "ops/global_max_pool.h"

#include "ops/flatten.h"
#include "ops/max_pool1d.h"

namespace exprae {

Variable global_max_pool(const Variable& x) {
    index_t length = pool1d::global_length("global_max_pool", x.value());
    return flatten(max_pool1d(x, length, length));
}

}  // namespace exprae
