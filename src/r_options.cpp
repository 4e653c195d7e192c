#include "r_options.h"

#include <cmath>
#include <string>

namespace exprae {

namespace {

[[noreturn]] void wrong_kind(const char* name, OptionKind kind) {
    static const char* what[] = {
        "a whole number", "a number", "TRUE or FALSE", "a string",
        "a numeric vector", "a vector of whole numbers"};
    throw BadArgument(std::string("engine option '") + name + "' must be " +
                      what[static_cast<int>(kind)]);
}

double single_number(SEXP x, const OptionField& f) {
    if ((TYPEOF(x) != REALSXP && TYPEOF(x) != INTSXP) || Rf_length(x) != 1)
        wrong_kind(f.name, f.kind);
    double v = Rf_asReal(x);
    if (!std::isfinite(v)) wrong_kind(f.name, f.kind);
    return v;
}

// R's value of one field, as the field's kind.
OptionValue value_from_r(SEXP x, const OptionField& f) {
    OptionValue v;
    switch (f.kind) {
    case OptionKind::integer: {
        double d = single_number(x, f);
        if (d != std::floor(d) || std::fabs(d) > 2147483647.0)
            wrong_kind(f.name, f.kind);
        v.integer = static_cast<int>(d);
        break;
    }
    case OptionKind::number: v.number = single_number(x, f); break;
    case OptionKind::flag:
        if (TYPEOF(x) != LGLSXP || Rf_length(x) != 1 ||
            LOGICAL(x)[0] == NA_LOGICAL)
            wrong_kind(f.name, f.kind);
        v.flag = LOGICAL(x)[0] != 0;
        break;
    case OptionKind::text:
        if (TYPEOF(x) != STRSXP || Rf_length(x) != 1 ||
            STRING_ELT(x, 0) == NA_STRING)
            wrong_kind(f.name, f.kind);
        v.text = CHAR(STRING_ELT(x, 0));
        break;
    case OptionKind::numbers:
        if (TYPEOF(x) != REALSXP && TYPEOF(x) != INTSXP)
            wrong_kind(f.name, f.kind);
        v.numbers = Rcpp::as<std::vector<double>>(x);
        break;
    case OptionKind::integers: {
        if (TYPEOF(x) != INTSXP && TYPEOF(x) != REALSXP)
            wrong_kind(f.name, f.kind);
        for (double d : Rcpp::as<std::vector<double>>(x)) {
            if (std::isnan(d)) {
                throw BadInput(std::string("engine option '") + f.name +
                               "' holds NA");
            }
            if (d != std::floor(d) || std::fabs(d) > 2147483647.0)
                wrong_kind(f.name, f.kind);
            v.integers.push_back(static_cast<int>(d));
        }
        break;
    }
    }
    return v;
}

}  // namespace

EngineOptions options_from_r(const Rcpp::List& list) {
    EngineOptions o;
    if (list.size() == 0) return o;
    Rcpp::CharacterVector names = list.names();
    if (Rf_isNull(names)) throw BadArgument("engine options must be named");
    for (R_xlen_t k = 0; k < list.size(); ++k) {
        SEXP x = list[k];
        const OptionField& f =
            option_field(Rcpp::as<std::string>(names[k]));
        if (Rf_isNull(x)) continue;  // the default
        f.set(o, value_from_r(x, f));
    }
    validate(o);
    return o;
}

Covariates covariates_of(const EngineOptions& o, index_t n_batches,
                         DataSource& data) {
    Covariates cov;
    cov.n_batches = n_batches;
    cov.size_factors = o.size_factors;
    for (int level : o.batch) cov.batch.push_back(level - 1);
    for (int y : o.labels) cov.labels.push_back(y - 1);
    cov.class_weights = o.class_weights;
    cov.targets = o.targets;
    if (o.log1p) {
        data.set_log1p(cov.size_factors.empty()
                           ? std::vector<double>(data.n_samples(), 1.0)
                           : cov.size_factors);
    }
    return cov;
}

}  // namespace exprae

// The option table for the R layer's builder: list(name = kind).
// [[Rcpp::export(.engine_option_kinds)]]
Rcpp::List engine_option_kinds() {
    Rcpp::List out;
    std::vector<std::string> names;
    for (const exprae::OptionField& f : exprae::option_fields()) {
        out.push_back(std::string(exprae::option_kind_name(f.kind)));
        names.push_back(f.name);
    }
    out.names() = Rcpp::wrap(names);
    return out;
}
