// The names the R layer uses for the engine's choices (likelihoods, layer
// kinds, activations): each list is one table in the engine, parsed and
// listed by these helpers, so that R asks for it instead of keeping a
// copy.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "errors.h"

namespace exprae {

template <typename E>
struct Named {
    const char* name;
    E value;
};

// "a, b, c"
inline std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

// BadArgument "unknown <what> '<name>' (<known>)"
[[noreturn]] inline void unknown_name(const char* what,
                                      const std::string& name,
                                      const std::vector<std::string>& known) {
    throw BadArgument("unknown " + std::string(what) + " '" + name + "' (" +
                      join_names(known) + ")");
}

template <typename E, std::size_t N>
std::vector<std::string> names_of(const Named<E> (&table)[N]) {
    std::vector<std::string> names;
    for (const Named<E>& entry : table) names.push_back(entry.name);
    return names;
}

template <typename E, std::size_t N>
E parse_name(const Named<E> (&table)[N], const std::string& name,
             const char* what) {
    for (const Named<E>& entry : table)
        if (name == entry.name) return entry.value;
    unknown_name(what, name, names_of(table));
}

template <typename E, std::size_t N>
const char* name_of(const Named<E> (&table)[N], E value) {
    for (const Named<E>& entry : table)
        if (entry.value == value) return entry.name;
    return table[0].name;
}

}  // namespace exprae
