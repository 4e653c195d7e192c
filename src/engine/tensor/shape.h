// The shape of a tensor: 1 to 4 dimensions, column-major (the first index
// fastest). Expression is (features, samples); sequences are (channels,
// positions, samples). Seen as a matrix, a tensor has rows() = its first
// dimension and cols() = the product of the others, so a (channels,
// positions, samples) tensor is a channels x (positions * samples) matrix
// and a dense layer or a norm over channels applies at every position.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>

namespace exprae {

using index_t = std::int64_t;

class Shape {
public:
    static constexpr int kMaxDims = 4;

    Shape() : Shape({0, 0}) {}
    // Throws BadArgument for no or more than kMaxDims dimensions, or a
    // negative one.
    Shape(std::initializer_list<index_t> dims);

    int ndim() const { return ndim_; }
    index_t operator[](int d) const { return dims_[d]; }
    index_t numel() const { return numel_; }
    index_t rows() const { return dims_[0]; }
    // The product of every dimension after the first.
    index_t cols() const { return cols_; }
    // This shape with dimension d set to n.
    Shape with(int d, index_t n) const;

    bool operator==(const Shape& o) const;
    bool operator!=(const Shape& o) const { return !(*this == o); }
    // "3 x 4 x 5"
    std::string str() const;

private:
    void count();  // numel_ and cols_ from the dimensions

    std::array<index_t, kMaxDims> dims_{};
    int ndim_ = 0;
    // Kept, not recomputed: kernels ask for sizes in their loops.
    index_t numel_ = 0, cols_ = 0;
};

}  // namespace exprae
