#include "train/engine_options.h"

#include <cmath>

#include "names.h"

namespace exprae {

namespace {

// "cpu" or "cuda:N" -> -1 or N
int parse_device(const std::string& d) {
    if (d == "cpu") return -1;
    if (d.rfind("cuda:", 0) == 0 && d.size() > 5 &&
        d.find_first_not_of("0123456789", 5) == std::string::npos &&
        d.size() < 15) {
        return std::stoi(d.substr(5));
    }
    throw BadArgument("device must be 'cpu' or 'cuda:N', got '" + d + "'");
}

void set_precision(EngineOptions& o, const std::string& p) {
    if (p != "float" && p != "tf32" && p != "double") {
        throw BadArgument("precision must be 'float', 'tf32' or 'double', "
                          "got '" + p + "'");
    }
    o.dtype = p == "double" ? DType::f64 : DType::f32;
    o.tf32 = p == "tf32";
}

// Two numbers drawn by R's RNG -> one 64-bit seed.
std::uint64_t seed_of(const std::vector<double>& s) {
    if (s.size() != 2 || !(s[0] >= 0) || !(s[1] >= 0) ||
        !(s[0] < 4294967296.0) || !(s[1] < 4294967296.0)) {
        throw BadArgument("seed needs 2 numbers in [0, 2^32)");
    }
    return (static_cast<std::uint64_t>(s[0]) << 32) ^
           static_cast<std::uint64_t>(s[1]);
}

using O = EngineOptions;
using V = OptionValue;

// The table. Each setter stores one field; ranges that depend on several
// fields are checked by validate().
const std::vector<OptionField> kFields = {
    {"epochs", OptionKind::integer,
     [](O& o, const V& v) { o.train.epochs = v.integer; }},
    {"batch_size", OptionKind::integer,
     [](O& o, const V& v) { o.train.batch_size = v.integer; }},
    {"learning_rate", OptionKind::number,
     [](O& o, const V& v) { o.train.learning_rate = v.number; }},
    {"optimizer", OptionKind::text,
     [](O& o, const V& v) {
         o.train.optimizer.kind = parse_optimizer(v.text);
     }},
    {"weight_decay", OptionKind::number,
     [](O& o, const V& v) { o.train.optimizer.weight_decay = v.number; }},
    {"momentum", OptionKind::number,
     [](O& o, const V& v) { o.train.optimizer.momentum = v.number; }},
    {"validation_split", OptionKind::number,
     [](O& o, const V& v) { o.train.validation_split = v.number; }},
    {"patience", OptionKind::integer,
     [](O& o, const V& v) { o.train.patience = v.integer; }},
    {"lr_decay", OptionKind::number,
     [](O& o, const V& v) { o.train.lr_decay = v.number; }},
    {"lr_patience", OptionKind::integer,
     [](O& o, const V& v) { o.train.lr_patience = v.integer; }},
    {"clip_norm", OptionKind::number,
     [](O& o, const V& v) { o.train.clip_norm = v.number; }},
    {"corruption", OptionKind::text,
     [](O& o, const V& v) {
         o.train.corruption.kind = parse_corruption(v.text);
     }},
    {"corruption_rate", OptionKind::number,
     [](O& o, const V& v) { o.train.corruption.rate = v.number; }},
    {"kl_warmup", OptionKind::integer,
     [](O& o, const V& v) { o.train.kl_warmup = v.integer; }},
    {"seed", OptionKind::numbers,
     [](O& o, const V& v) {
         o.train.seed = o.predict.seed = seed_of(v.numbers);
     }},
    {"n_threads", OptionKind::integer,
     [](O& o, const V& v) { o.n_threads = v.integer; }},
    {"precision", OptionKind::text,
     [](O& o, const V& v) { set_precision(o, v.text); }},
    {"device", OptionKind::text,
     [](O& o, const V& v) { o.cuda_device = parse_device(v.text); }},
    {"size_factors", OptionKind::numbers,
     [](O& o, const V& v) { o.size_factors = v.numbers; }},
    {"batch", OptionKind::integers,
     [](O& o, const V& v) { o.batch = v.integers; }},
    {"log1p", OptionKind::flag,
     [](O& o, const V& v) { o.log1p = v.flag; }},
    {"transform_batch", OptionKind::integer,  // 1-based; 0 = none
     [](O& o, const V& v) { o.predict.transform_batch = v.integer - 1; }},
    {"sample", OptionKind::flag,
     [](O& o, const V& v) { o.predict.sample = v.flag; }},
    {"first_sample", OptionKind::integer,  // 0-based, of a chunk
     [](O& o, const V& v) { o.predict.first_sample = v.integer; }},
    {"labels", OptionKind::integers,  // 1-based classes; 0 = unlabelled
     [](O& o, const V& v) { o.labels = v.integers; }},
    {"targets", OptionKind::numbers,  // labels x n, NaN unknown
     [](O& o, const V& v) { o.targets = v.numbers; }},
    {"class_weights", OptionKind::numbers,
     [](O& o, const V& v) { o.class_weights = v.numbers; }},
    {"validation", OptionKind::integers,  // 1-based held-out samples
     [](O& o, const V& v) {
         o.train.validation.clear();
         for (int j : v.integers) o.train.validation.push_back(j - 1);
     }},
};

}  // namespace

const char* option_kind_name(OptionKind kind) {
    switch (kind) {
    case OptionKind::integer: return "integer";
    case OptionKind::number: return "number";
    case OptionKind::flag: return "flag";
    case OptionKind::text: return "text";
    case OptionKind::numbers: return "numbers";
    case OptionKind::integers: return "integers";
    }
    return "number";
}

const std::vector<OptionField>& option_fields() { return kFields; }

const OptionField& option_field(const std::string& name) {
    std::vector<std::string> known;
    for (const OptionField& f : kFields) {
        if (name == f.name) return f;
        known.push_back(f.name);
    }
    unknown_name("engine option", name, known);
}

void validate(const EngineOptions& o) {
    validate(o.train);
    if (o.n_threads < 1) throw BadArgument("n_threads must be >= 1");
    if (o.cuda_device >= 0 && o.dtype == DType::f64) {
        throw BadArgument("precision 'double' is for the CPU only; use "
                          "'float' or 'tf32' on a GPU");
    }
    if (o.predict.transform_batch < -1)
        throw BadArgument("transform_batch must be >= 0");
    if (o.predict.first_sample < 0)
        throw BadArgument("first_sample must be >= 0");
    for (int level : o.batch) {
        if (level < 1) {
            throw BadInput("batch levels must be whole numbers >= 1, got " +
                           std::to_string(level));
        }
    }
    for (int y : o.labels) {
        if (y < 0) {
            throw BadInput("labels must be whole numbers >= 0 (0: "
                           "unlabelled), got " + std::to_string(y));
        }
    }
}

}  // namespace exprae
