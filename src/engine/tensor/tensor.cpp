#include "tensor/tensor.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "backend/backend.h"

namespace exprae {

Storage::Storage(std::size_t bytes, Device device)
    : data_(nullptr), bytes_(bytes), device_(device) {
    data_ = backend_for(device).allocate(bytes);
}

// Backends never throw from release(): a destructor must not.
Storage::~Storage() { backend_for(device_).release(data_, bytes_); }

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
    t.fill(0.0);
    return t;
}

Tensor Tensor::full(index_t rows, index_t cols, double value, DType dtype,
                    Device device) {
    Tensor t = empty(rows, cols, dtype, device);
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

Tensor Tensor::clone() const { return to(device()); }

Tensor Tensor::to(Device device) const {
    Tensor t = empty(rows_, cols_, dtype_, device);
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
    if (device() != Device::cpu) {
        return view(i + j * rows_, 1, 1).to(Device::cpu).at(0, 0);
    }
    return dispatch(dtype_, [&](auto tag) {
        using T = decltype(tag);
        return static_cast<double>(data<T>()[i + j * rows_]);
    });
}

void Tensor::set(index_t i, index_t j, double value) const {
    if (device() != Device::cpu) {
        view(i + j * rows_, 1, 1).copy_from(Tensor::full(1, 1, value, dtype_));
        return;
    }
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
