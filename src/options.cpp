#include "kldiv/options.hpp"

#include <cmath>
#include <numbers>

#include "format_number.hpp"
#include "kldiv/error.hpp"

namespace kldiv {

log_base::log_base(double b) {
  if (!(b > 1.0) || !std::isfinite(b)) {
    throw InvalidArgument("base = " + detail::format_number(b) +
                          ": the logarithm base must be > 1 (e for nats, 2 "
                          "for bits, 10 for hartleys, or any b > 1)");
  }
  if (b == std::numbers::e) return;  // nats: divide by exactly 1
  b_ = b;
  // The constants are the correctly rounded logarithms; std::log need not be.
  ln_b_ = b == 2.0    ? std::numbers::ln2
          : b == 10.0 ? std::numbers::ln10
                      : std::log(b);
}

double log_base::value() const { return b_ == 0.0 ? std::numbers::e : b_; }

std::string log_base::unit() const {
  if (b_ == 0.0) return "nats";
  if (b_ == 2.0) return "bits";
  if (b_ == 10.0) return "hartleys";
  return "base-" + detail::format_number(b_) + " units";
}

std::string smoothing::describe() const {
  switch (kind) {
    case method::none:
      return "none";
    case method::additive:
      return "additive alpha = " + detail::format_number(amount);
    case method::uniform_mix:
      return "uniform mix lambda = " + detail::format_number(amount);
  }
  return "none";
}

std::string_view to_string(input_kind kind) {
  switch (kind) {
    case input_kind::probabilities:
      return "probabilities";
    case input_kind::weights:
      return "weights";
    case input_kind::counts:
      return "counts";
  }
  return "probabilities";
}

}  // namespace kldiv
