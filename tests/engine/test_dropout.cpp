// dropout (inverted): keeps each element with probability 1 - rate, scaled
// by 1 / (1 - rate); element i of call `counter` is drawn from the
// (seed, dropout) Philox stream at counter * 2^32 + i.
#include "cpu/parallel.h"
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

// Which elements a dropout call kept (nonzero input assumed).
std::vector<bool> kept(const Tensor& y) {
    std::vector<bool> k(y.size());
    for (index_t i = 0; i < y.size(); ++i) k[i] = y.at(i) != 0.0;
    return k;
}

Tensor ones(index_t r, index_t c, DType dt = DType::f64) {
    return Tensor::full(r, c, 1.0, dt);
}

TEST(Dropout, ForwardMatchesPhiloxReference) {
    const double rate = 0.3;
    const std::uint64_t seed = 42, counter = 5;
    for (DType dt : {DType::f64, DType::f32}) {
        Tensor x = test::away_from_zero(9, 11, 0.5, 2.0, 1, dt);
        Variable y = dropout(Variable(x), rate, seed, counter);
        Philox rng(seed, kStreamDropout);
        test::expect_matches(
            y.value(),
            [&](index_t i, index_t j) {
                index_t k = i + j * x.rows();
                bool keep = rng.uniform((counter << 32) + k) >= rate;
                return keep ? x.at(i, j) / (1 - rate) : 0.0;
            },
            test::forward_tolerance(dt), dtype_name(dt));
    }
}

TEST(Dropout, FractionDroppedIsRate) {
    for (double rate : {0.1, 0.5, 0.8}) {
        Variable y = dropout(Variable(ones(300, 400)), rate, 7, 0);
        double dropped = 0;
        for (bool k : kept(y.value())) dropped += !k;
        // 120,000 draws: the sd of the fraction is <= 0.0015.
        EXPECT_NEAR(dropped / 120000.0, rate, 0.01) << "rate " << rate;
    }
}

TEST(Dropout, KeptValuesScaledByInverseKeepProbability) {
    const double rate = 0.25;
    for (DType dt : {DType::f64, DType::f32}) {
        Tensor x = test::normal(20, 30, 3, 0, 1, dt);
        Tensor y = dropout(Variable(x), rate, 9, 1).value();
        int n_kept = 0;
        for (index_t k = 0; k < x.size(); ++k) {
            if (y.at(k) == 0.0) continue;
            ++n_kept;
            double want = dt == DType::f64
                ? x.at(k) * (1.0 / (1.0 - rate))
                : double(float(x.at(k)) * float(1.0 / (1.0 - rate)));
            EXPECT_EQ(y.at(k), want) << "element " << k;
        }
        EXPECT_GT(n_kept, 0);
    }
}

TEST(Dropout, RateZeroIsIdentity) {
    Tensor x = test::normal(5, 6, 4);
    Variable xv(x, true);
    Variable y = dropout(xv, 0.0, 1, 2);
    EXPECT_TRUE(test::same_bits(y.value(), x));
    Tape::current().backward(sum(y));
    ASSERT_TRUE(xv.grad().defined());
    for (index_t k = 0; k < x.size(); ++k) EXPECT_EQ(xv.grad().at(k), 1.0);
}

TEST(Dropout, SameSeedAndCounterSameMask) {
    Tensor a = dropout(Variable(ones(50, 40)), 0.5, 11, 3).value();
    Tensor b = dropout(Variable(ones(50, 40)), 0.5, 11, 3).value();
    EXPECT_TRUE(test::same_bits(a, b));
    // The mask depends on the element's position only, not on the dtype.
    Tensor c = dropout(Variable(ones(50, 40, DType::f32)), 0.5, 11, 3).value();
    EXPECT_EQ(kept(a), kept(c));
}

TEST(Dropout, DifferentCounterOrSeedDifferentMask) {
    auto mask = [](std::uint64_t seed, std::uint64_t counter) {
        return kept(dropout(Variable(ones(50, 40)), 0.5, seed, counter)
                        .value());
    };
    EXPECT_NE(mask(11, 3), mask(11, 4));
    EXPECT_NE(mask(11, 3), mask(12, 3));
    EXPECT_NE(mask(11, 0), mask(11, 1));
}

TEST(Dropout, MaskDoesNotDependOnThreadCount) {
    // Large enough for the parallel path (more than kElementwiseGrain).
    Tensor x = ones(300, 300);
    cpu::set_num_threads(1);
    Tensor one = dropout(Variable(x), 0.4, 5, 6).value();
    cpu::set_num_threads(2);
    Tensor two = dropout(Variable(x), 0.4, 5, 6).value();
    EXPECT_TRUE(test::same_bits(one, two));
}

TEST(Dropout, Gradcheck) {
    // Fixed seed and counter: the mask is the same in every evaluation.
    test::expect_gradcheck(
        "dropout",
        [](const std::vector<Variable>& v) {
            return dropout(v[0], 0.4, 123, 9);
        },
        {test::normal(6, 7, 11)}, {true});
}

TEST(Dropout, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(
        [](const std::vector<Variable>& v) {
            return dropout(v[0], 0.4, 123, 9);
        },
        {test::normal(6, 7, 12)}, {true});
}

TEST(Dropout, InvalidRateThrows) {
    Variable x(ones(2, 2));
    EXPECT_THROW(dropout(x, -0.1, 1, 0), std::invalid_argument);
    EXPECT_THROW(dropout(x, 1.0, 1, 0), std::invalid_argument);
    EXPECT_THROW(dropout(x, std::nan(""), 1, 0), std::invalid_argument);
}

TEST(Dropout, KeepsShapeIncludingEmpty) {
    test::expect_keeps_shape(
        [](const Variable& x) { return dropout(x, 0.5, 1, 0); });
}

TEST(Dropout, CudaDrawsTheSameMaskAsTheCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    Tensor x = test::away_from_zero(40, 33, 0.5, 2.0, 17);
    test::expect_op_parity("dropout", [](const std::vector<Variable>& v) {
        return dropout(v[0], 0.3, 42, 7);
    }, {x}, {true}, test::kParityTolerance);
    // The same elements are dropped, not merely a similar number.
    Tensor x32 = test::to_dtype(x, DType::f32);
    Tensor cpu = dropout(Variable(x32), 0.3, 42, 7).value();
    Tensor gpu = dropout(Variable(x32.to(Device::cuda)), 0.3, 42, 7)
                     .value().host();
    for (index_t k = 0; k < cpu.size(); ++k)
        ASSERT_EQ(cpu.at(k) == 0.0, gpu.at(k) == 0.0) << "element " << k;
}

}  // namespace
}  // namespace exprae
