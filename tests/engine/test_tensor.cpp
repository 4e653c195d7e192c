// Tensors of 1 to 4 dimensions: shapes, their matrix view, views, reshapes
// and the errors that name both shapes.
#include <gtest/gtest.h>

#include "tensor/tensor.h"
#include "test_util.h"

namespace exprae {
namespace {

TEST(Shape, DimensionsAndMatrixView) {
    Shape s{3, 4, 5};
    EXPECT_EQ(s.ndim(), 3);
    EXPECT_EQ(s.numel(), 60);
    EXPECT_EQ(s.rows(), 3);
    EXPECT_EQ(s.cols(), 20);
    EXPECT_EQ(s.str(), "3 x 4 x 5");
    EXPECT_EQ(Shape({7}).cols(), 1);
    EXPECT_EQ(Shape({2, 0, 5}).numel(), 0);
    EXPECT_EQ(s.with(2, 9).str(), "3 x 4 x 9");
    EXPECT_NE(Shape({3, 20}), s);
    EXPECT_EQ(Shape({3, 4, 5}), s);
}

TEST(Shape, BadShapesThrow) {
    EXPECT_THROW(Shape({1, 2, 3, 4, 5}), BadArgument);
    EXPECT_THROW(Shape({3, -1}), BadArgument);
    EXPECT_THROW(Shape({3, 4}).with(2, 1), BadArgument);
}

TEST(Tensor, ThreeDimensionalTensorIsColumnMajor) {
    Tensor t = Tensor::zeros(Shape{2, 3, 4}, DType::f64);
    EXPECT_EQ(t.ndim(), 3);
    EXPECT_EQ(t.dim(1), 3);
    EXPECT_EQ(t.rows(), 2);
    EXPECT_EQ(t.cols(), 12);
    // (channel 1, position 2, sample 3), 0-based: 1 + 2 * 2 + 3 * 6
    t.set(1, 2 + 3 * 3, 7.0);
    EXPECT_EQ(t.data<double>()[1 + 2 * 2 + 3 * 6], 7.0);
}

TEST(Tensor, ReshapeSharesStorageAndChecksTheCount) {
    Tensor t = test::normal(Shape{2, 3, 4}, 1);
    Tensor m = t.reshape(Shape{6, 4});
    EXPECT_EQ(m.raw(), t.raw());
    EXPECT_EQ(m.at(5, 3), t.at(1, 2 + 3 * 3));
    try {
        t.reshape(Shape{5, 5});
        FAIL() << "no exception";
    } catch (const BadArgument& e) {
        EXPECT_NE(std::string(e.what()).find("2 x 3 x 4"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("5 x 5"), std::string::npos);
    }
}

TEST(Tensor, ColumnsSliceTheLastDimension) {
    Tensor t = test::normal(Shape{2, 3, 4}, 2);
    Tensor s = t.columns(1, 2);  // samples 2 and 3
    EXPECT_EQ(s.shape_string(), "2 x 3 x 2");
    EXPECT_EQ(s.at(0, 0), t.at(0, 3));
    Tensor m = test::normal(5, 7, 3);
    EXPECT_EQ(m.columns(2, 3).at(4, 1), m.at(4, 3));
    EXPECT_THROW(t.columns(3, 2), BadArgument);
}

TEST(Tensor, ShapeErrorsNameBothShapes) {
    Tensor a = Tensor::zeros(Shape{2, 3, 4}, DType::f32);
    Tensor b = Tensor::zeros(Shape{2, 12}, DType::f32);
    try {
        check_same_shape("op", a, b);
        FAIL() << "no exception";
    } catch (const BadArgument& e) {
        EXPECT_STREQ(e.what(), "op: shapes differ, 2 x 3 x 4 vs 2 x 12");
    }
}

TEST(Tensor, CopiesKeepTheShape) {
    Tensor t = test::normal(Shape{2, 3, 2, 2}, 4);
    Tensor c = t.clone();
    EXPECT_EQ(c.shape_string(), "2 x 3 x 2 x 2");
    EXPECT_TRUE(test::same_bits(c, t));
    EXPECT_NE(c.raw(), t.raw());
}

}  // namespace
}  // namespace exprae
