// The ops the autoencoders are made of, for callers that use many of them
// (nn/, train/, the tests). Each op is declared in ops/<op>.h and defined
// in ops/<op>.cpp with its shape checks, its kernel calls and its backward
// rule (src/engine/README.md says where the rest of an op lives). An op
// added later is included by whoever uses it; nothing here has to change.
#pragma once

#include "ops/add.h"
#include "ops/batch_norm.h"
#include "ops/concat_rows.h"
#include "ops/count_nll.h"
#include "ops/dropout.h"
#include "ops/elu.h"
#include "ops/exp.h"
#include "ops/kl_normal.h"
#include "ops/layer_norm.h"
#include "ops/leaky_relu.h"
#include "ops/linear.h"
#include "ops/sparse_linear.h"
#include "ops/log.h"
#include "ops/mean.h"
#include "ops/mse_loss.h"
#include "ops/mul.h"
#include "ops/relu.h"
#include "ops/scale.h"
#include "ops/sigmoid.h"
#include "ops/softplus.h"
#include "ops/sum.h"
#include "ops/tanh.h"
#include "ops/unary.h"
#include "tape/tape.h"
