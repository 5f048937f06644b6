// Options shared by the areas of kldiv: the unit of a result (its logarithm
// base), what kind of numbers an input holds, and explicit smoothing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kldiv {

/// The logarithm base of a result, and so its unit: e gives nats, 2 bits,
/// 10 hartleys; any b > 1 is allowed (the unit is then "base-b units").
/// Results in base b are the natural-log results divided by ln b.
class log_base {
 public:
  /// Natural logarithm (nats).
  constexpr log_base() = default;
  /// Any base b > 1; throws InvalidArgument otherwise. Passing exactly
  /// 2 or 10 gives bits or hartleys; std::numbers::e gives nats.
  explicit log_base(double b);

  static log_base nats() { return log_base(); }
  static log_base bits() { return log_base(2.0); }
  static log_base hartleys() { return log_base(10.0); }

  /// The base b (e for nats).
  double value() const;
  /// ln b: the natural-log result is divided by this (1 for nats).
  double ln() const { return ln_b_; }
  bool is_natural() const { return ln_b_ == 1.0; }
  /// "nats", "bits", "hartleys" or "base-3 units".
  std::string unit() const;

 private:
  double b_ = 0.0;  // 0 marks e, so that nats divide by exactly 1
  double ln_b_ = 1.0;
};

/// What the numbers of an input vector are.
enum class input_kind {
  /// Probabilities: each in [0, 1], summing to 1 within the tolerance.
  probabilities,
  /// Non-negative weights of any positive total: divided by their sum.
  weights,
  /// Non-negative counts (whole numbers not required): divided by their
  /// total; the only kind additive (Laplace / Lidstone) smoothing applies to.
  counts,
};

/// Explicit smoothing; never applied unless asked for. Both inputs of a pair
/// are smoothed the same way.
struct smoothing {
  enum class method {
    none,
    /// Add alpha to every count, then renormalise: (c_i + alpha) / (N + k
    /// alpha).
    additive,
    /// Mix with the uniform distribution: (1 - lambda) p_i + lambda / k,
    /// where p is first normalised to sum to exactly 1.
    uniform_mix,
  };
  method kind = method::none;
  double amount = 0.0;  ///< alpha (additive) or lambda (uniform_mix)

  static smoothing none() { return {}; }
  static smoothing additive(double alpha) { return {method::additive, alpha}; }
  static smoothing uniform_mix(double lambda) {
    return {method::uniform_mix, lambda};
  }
  bool enabled() const { return kind != method::none; }
  /// "none", "additive alpha = 0.5" or "uniform mix lambda = 0.01".
  std::string describe() const;
};

/// Options of the discrete divergences (include/kldiv/discrete.hpp).
struct discrete_options {
  log_base base{};
  input_kind kind = input_kind::probabilities;
  smoothing smooth{};
  /// How far the sum of a probability vector may be from 1. Unset: 1e-6 for
  /// double inputs, 1e-4 for float inputs (whose rounding alone can move a
  /// long vector's sum by more than 1e-6). Ignored for weights and counts.
  std::optional<double> tolerance{};
  /// false skips every check of the inputs (signs, finiteness, sums): the
  /// caller vouches for them, and invalid input gives an unspecified result.
  bool validate = true;
  /// Threads for one long vector (blocks of 8192 entries; a result is
  /// bit-identical for any thread count). 0: OpenMP's default, which is
  /// OMP_NUM_THREADS when set and else all cores. Short inputs use one.
  int threads = 0;

  // Fluent setters, so that options read like a sentence at the call site:
  //   kldiv::kl(p, q, kldiv::discrete_options{}.in_base(2).counts())
  discrete_options& in_base(double b) {
    base = log_base(b);
    return *this;
  }
  /// The inputs are weights: divide each by its sum (`--normalize`).
  discrete_options& normalize() {
    kind = input_kind::weights;
    return *this;
  }
  /// The inputs are counts (`--counts`).
  discrete_options& counts() {
    kind = input_kind::counts;
    return *this;
  }
  discrete_options& smoothed(smoothing s) {
    smooth = s;
    return *this;
  }
  discrete_options& with_threads(int n) {
    threads = n;
    return *this;
  }
  discrete_options& with_tolerance(double t) {
    tolerance = t;
    return *this;
  }
};

/// "probabilities", "weights" or "counts".
std::string_view to_string(input_kind kind);

}  // namespace kldiv
