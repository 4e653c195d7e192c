#include "tensor/tensor.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "tensor/allocator.h"

namespace exprae {

Storage::Storage(std::size_t bytes, Device device)
    : data_(nullptr), bytes_(bytes), device_(device) {
    if (device != Device::cpu) {
        throw std::runtime_error("CUDA storage is not built into this engine");
    }
    data_ = CachingAllocator::host().allocate(bytes);
}

Storage::~Storage() { CachingAllocator::host().release(data_, bytes_); }

Tensor Tensor::empty(index_t rows, index_t cols, DType dtype, Device device) {
    if (rows < 0 || cols < 0) {
        throw std::invalid_argument("tensor shape must be non-negative, got " +
                                    std::to_string(rows) + " x " +
                                    std::to_string(cols));
    }
    Tensor t;
    t.storage_ = std::make_shared<Storage>(
        static_cast<std::size_t>(rows * cols) * dtype_size(dtype), device);
    t.rows_ = rows;
    t.cols_ = cols;
    t.dtype_ = dtype;
    return t;
}

Tensor Tensor::zeros(index_t rows, index_t cols, DType dtype, Device device) {
    Tensor t = empty(rows, cols, dtype, device);
    std::memset(t.raw(), 0, static_cast<std::size_t>(t.size()) *
                                dtype_size(dtype));
    return t;
}

Tensor Tensor::full(index_t rows, index_t cols, double value, DType dtype) {
    Tensor t = empty(rows, cols, dtype);
    t.fill(value);
    return t;
}

std::string Tensor::shape_string() const {
    return std::to_string(rows_) + " x " + std::to_string(cols_);
}

Tensor Tensor::view(index_t offset, index_t rows, index_t cols) const {
    std::size_t need = static_cast<std::size_t>(offset_ + offset + rows * cols);
    if (offset < 0 || rows < 0 || cols < 0 ||
        need * dtype_size(dtype_) > storage_->bytes()) {
        throw std::out_of_range("tensor view " + std::to_string(rows) + " x " +
                                std::to_string(cols) + " at offset " +
                                std::to_string(offset) +
                                " falls outside its storage");
    }
    Tensor t = *this;
    t.offset_ = offset_ + offset;
    t.rows_ = rows;
    t.cols_ = cols;
    return t;
}

Tensor Tensor::clone() const {
    Tensor t = empty(rows_, cols_, dtype_);
    t.copy_from(*this);
    return t;
}

void Tensor::copy_from(const Tensor& src) const {
    check_same_shape("copy", *this, src);
    check_same_dtype("copy", *this, src);
    std::memcpy(raw(), src.raw(),
                static_cast<std::size_t>(size()) * dtype_size(dtype_));
}

void Tensor::fill(double value) const {
    dispatch(dtype_, [&](auto tag) {
        using T = decltype(tag);
        std::fill(data<T>(), data<T>() + size(), static_cast<T>(value));
    });
}

double Tensor::at(index_t i, index_t j) const {
    return dispatch(dtype_, [&](auto tag) {
        using T = decltype(tag);
        return static_cast<double>(data<T>()[i + j * rows_]);
    });
}

void Tensor::set(index_t i, index_t j, double value) const {
    dispatch(dtype_, [&](auto tag) {
        using T = decltype(tag);
        data<T>()[i + j * rows_] = static_cast<T>(value);
    });
}

void check_same_shape(const char* op, const Tensor& a, const Tensor& b) {
    if (!a.same_shape(b)) {
        throw std::invalid_argument(std::string(op) +
                                    ": shapes differ, " + a.shape_string() +
                                    " vs " + b.shape_string());
    }
}

void check_same_dtype(const char* op, const Tensor& a, const Tensor& b) {
    if (a.dtype() != b.dtype()) {
        throw std::invalid_argument(std::string(op) + ": dtypes differ, " +
                                    dtype_name(a.dtype()) + " vs " +
                                    dtype_name(b.dtype()));
    }
}

}  // namespace exprae
