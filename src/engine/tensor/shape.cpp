#include "tensor/shape.h"

#include "errors.h"

namespace exprae {

Shape::Shape(std::initializer_list<index_t> dims) {
    if (dims.size() < 1 || dims.size() > kMaxDims) {
        throw BadArgument("a tensor has 1 to " + std::to_string(kMaxDims) +
                          " dimensions, got " + std::to_string(dims.size()));
    }
    for (index_t d : dims) {
        if (d < 0) {
            throw BadArgument("tensor dimensions must be non-negative, got " +
                              std::to_string(d));
        }
        dims_[ndim_++] = d;
    }
    count();
}

void Shape::count() {
    cols_ = 1;
    for (int d = 1; d < ndim_; ++d) cols_ *= dims_[d];
    numel_ = dims_[0] * cols_;
}

Shape Shape::with(int d, index_t n) const {
    if (d < 0 || d >= ndim_) {
        throw BadArgument("dimension " + std::to_string(d + 1) +
                          " of a shape " + str() + " does not exist");
    }
    if (n < 0) {
        throw BadArgument("tensor dimensions must be non-negative, got " +
                          std::to_string(n));
    }
    Shape s = *this;
    s.dims_[d] = n;
    s.count();
    return s;
}

bool Shape::operator==(const Shape& o) const {
    if (ndim_ != o.ndim_) return false;
    for (int d = 0; d < ndim_; ++d)
        if (dims_[d] != o.dims_[d]) return false;
    return true;
}

std::string Shape::str() const {
    std::string s;
    for (int d = 0; d < ndim_; ++d) {
        if (d > 0) s += " x ";
        s += std::to_string(dims_[d]);
    }
    return s;
}

}  // namespace exprae
