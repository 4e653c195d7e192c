#include "tensor/tensor.h"

#include <algorithm>
#include <cstring>

#include "backend/backend.h"

namespace exprae {

Storage::Storage(std::size_t bytes, Device device)
    : data_(nullptr), bytes_(bytes), device_(device) {
    data_ = backend_for(device).allocate(bytes);
}

// Backends never throw from release(): a destructor must not.
Storage::~Storage() { backend_for(device_).release(data_, bytes_); }

Tensor Tensor::empty(const Shape& shape, DType dtype, Device device) {
    // More bytes than a size_t holds is more memory than any device has.
    std::size_t numel = static_cast<std::size_t>(shape.numel());
    if (numel > static_cast<std::size_t>(-1) / dtype_size(dtype)) {
        throw OutOfMemory("a tensor of " + shape.str() + " " +
                          dtype_name(dtype) + " elements is too large");
    }
    Tensor t;
    t.storage_ = std::make_shared<Storage>(numel * dtype_size(dtype), device);
    t.shape_ = shape;
    t.dtype_ = dtype;
    return t;
}

Tensor Tensor::zeros(const Shape& shape, DType dtype, Device device) {
    Tensor t = empty(shape, dtype, device);
    t.fill(0.0);
    return t;
}

Tensor Tensor::full(const Shape& shape, double value, DType dtype,
                    Device device) {
    Tensor t = empty(shape, dtype, device);
    t.fill(value);
    return t;
}

Tensor Tensor::view(index_t offset, const Shape& shape) const {
    std::size_t need =
        static_cast<std::size_t>(offset_ + offset + shape.numel());
    if (offset < 0 || need * dtype_size(dtype_) > storage_->bytes()) {
        throw BadArgument("tensor view " + shape.str() + " at offset " +
                          std::to_string(offset) +
                          " falls outside its storage");
    }
    Tensor t = *this;
    t.offset_ = offset_ + offset;
    t.shape_ = shape;
    return t;
}

Tensor Tensor::reshape(const Shape& shape) const {
    if (shape.numel() != size()) {
        throw BadArgument("reshape: " + shape_string() + " has " +
                          std::to_string(size()) + " elements, " +
                          shape.str() + " needs " +
                          std::to_string(shape.numel()));
    }
    return view(0, shape);
}

Tensor Tensor::columns(index_t first, index_t n) const {
    int last = ndim() - 1;
    index_t stride = 1;  // elements per entry of the last dimension
    for (int d = 0; d < last; ++d) stride *= dim(d);
    return view(first * stride, shape_.with(last, n));
}

Tensor Tensor::clone() const { return to(device()); }

Tensor Tensor::to(Device device) const {
    Tensor t = empty(shape_, dtype_, device);
    t.copy_from(*this);
    return t;
}

void Tensor::copy_from(const Tensor& src) const {
    check_same_shape("copy", *this, src);
    check_same_dtype("copy", *this, src);
    if (size() == 0) return;
    // The backend of whichever side is not the host does the copy.
    Device d = device() == Device::cpu ? src.device() : device();
    backend_for(d).copy(*this, src);
}

void Tensor::fill(double value) const { backend_for(*this).fill(*this, value); }

double Tensor::at(index_t i, index_t j) const {
    index_t k = i + j * rows();
    if (device() != Device::cpu) {
        return view(k, Shape{1}).to(Device::cpu).at(0);
    }
    return dispatch(dtype_, [&](auto tag) {
        using T = decltype(tag);
        return static_cast<double>(data<T>()[k]);
    });
}

void Tensor::set(index_t i, index_t j, double value) const {
    index_t k = i + j * rows();
    if (device() != Device::cpu) {
        view(k, Shape{1}).copy_from(Tensor::full(Shape{1}, value, dtype_));
        return;
    }
    dispatch(dtype_, [&](auto tag) {
        using T = decltype(tag);
        data<T>()[k] = static_cast<T>(value);
    });
}

void check_same_shape(const char* op, const Tensor& a, const Tensor& b) {
    if (!a.same_shape(b)) {
        throw BadArgument(std::string(op) + ": shapes differ, " +
                          a.shape_string() + " vs " + b.shape_string());
    }
}

void check_same_dtype(const char* op, const Tensor& a, const Tensor& b) {
    if (a.dtype() != b.dtype()) {
        throw BadArgument(std::string(op) + ": dtypes differ, " +
                          dtype_name(a.dtype()) + " vs " +
                          dtype_name(b.dtype()));
    }
}

void check_column(const char* op, const char* what, const Tensor& t,
                  index_t rows) {
    if (t.ndim() != 2 || t.rows() != rows || t.cols() != 1) {
        throw BadArgument(std::string(op) + ": " + what + " must be " +
                          std::to_string(rows) + " x 1, got " +
                          t.shape_string());
    }
}

}  // namespace exprae
