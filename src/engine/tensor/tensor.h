// A dense 2-D tensor, column-major like R and Eigen. Vectors are n x 1.
// Storage is shared, so a tensor can be a view into a larger block (all the
// parameters of a model live in one block, see nn/parameters.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "tensor/dtype.h"

namespace exprae {

using index_t = std::int64_t;

class Storage {
public:
    Storage(std::size_t bytes, Device device);
    ~Storage();
    Storage(const Storage&) = delete;
    Storage& operator=(const Storage&) = delete;

    void* data() const { return data_; }
    std::size_t bytes() const { return bytes_; }
    Device device() const { return device_; }

private:
    void* data_;
    std::size_t bytes_;
    Device device_;
};

class Tensor {
public:
    Tensor() = default;

    // Uninitialised rows x cols tensor.
    static Tensor empty(index_t rows, index_t cols, DType dtype,
                        Device device = Device::cpu);
    static Tensor zeros(index_t rows, index_t cols, DType dtype,
                        Device device = Device::cpu);
    static Tensor full(index_t rows, index_t cols, double value, DType dtype,
                       Device device = Device::cpu);

    bool defined() const { return storage_ != nullptr; }
    index_t rows() const { return rows_; }
    index_t cols() const { return cols_; }
    index_t size() const { return rows_ * cols_; }
    DType dtype() const { return dtype_; }
    Device device() const { return storage_->device(); }
    bool same_shape(const Tensor& other) const {
        return rows_ == other.rows_ && cols_ == other.cols_;
    }
    std::string shape_string() const;

    // The elements, on the tensor's device (a device pointer for CUDA).
    template <typename T> T* data() const {
        return static_cast<T*>(storage_->data()) + offset_;
    }
    void* raw() const {
        return static_cast<char*>(storage_->data()) +
               offset_ * dtype_size(dtype_);
    }

    // A rows x cols view sharing storage, starting `offset` elements in.
    Tensor view(index_t offset, index_t rows, index_t cols) const;
    // Columns [first, first + n) of this tensor, sharing storage.
    Tensor columns(index_t first, index_t n) const {
        return view(first * rows_, rows_, n);
    }
    // A copy on the same device, or on `device`.
    Tensor clone() const;
    Tensor to(Device device) const;
    // This tensor when it is on the host, else a host copy of it.
    Tensor host() const {
        return device() == Device::cpu ? *this : to(Device::cpu);
    }
    // Writers are const: a Tensor is a handle, they change the data only.
    void copy_from(const Tensor& src) const;
    void fill(double value) const;
    // Element (i, j) as double; for tests and small reads, not hot loops
    // (on a GPU each call is a copy to the host).
    double at(index_t i, index_t j = 0) const;
    void set(index_t i, index_t j, double value) const;

private:
    std::shared_ptr<Storage> storage_;
    index_t offset_ = 0;
    index_t rows_ = 0;
    index_t cols_ = 0;
    DType dtype_ = DType::f32;
};

// Throws std::invalid_argument naming the op and both shapes.
void check_same_shape(const char* op, const Tensor& a, const Tensor& b);
void check_same_dtype(const char* op, const Tensor& a, const Tensor& b);

}  // namespace exprae
