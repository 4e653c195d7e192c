// mean over all elements -> 1 x 1; dx += dy / size
#include "ops/mean.h"

#include "ops/reduce_all.h"

namespace exprae {

Variable mean(const Variable& x) {
    if (x.value().size() == 0) {
        throw BadArgument("mean: tensor has no elements");
    }
    return reduce_all(x, 1.0 / static_cast<double>(x.value().size()));
}

}  // namespace exprae
