// conv1d: y = linear(cols, w, b, f) with cols = im2col(x) (C_in * width,
// L_out, n), row c + C_in k of column (p, j) = x(c, p stride + k dilation -
// pad_left, j), 0 outside [0, L). So the convolution is one GEMM whose
// result is already (C_out, L_out, n), and its backward is linear's:
//   dw += dz cols^T    db += rowsum(dz)    dcols = w^T dz
// and then im2col's own step, recorded only when x needs a gradient:
//   dx(c, s, j) += sum over (k, p) with p stride + k dilation - pad_left = s
//                  of dcols(c + C_in k, p, j)        (col2im)
// The network's input (one-hot DNA) needs none, so a first layer spends
// nothing on col2im nor on w^T dz. A width-1, stride-1 filter reads every
// position once with nothing padded: im2col is the identity there, and
// conv1d is linear() on x itself.
#include "ops/conv1d.h"

#include <algorithm>
#include <string>

#include "backend/registry.h"
#include "ops/linear.h"

namespace exprae {

namespace {

void check_at_least_one(const char* what, index_t v) {
    if (v < 1) {
        throw BadArgument(std::string("conv1d: ") + what +
                          " must be >= 1, got " + std::to_string(v));
    }
}

// Positions one filter spans: dilation * (width - 1) + 1.
index_t span_of(index_t width, const Conv1dOptions& opt) {
    check_at_least_one("width", width);
    check_at_least_one("stride", opt.stride);
    check_at_least_one("dilation", opt.dilation);
    return opt.dilation * (width - 1) + 1;
}

// Positions "same" padding adds, left and right together (0 for "valid").
index_t total_pad(index_t length, index_t span, const Conv1dOptions& opt) {
    if (!opt.same) return 0;
    index_t out = (length + opt.stride - 1) / opt.stride;
    return std::max<index_t>((out - 1) * opt.stride + span - length, 0);
}

// x of conv1d and conv1d_windows: (channels, positions, samples).
void check_sequence_input(const char* op, const Tensor& x) {
    if (x.ndim() != 3) {
        throw BadArgument(std::string(op) +
                          ": x must be 3-D (channels, positions, samples), "
                          "got " + x.shape_string());
    }
}

void check_conv1d(const Tensor& x, const Tensor& w, const Tensor& b,
                  index_t width) {
    check_sequence_input("conv1d", x);
    check_at_least_one("width", width);
    if (w.ndim() != 2 || w.cols() != x.dim(0) * width || b.ndim() != 2 ||
        b.rows() != w.rows() || b.cols() != 1) {
        throw BadArgument(
            "conv1d: expected w (out x in channels * width = " +
            std::to_string(x.dim(0)) + " * " + std::to_string(width) +
            ") and b (out x 1), got w " + w.shape_string() + ", b " +
            b.shape_string() + " for x " + x.shape_string());
    }
    check_same_dtype("conv1d", x, w);
    check_same_dtype("conv1d", w, b);
}

// cols = im2col(x), a Variable that needs a gradient when x does; its
// backward (col2im into dx) is recorded only then.
Variable im2col(const Variable& x, const Conv1dGeometry& g, index_t out) {
    const Tensor& xv = x.value();
    Tensor cols = Tensor::empty(
        Shape{xv.dim(0) * g.width, out, xv.dim(2)}, xv.dtype(), xv.device());
    const Conv1dKernels& k = kernels<Conv1dKernels>("conv1d", xv.device());
    k.im2col(g, xv, cols);
    Variable result(cols, x.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(x)) return result;
    tape.record([x, result, g]() {
        const Tensor& dcols = result.grad();
        if (!dcols.defined()) return;
        bool acc = false;
        Tensor& dx = x.grad_target(&acc);
        kernels<Conv1dKernels>("conv1d", dx.device())
            .col2im(g, dcols, dx, acc);
    });
    return result;
}

}  // namespace

index_t conv1d_output_length(index_t length, index_t width,
                             const Conv1dOptions& opt) {
    index_t span = span_of(width, opt);
    index_t padded = length + total_pad(length, span, opt);
    if (length < 0 || span > padded) {
        throw BadArgument(
            "conv1d: the filter spans " + std::to_string(span) +
            " positions (width " + std::to_string(width) + ", dilation " +
            std::to_string(opt.dilation) + "), longer than the input of " +
            std::to_string(length) + " positions (" +
            std::to_string(padded) + " padded)");
    }
    return (padded - span) / opt.stride + 1;
}

namespace {
// The geometry of a convolution over `length` positions.
Conv1dGeometry geometry_of(index_t length, index_t width,
                           const Conv1dOptions& opt) {
    index_t pad = total_pad(length, span_of(width, opt), opt);
    return Conv1dGeometry{width, opt.stride, opt.dilation, pad / 2};
}
}  // namespace

Variable conv1d(const Variable& x, const Variable& w, const Variable& b,
                index_t width, const Conv1dOptions& opt,
                const Unary& activation) {
    const Tensor& xv = x.value();
    check_conv1d(xv, w.value(), b.value(), width);
    index_t length = xv.dim(1);
    index_t out = conv1d_output_length(length, width, opt);
    if (width == 1 && opt.stride == 1) return linear(x, w, b, activation);
    return linear(im2col(x, geometry_of(length, width, opt), out), w, b,
                  activation);
}

Tensor conv1d_windows(const Tensor& x, index_t width,
                      const Conv1dOptions& opt) {
    check_sequence_input("conv1d_windows", x);
    index_t length = x.dim(1);
    index_t out = conv1d_output_length(length, width, opt);
    return im2col(Variable(x, false), geometry_of(length, width, opt), out)
        .value();
}

}  // namespace exprae
