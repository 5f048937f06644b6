// The exceptions every kldiv function throws. All derive from kldiv::Error,
// itself a std::runtime_error, so one catch clause takes them all.
#pragma once

#include <stdexcept>
#include <string>

namespace kldiv {

/// Base of every exception kldiv throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Bad input: the message names the argument, the index and the value, and
/// what was expected (`q[17] = -0.2: probabilities must be >= 0`).
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

/// A valid request that has no implementation (e.g. a pair of distributions
/// with no closed form); the message names the method that does apply.
class NotSupported : public Error {
 public:
  using Error::Error;
};

/// A file that cannot be read or parsed; the message names the file and,
/// where it applies, the line and column.
class IoError : public Error {
 public:
  using Error::Error;
};

}  // namespace kldiv
