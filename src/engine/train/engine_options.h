// Everything a caller (the R layer, a benchmark) can set for one training
// or prediction call, by name: one table of fields (train/engine_options.
// cpp) that a caller's reader fills from its own data (the R glue:
// src/r_options.cpp) and that the R layer lists to build its side. A new
// option is one field here and one argument in R, nothing in between.
#pragma once

#include <string>
#include <vector>

#include "train/predict.h"
#include "train/trainer.h"

namespace exprae {

struct EngineOptions {
    TrainOptions train;
    PredictOptions predict;
    DType dtype = DType::f32;
    bool tf32 = false;          // precision "tf32": TF32 GEMMs on a GPU
    int cuda_device = -1;       // device "cuda:N"; -1 = the CPU
    int n_threads = 1;
    // Per-sample covariates (train/objective.h), and log1p(x / size
    // factor) encoder input for count models.
    std::vector<double> size_factors;
    std::vector<int> batch;     // 1-based levels
    bool log1p = false;
    // A classifier's: 1-based classes, 0 unlabelled; a weight per class.
    std::vector<int> labels;
    std::vector<double> class_weights;
    // A multi-label model's targets, labels x n (NaN unknown).
    std::vector<double> targets;
};

// The kinds of values an option takes.
enum class OptionKind { integer, number, flag, text, numbers, integers };
const char* option_kind_name(OptionKind kind);

// One option's value, converted by the caller's reader to its kind: the
// member of that kind is the one set.
struct OptionValue {
    int integer = 0;
    double number = 0.0;
    bool flag = false;
    std::string text;
    std::vector<double> numbers;
    std::vector<int> integers;
};

struct OptionField {
    const char* name;
    OptionKind kind;
    // Stores the value; throws BadArgument naming the field and the value
    // when it is not one the engine takes.
    void (*set)(EngineOptions& options, const OptionValue& value);
};

// Every field, in the order of the table.
const std::vector<OptionField>& option_fields();
// The field of that name; BadArgument naming the known ones otherwise.
const OptionField& option_field(const std::string& name);
// Checks the whole set once every given field is stored.
void validate(const EngineOptions& options);

}  // namespace exprae
