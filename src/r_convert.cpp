#include "r_convert.h"

#include <cmath>
#include <string>
#include <vector>

#include "cpu/parallel.h"
#include "r_stream_source.h"

namespace exprae {

namespace {
std::vector<double> per_feature(SEXP v, index_t n, const char* what) {
    Rcpp::NumericVector values(v);
    if (values.size() != n) {
        throw std::invalid_argument(std::string(what) + " has " +
                                    std::to_string(values.size()) +
                                    " values for " + std::to_string(n) +
                                    " features");
    }
    return std::vector<double>(values.begin(), values.end());
}
}  // namespace

std::unique_ptr<DataSource> data_source_from_r(SEXP x, SEXP center,
                                               SEXP scale) {
    if (Rf_isMatrix(x) && TYPEOF(x) == REALSXP) {
        index_t rows = Rf_nrows(x), cols = Rf_ncols(x);
        return std::make_unique<DenseSource>(
            REAL(x), rows, cols, per_feature(center, rows, "center"),
            per_feature(scale, rows, "scale"));
    }
    if (Rf_isS4(x) && Rf_inherits(x, "dgCMatrix")) {
        Rcpp::S4 m(x);
        Rcpp::IntegerVector dim = m.slot("Dim");
        Rcpp::IntegerVector i = m.slot("i"), p = m.slot("p");
        Rcpp::NumericVector values = m.slot("x");
        // The slots stay protected by `x` itself, so raw pointers are safe.
        return std::make_unique<SparseSource>(
            i.begin(), p.begin(), values.begin(), dim[0], dim[1],
            per_feature(center, dim[0], "center"),
            per_feature(scale, dim[0], "scale"));
    }
    if (Rf_inherits(x, "exprae_reader")) {
        // list(reader, read_rows, rows (1-based, or NULL: all), ncol,
        // block_size): see StreamSource
        Rcpp::List l(x);
        std::vector<index_t> rows;
        if (!Rf_isNull(l["rows"])) {
            for (int r : Rcpp::IntegerVector(l["rows"])) rows.push_back(r - 1);
        }
        index_t read_rows = Rcpp::as<int>(l["read_rows"]);
        index_t n = rows.empty() ? read_rows : rows.size();
        return std::make_unique<StreamSource>(
            Rcpp::Function(l["reader"]), read_rows, std::move(rows),
            Rcpp::as<int>(l["ncol"]), Rcpp::as<int>(l["block_size"]),
            per_feature(center, n, "center"), per_feature(scale, n, "scale"));
    }
    throw std::invalid_argument("x must be a double matrix, a dgCMatrix or a "
                                "matrix reader (genes x samples)");
}

namespace {
std::vector<LayerSpec> layers_from_r(const Rcpp::List& layers) {
    std::vector<LayerSpec> out;
    for (R_xlen_t k = 0; k < layers.size(); ++k) {
        Rcpp::List l = layers[k];
        LayerSpec s;
        s.kind = parse_layer_kind(Rcpp::as<std::string>(l["type"]));
        if (s.kind == LayerKind::dense) {
            s.units = Rcpp::as<int>(l["units"]);
            s.activation =
                parse_activation(Rcpp::as<std::string>(l["activation"]));
        }
        if (s.kind == LayerKind::dropout) s.rate = Rcpp::as<double>(l["rate"]);
        out.push_back(s);
    }
    return out;
}
}  // namespace

ModelSpec model_spec_from_r(const Rcpp::List& model, index_t n_input) {
    ModelSpec spec;
    spec.n_input = n_input;
    spec.encoder = layers_from_r(model["encoder"]);
    spec.decoder = layers_from_r(model["decoder"]);
    if (model.containsElementNamed("likelihood"))
        spec.likelihood =
            parse_likelihood(Rcpp::as<std::string>(model["likelihood"]));
    if (model.containsElementNamed("variational"))
        spec.variational = Rcpp::as<bool>(model["variational"]);
    if (model.containsElementNamed("n_batches"))
        spec.n_batches = Rcpp::as<int>(model["n_batches"]);
    if (model.containsElementNamed("dispersion")) {
        std::string d = Rcpp::as<std::string>(model["dispersion"]);
        if (d != "gene" && d != "gene-batch") {
            throw std::invalid_argument(
                "dispersion must be 'gene' or 'gene-batch', got '" + d + "'");
        }
        spec.dispersion_per_batch = d == "gene-batch";
    }
    validate(spec);
    return spec;
}

namespace {
bool flag(const Rcpp::List& l, const char* name) {
    return l.containsElementNamed(name) && !Rf_isNull(l[name]) &&
           Rcpp::as<bool>(l[name]);
}
}  // namespace

Covariates covariates_from_r(const Rcpp::List& o, index_t n_batches,
                             DataSource& data) {
    Covariates cov;
    cov.n_batches = n_batches;
    if (o.containsElementNamed("size_factors") && !Rf_isNull(o["size_factors"]))
        cov.size_factors = Rcpp::as<std::vector<double>>(o["size_factors"]);
    if (o.containsElementNamed("batch") && !Rf_isNull(o["batch"])) {
        Rcpp::IntegerVector b = o["batch"];
        for (int level : b) {
            if (level == NA_INTEGER)
                throw std::invalid_argument("batch holds NA");
            cov.batch.push_back(level - 1);
        }
    }
    if (flag(o, "log1p")) {
        data.set_log1p(cov.size_factors.empty()
                           ? std::vector<double>(data.n_samples(), 1.0)
                           : cov.size_factors);
    }
    return cov;
}

std::uint64_t seed_from_r(SEXP value) {
    Rcpp::NumericVector seed(value);
    if (seed.size() != 2) throw std::invalid_argument("seed needs 2 numbers");
    return (static_cast<std::uint64_t>(seed[0]) << 32) ^
           static_cast<std::uint64_t>(seed[1]);
}

TrainOptions train_options_from_r(const Rcpp::List& o) {
    TrainOptions t;
    t.epochs = Rcpp::as<int>(o["epochs"]);
    t.batch_size = Rcpp::as<int>(o["batch_size"]);
    t.learning_rate = Rcpp::as<double>(o["learning_rate"]);
    t.optimizer.kind = parse_optimizer(Rcpp::as<std::string>(o["optimizer"]));
    t.optimizer.weight_decay = Rcpp::as<double>(o["weight_decay"]);
    t.optimizer.momentum = Rcpp::as<double>(o["momentum"]);
    t.validation_split = Rcpp::as<double>(o["validation_split"]);
    t.patience = Rcpp::as<int>(o["patience"]);
    t.lr_decay = Rcpp::as<double>(o["lr_decay"]);
    t.lr_patience = Rcpp::as<int>(o["lr_patience"]);
    t.clip_norm = Rcpp::as<double>(o["clip_norm"]);
    if (o.containsElementNamed("corruption")) {
        t.corruption.kind =
            parse_corruption(Rcpp::as<std::string>(o["corruption"]));
        t.corruption.rate = Rcpp::as<double>(o["corruption_rate"]);
    }
    if (o.containsElementNamed("kl_warmup"))
        t.kl_warmup = Rcpp::as<int>(o["kl_warmup"]);
    t.seed = seed_from_r(o["seed"]);
    validate(t);
    return t;
}

DType dtype_from_r(const Rcpp::List& options) {
    std::string p = Rcpp::as<std::string>(options["precision"]);
    if (p == "float" || p == "tf32") return DType::f32;
    if (p == "double") return DType::f64;
    throw std::invalid_argument(
        "precision must be 'float', 'tf32' or 'double', got '" + p + "'");
}

namespace {
void block_to_r(ParameterBlock& block, Rcpp::List& out,
                std::vector<std::string>& names) {
    for (int s = 0; s < block.count(); ++s) {
        const Tensor& t = block.variable(s).value();
        Rcpp::NumericMatrix m(t.rows(), t.cols());
        for (index_t k = 0; k < t.size(); ++k) m[k] = t.at(k);
        out.push_back(m);
        names.push_back(block.name(s));
    }
}

void block_from_r(ParameterBlock& block, const Rcpp::List& weights) {
    Rcpp::CharacterVector names = weights.names();
    for (int s = 0; s < block.count(); ++s) {
        const std::string& name = block.name(s);
        R_xlen_t k = 0;
        while (k < names.size() && Rcpp::as<std::string>(names[k]) != name) ++k;
        if (k == names.size())
            throw std::invalid_argument("weights lack '" + name + "'");
        Rcpp::NumericMatrix m = weights[k];
        const Tensor& t = block.variable(s).value();
        if (m.nrow() != t.rows() || m.ncol() != t.cols()) {
            throw std::invalid_argument(
                "weight '" + name + "' is " + std::to_string(m.nrow()) +
                " x " + std::to_string(m.ncol()) + ", the model needs " +
                t.shape_string());
        }
        for (index_t i = 0; i < t.size(); ++i) {
            if (!std::isfinite(m[i]))
                throw std::invalid_argument("weight '" + name +
                                            "' holds a non-finite value");
            t.set(i, 0, m[i]);
        }
    }
}
}  // namespace

Rcpp::List weights_to_r(Model& model) {
    Rcpp::List out;
    std::vector<std::string> names;
    block_to_r(model.parameters(), out, names);
    block_to_r(model.buffers(), out, names);
    out.names() = Rcpp::wrap(names);
    return out;
}

void weights_from_r(Model& model, const Rcpp::List& weights) {
    if (weights.size() > 0 && Rf_isNull(weights.names()))
        throw std::invalid_argument("weights must be a named list");
    block_from_r(model.parameters(), weights);
    block_from_r(model.buffers(), weights);
}

void threads_from_r(int n_threads) {
    if (n_threads < 1) throw std::invalid_argument("n_threads must be >= 1");
    cpu::set_num_threads(n_threads);
}

}  // namespace exprae
