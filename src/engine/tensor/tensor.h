// A dense tensor of 1 to 4 dimensions, contiguous and column-major like R
// and Eigen (tensor/shape.h has the conventions). Storage is shared, so a
// tensor can be a view into a larger block (all the parameters of a model
// live in one block, see nn/parameters.h) or a reshape of another.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "errors.h"
#include "tensor/dtype.h"
#include "tensor/shape.h"

namespace exprae {

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

    // Uninitialised tensor of a shape, or of rows x cols.
    static Tensor empty(const Shape& shape, DType dtype,
                        Device device = Device::cpu);
    static Tensor empty(index_t rows, index_t cols, DType dtype,
                        Device device = Device::cpu) {
        return empty(Shape{rows, cols}, dtype, device);
    }
    // Same shape, dtype and device as `like`.
    static Tensor empty_like(const Tensor& like) {
        return empty(like.shape(), like.dtype(), like.device());
    }
    static Tensor zeros(const Shape& shape, DType dtype,
                        Device device = Device::cpu);
    static Tensor zeros(index_t rows, index_t cols, DType dtype,
                        Device device = Device::cpu) {
        return zeros(Shape{rows, cols}, dtype, device);
    }
    static Tensor full(const Shape& shape, double value, DType dtype,
                       Device device = Device::cpu);
    static Tensor full(index_t rows, index_t cols, double value, DType dtype,
                       Device device = Device::cpu) {
        return full(Shape{rows, cols}, value, dtype, device);
    }

    bool defined() const { return storage_ != nullptr; }
    const Shape& shape() const { return shape_; }
    int ndim() const { return shape_.ndim(); }
    index_t dim(int d) const { return shape_[d]; }
    // The tensor as a matrix: its first dimension x the product of the rest.
    index_t rows() const { return shape_.rows(); }
    index_t cols() const { return shape_.cols(); }
    index_t size() const { return shape_.numel(); }
    DType dtype() const { return dtype_; }
    Device device() const { return storage_->device(); }
    bool same_shape(const Tensor& other) const {
        return shape_ == other.shape_;
    }
    std::string shape_string() const { return shape_.str(); }

    // The elements, on the tensor's device (a device pointer for CUDA).
    template <typename T> T* data() const {
        return static_cast<T*>(storage_->data()) + offset_;
    }
    void* raw() const {
        return static_cast<char*>(storage_->data()) +
               offset_ * dtype_size(dtype_);
    }

    // A tensor of `shape` sharing storage, starting `offset` elements in.
    Tensor view(index_t offset, const Shape& shape) const;
    Tensor view(index_t offset, index_t rows, index_t cols) const {
        return view(offset, Shape{rows, cols});
    }
    // The same elements in another shape with as many of them.
    Tensor reshape(const Shape& shape) const;
    // Entries [first, first + n) of the last dimension (the samples), a
    // view: columns of a matrix.
    Tensor columns(index_t first, index_t n) const;
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
    // Element (i, j) of the matrix view as double; for tests and small
    // reads, not hot loops (on a GPU each call is a copy to the host).
    double at(index_t i, index_t j = 0) const;
    void set(index_t i, index_t j, double value) const;

private:
    std::shared_ptr<Storage> storage_;
    index_t offset_ = 0;
    Shape shape_;
    DType dtype_ = DType::f32;
};

// Throw BadArgument naming the op and both shapes (dtypes).
void check_same_shape(const char* op, const Tensor& a, const Tensor& b);
void check_same_dtype(const char* op, const Tensor& a, const Tensor& b);
// Throws unless t is rows x 1 (a per-row vector such as a bias).
void check_column(const char* op, const char* what, const Tensor& t,
                  index_t rows);

}  // namespace exprae
