// The engine's exceptions, one type per kind of failure. Messages name the
// offending value; the type says what kind of problem it is, so that the R
// glue can give each kind its own condition class without reading the
// message (R/conditions.R maps the C++ type names).
#pragma once

#include <stdexcept>
#include <string>

namespace exprae {

// A value the caller passed that cannot work: a shape, an option, a name.
class BadArgument : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Data that cannot be used as given: non-finite values, counts that are
// not counts, covariates that do not fit the samples.
class BadInput : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// A device's memory is exhausted, even after its cache of freed blocks was
// given back.
class OutOfMemory : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A device that cannot be used: no GPU, a failed CUDA call, or an op that
// has no kernel on it.
class DeviceError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace exprae
