#include "ops/likelihood.h"

#include "names.h"

namespace exprae {

namespace {
// Every likelihood, by the name R gives it.
constexpr Named<Likelihood> kLikelihoods[] = {
    {"gaussian", Likelihood::gaussian},
    {"poisson", Likelihood::poisson},
    {"nb", Likelihood::nb},
    {"zinb", Likelihood::zinb},
};
}  // namespace

Likelihood parse_likelihood(const std::string& name) {
    return parse_name(kLikelihoods, name, "likelihood");
}

const char* likelihood_name(Likelihood likelihood) {
    return name_of(kLikelihoods, likelihood);
}

std::vector<std::string> likelihood_names() { return names_of(kLikelihoods); }

bool is_count(Likelihood likelihood) {
    return likelihood != Likelihood::gaussian;
}

bool has_dispersion(Likelihood likelihood) {
    return likelihood == Likelihood::nb || likelihood == Likelihood::zinb;
}

}  // namespace exprae
