#include "r_convert.h"

#include <cmath>
#include <string>
#include <vector>

#include "r_stream_source.h"
#include "train/sequence_source.h"

namespace exprae {

namespace {
std::vector<double> per_feature(SEXP v, index_t n, const char* what) {
    Rcpp::NumericVector values(v);
    if (values.size() != n) {
        throw BadArgument(std::string(what) + " has " +
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
    if (Rf_inherits(x, "exprae_sequences")) {
        // list(sequences = character, width, reverse_complement): one-hot
        // DNA, encoded here (train/sequence_source.h)
        Rcpp::List l(x);
        return std::make_unique<SequenceSource>(
            Rcpp::as<std::vector<std::string>>(l["sequences"]),
            Rcpp::as<int>(l["width"]), Rcpp::as<bool>(l["reverse_complement"]));
    }
    throw BadArgument("x must be a double matrix, a dgCMatrix, a "
                      "matrix reader (genes x samples) or sequences");
}

namespace {
// The settings of convolution, pooling and recurrent layers, where given.
void sequence_settings_from_r(const Rcpp::List& l, LayerSpec& s) {
    auto has = [&](const char* name) { return l.containsElementNamed(name); };
    if (s.kind != LayerKind::dense && has("units"))
        s.units = Rcpp::as<int>(l["units"]);
    if (s.kind == LayerKind::conv1d && has("activation"))
        s.activation = Rcpp::as<std::string>(l["activation"]);
    if (has("width")) s.width = Rcpp::as<int>(l["width"]);
    if (has("stride")) s.stride = Rcpp::as<int>(l["stride"]);
    if (has("dilation")) s.dilation = Rcpp::as<int>(l["dilation"]);
    if (has("padding")) {
        std::string p = Rcpp::as<std::string>(l["padding"]);
        if (p != "same" && p != "valid") {
            throw BadArgument("padding must be 'same' or 'valid', got '" +
                              p + "'");
        }
        s.same = p == "same";
    }
    if (has("bidirectional"))
        s.bidirectional = Rcpp::as<bool>(l["bidirectional"]);
    if (has("return_sequences"))
        s.return_sequences = Rcpp::as<bool>(l["return_sequences"]);
}

std::vector<LayerSpec> layers_from_r(const Rcpp::List& layers) {
    std::vector<LayerSpec> out;
    for (R_xlen_t k = 0; k < layers.size(); ++k) {
        Rcpp::List l = layers[k];
        LayerSpec s;
        s.kind = parse_layer_kind(Rcpp::as<std::string>(l["type"]));
        if (s.kind == LayerKind::dense) {
            s.units = Rcpp::as<int>(l["units"]);
            s.activation = Rcpp::as<std::string>(l["activation"]);
        }
        if (s.kind == LayerKind::dropout) s.rate = Rcpp::as<double>(l["rate"]);
        sequence_settings_from_r(l, s);
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
    if (model.containsElementNamed("classifier"))
        spec.classifier = layers_from_r(model["classifier"]);
    if (model.containsElementNamed("input_channels"))
        spec.input_channels = Rcpp::as<int>(model["input_channels"]);
    if (model.containsElementNamed("multi_label"))
        spec.multi_label = Rcpp::as<bool>(model["multi_label"]);
    if (model.containsElementNamed("label_weight"))
        spec.label_weight = Rcpp::as<double>(model["label_weight"]);
    if (model.containsElementNamed("adversary"))
        spec.adversary = layers_from_r(model["adversary"]);
    if (model.containsElementNamed("batch_penalty"))
        spec.batch_penalty = Rcpp::as<double>(model["batch_penalty"]);
    if (model.containsElementNamed("batch_mmd"))
        spec.batch_mmd = Rcpp::as<double>(model["batch_mmd"]);
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
            throw BadArgument(
                "dispersion must be 'gene' or 'gene-batch', got '" + d + "'");
        }
        spec.dispersion_per_batch = d == "gene-batch";
    }
    validate(spec);
    return spec;
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
            throw BadInput("weights lack '" + name + "'");
        Rcpp::NumericMatrix m = weights[k];
        const Tensor& t = block.variable(s).value();
        if (m.nrow() != t.rows() || m.ncol() != t.cols()) {
            throw BadInput(
                "weight '" + name + "' is " + std::to_string(m.nrow()) +
                " x " + std::to_string(m.ncol()) + ", the model needs " +
                t.shape_string());
        }
        for (index_t i = 0; i < t.size(); ++i) {
            if (!std::isfinite(m[i]))
                throw BadInput("weight '" + name +
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
        throw BadArgument("weights must be a named list");
    block_from_r(model.parameters(), weights);
    block_from_r(model.buffers(), weights);
}

}  // namespace exprae
