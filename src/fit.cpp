// Maximum likelihood fits of one-dimensional families and their ranking by
// KL(empirical || model); see kldiv/fit.hpp for the estimators. Raw data and
// count tables are both reduced to one table of distinct values (ascending)
// with their counts, and every sum runs over that table in that order, so
// the two forms give the same bits.
#include "kldiv/fit.hpp"

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/exponential.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/weibull.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <numeric>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "format_number.hpp"
#include "kldiv/distributions.hpp"
#include "kldiv/error.hpp"
#include "kldiv/estimators.hpp"
#include "math_policy.hpp"

namespace kldiv {
namespace {

using detail::format_number;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Whole numbers up to 2^53 are exact in a double (and fit an int64).
constexpr double kMaxWhole = 9007199254740992.0;

constexpr fit_family kAll[] = {fit_family::uniform,
                               fit_family::binomial,
                               fit_family::poisson,
                               fit_family::geometric,
                               fit_family::negative_binomial,
                               fit_family::normal,
                               fit_family::lognormal,
                               fit_family::exponential,
                               fit_family::gamma,
                               fit_family::weibull,
                               fit_family::beta};

double digamma(double x) { return boost::math::digamma(x); }
double trigamma(double x) { return boost::math::trigamma(x); }

// The distinct values in ascending order with their counts; `first` is the
// index (in the caller's input) of a value's first occurrence, for messages.
struct table {
  std::string arg;  // "data" or "values"
  std::vector<double> v, w;
  std::vector<std::size_t> first;
  double n = 0.0;
  bool whole = true;  // every value a whole number within 2^53

  std::string at(std::size_t j) const {
    return arg + "[" + std::to_string(first[j]) + "] = " + format_number(v[j]);
  }
  double mean() const {
    double s = 0.0;
    for (std::size_t j = 0; j < v.size(); ++j) s += w[j] * v[j];
    return s / n;
  }
  // Σ w g(v) / n.
  template <class G>
  double average(G g) const {
    double s = 0.0;
    for (std::size_t j = 0; j < v.size(); ++j) s += w[j] * g(v[j]);
    return s / n;
  }
};

table make_table(std::span<const double> values, std::span<const double> counts,
                 const std::string& arg) {
  table t;
  t.arg = arg;
  std::vector<std::size_t> order;
  order.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      throw InvalidArgument("fit: " + arg + "[" + std::to_string(i) +
                            "] = " + format_number(values[i]) +
                            ": values must be finite");
    }
    if (!counts.empty()) {
      const double c = counts[i];
      if (!std::isfinite(c) || c < 0.0 || c != std::floor(c) || c > kMaxWhole) {
        throw InvalidArgument("fit: counts[" + std::to_string(i) +
                              "] = " + format_number(c) +
                              ": counts must be whole numbers >= 0");
      }
      if (c == 0.0) continue;
    }
    order.push_back(i);
  }
  if (order.empty()) {
    throw InvalidArgument(
        counts.empty()
            ? "fit: " + arg + " is empty: there is nothing to fit"
            : std::string("fit: every count is 0: there is nothing to fit"));
  }
  // Stable: the first occurrence of a value comes first.
  std::stable_sort(
      order.begin(), order.end(),
      [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  for (const std::size_t i : order) {
    const double c = counts.empty() ? 1.0 : counts[i];
    // -0.0 and 0.0 are one value.
    if (!t.v.empty() && t.v.back() == values[i]) {
      t.w.back() += c;
    } else {
      t.v.push_back(values[i] == 0.0 ? 0.0 : values[i]);
      t.w.push_back(c);
      t.first.push_back(i);
    }
    t.n += c;
  }
  for (const double x : t.v) {
    if (x != std::floor(x) || std::fabs(x) > kMaxWhole) t.whole = false;
  }
  return t;
}

fitted_model not_fitted(fitted_model m, std::string reason) {
  m.fitted = false;
  m.reason = std::move(reason);
  m.parameters.clear();
  return m;
}

// Newton's method kept inside a bracket [lo, hi] on which f changes sign,
// bisecting whenever a Newton step would leave it or shrinks it too slowly
// (Numerical Recipes' rtsafe). f returns (value, derivative).
template <class F>
double safe_newton(F f, double lo, double hi, double x) {
  auto [flo, dlo] = f(lo);
  (void)dlo;
  const bool rising = flo < 0.0;  // f(lo) < 0 < f(hi)
  double dx_old = hi - lo, dx = dx_old;
  auto [fx, dfx] = f(x);
  for (int it = 0; it < 500; ++it) {
    if (fx == 0.0) return x;
    if ((fx < 0.0) == rising) {
      lo = x;
    } else {
      hi = x;
    }
    const double newton = x - fx / dfx;
    if (!(newton > lo && newton < hi) ||
        std::fabs(2.0 * fx) > std::fabs(dx_old * dfx)) {
      dx_old = dx;
      dx = 0.5 * (hi - lo);
      x = lo + dx;
    } else {
      dx_old = dx;
      dx = x - newton;
      x = newton;
    }
    if (std::fabs(dx) <=
            4.0 * std::numeric_limits<double>::epsilon() * std::fabs(x) ||
        hi - lo <=
            4.0 * std::numeric_limits<double>::epsilon() * std::fabs(x)) {
      return x;
    }
    std::tie(fx, dfx) = f(x);
  }
  return x;
}

// A bracket around the root of f, decreasing in x > 0, from a guess > 0.
template <class F>
std::pair<double, double> bracket_decreasing(F f, double guess) {
  double lo = guess, hi = guess;
  for (int i = 0; i < 2000 && f(lo).first <= 0.0; ++i) lo *= 0.5;
  for (int i = 0; i < 2000 && f(hi).first >= 0.0; ++i) hi *= 2.0;
  return {lo, hi};
}

// log k - ψ(k) and its derivative 1/k - ψ'(k); by the asymptotic series for
// large k, where the difference cancels.
std::pair<double, double> log_minus_digamma(double k) {
  if (k >= 50.0) {
    const double r = 1.0 / k, r2 = r * r;
    const double value =
        r * (0.5 + r * (1.0 / 12.0 -
                        r2 * (1.0 / 120.0 - r2 * (1.0 / 252.0 - r2 / 240.0))));
    const double deriv =
        -r2 * (0.5 + r * (1.0 / 6.0 -
                          r2 * (1.0 / 30.0 - r2 * (1.0 / 42.0 - r2 / 30.0))));
    return {value, deriv};
  }
  return {std::log(k) - digamma(k), 1.0 / k - trigamma(k)};
}

// k log k - k - lgamma(k), which cancels to (1/2) log(k / 2 pi) + O(1/k)
// for large k: there Stirling's series, -sum B_2j / (2j (2j - 1) k^(2j - 1))
// after the log term (truncated after j = 4: error below 2e-15 for k >= 20).
double k_log_k_minus_k_minus_lgamma(double k) {
  if (k < 20.0) return k * std::log(k) - k - std::lgamma(k);
  const double r = 1.0 / k, r2 = r * r;
  const double series =
      r * (1.0 / 12.0 - r2 * (1.0 / 360.0 - r2 * (1.0 / 1260.0 - r2 / 1680.0)));
  return 0.5 * std::log(k / (2.0 * std::numbers::pi)) - series;
}

// ---------------------------------------------------------------------------
// The fits. Each returns the model with its parameters and log-likelihood
// (k, AIC, BIC and KL are filled in afterwards), or not fitted.

template <class D, class LogF>
double log_likelihood(const table& t, const D& d, LogF log_f) {
  double s = 0.0;
  for (std::size_t j = 0; j < t.v.size(); ++j) s += t.w[j] * log_f(d, t.v[j]);
  return s;
}

std::int64_t whole(double x) { return static_cast<std::int64_t>(x); }

double negative_binomial_log_pmf(double r, double mean, double x) {
  // p = r / (r + mean): r log p = -r log1p(mean / r), x log(1 - p) =
  // x log(mean / (r + mean)).
  double lp = std::lgamma(x + r) - std::lgamma(r) - std::lgamma(x + 1.0) -
              r * std::log1p(mean / r);
  if (x > 0.0) lp += x * std::log(mean / (r + mean));
  return lp;
}

fitted_model fit_one(fit_family f, const table& t, const fit_options& o) {
  fitted_model m;
  m.family = f;
  m.name = std::string(name(f));
  m.fitted = true;
  const double lo = t.v.front(), hi = t.v.back();
  const bool spread = t.v.size() > 1;
  const std::string degenerate =
      "all values are equal (" + t.at(0) + "): the MLE is degenerate";
  auto need_nonnegative = [&]() -> std::string {
    if (lo < 0.0) return "needs values >= 0, but " + t.at(0);
    return {};
  };
  auto need_positive = [&]() -> std::string {
    if (lo <= 0.0) return "needs values > 0, but " + t.at(0);
    return {};
  };
  switch (f) {
    case fit_family::uniform: {
      m.parameters = {{"low", lo}, {"high", hi}};
      m.k = 2;
      m.log_likelihood = -t.n * std::log(hi - lo + 1.0);
      return m;
    }
    case fit_family::binomial: {
      if (auto r = need_nonnegative(); !r.empty()) return not_fitted(m, r);
      const std::int64_t n = o.binomial_n ? *o.binomial_n : whole(hi);
      if (o.binomial_n && static_cast<double>(n) < hi) {
        return not_fitted(m, t.at(t.v.size() - 1) +
                                 " exceeds the given n = " + std::to_string(n));
      }
      if (n == 0) {
        return not_fitted(
            m, "every value is 0, so n = 0 and p is not identifiable");
      }
      const double p = std::min(1.0, t.mean() / static_cast<double>(n));
      const binomial d(n, p);
      m.parameters = {{"n", static_cast<double>(n)}, {"p", p}};
      m.k = o.binomial_n ? 1 : 2;
      m.log_likelihood =
          log_likelihood(t, d, [](const binomial& dist, double x) {
            return log_pmf(dist, whole(x));
          });
      return m;
    }
    case fit_family::poisson: {
      if (auto r = need_nonnegative(); !r.empty()) return not_fitted(m, r);
      const double mean = t.mean();
      if (mean == 0.0) {
        return not_fitted(m, "every value is 0: the MLE rate 0 is degenerate");
      }
      const poisson d(mean);
      m.parameters = {{"rate", mean}};
      m.k = 1;
      m.log_likelihood =
          log_likelihood(t, d, [](const poisson& dist, double x) {
            return log_pmf(dist, whole(x));
          });
      return m;
    }
    case fit_family::geometric: {
      if (auto r = need_nonnegative(); !r.empty()) return not_fitted(m, r);
      const double p = 1.0 / (1.0 + t.mean());
      const geometric d(p);
      m.parameters = {{"p", p}};
      m.k = 1;
      m.log_likelihood =
          log_likelihood(t, d, [](const geometric& dist, double x) {
            return log_pmf(dist, whole(x));
          });
      return m;
    }
    case fit_family::negative_binomial: {
      if (auto r = need_nonnegative(); !r.empty()) return not_fitted(m, r);
      const double mean = t.mean();
      const double var =
          t.average([&](double x) { return (x - mean) * (x - mean); });
      if (!(var > mean)) {
        return not_fitted(m, "the variance (" + format_number(var) +
                                 ", with 1/n) does not exceed the mean (" +
                                 format_number(mean) +
                                 "): the likelihood grows without bound in r "
                                 "(the Poisson limit), no finite MLE");
      }
      // Profile score in r (p = r / (r + mean) eliminated), decreasing
      // through its root: Σ w [ψ(x + r) - ψ(r)] / n + log(r / (r + mean)).
      // ψ(x + r) - ψ(r) = Σ_{j < x} 1 / (r + j) for whole x, summed directly
      // for small x (no cancellation), by digamma otherwise.
      auto score = [&](double r) {
        double s = 0.0, ds = 0.0;
        for (std::size_t j = 0; j < t.v.size(); ++j) {
          const double x = t.v[j];
          double a = 0.0, da = 0.0;
          if (x <= 64.0) {
            for (double i = x - 1.0; i >= 0.0; i -= 1.0) {
              a += 1.0 / (r + i);
              da -= 1.0 / ((r + i) * (r + i));
            }
          } else {
            a = digamma(x + r) - digamma(r);
            da = trigamma(x + r) - trigamma(r);
          }
          s += t.w[j] * a;
          ds += t.w[j] * da;
        }
        return std::pair{s / t.n - std::log1p(mean / r),
                         ds / t.n + mean / (r * (r + mean))};
      };
      const double guess = mean * mean / (var - mean);
      const auto [a, b] = bracket_decreasing(score, guess);
      const double r = safe_newton(score, a, b, std::clamp(guess, a, b));
      const double p = r / (r + mean);
      m.parameters = {{"r", r}, {"p", p}};
      m.k = 2;
      double ll = 0.0;
      for (std::size_t j = 0; j < t.v.size(); ++j) {
        ll += t.w[j] * negative_binomial_log_pmf(r, mean, t.v[j]);
      }
      m.log_likelihood = ll;
      return m;
    }
    case fit_family::normal: {
      if (!spread) return not_fitted(m, degenerate);
      const double mean = t.mean();
      const double sd = std::sqrt(
          t.average([&](double x) { return (x - mean) * (x - mean); }));
      const normal d(mean, sd);
      m.parameters = {{"loc", mean}, {"scale", sd}};
      m.k = 2;
      m.log_likelihood = log_likelihood(
          t, d, [](const normal& dist, double x) { return log_pdf(dist, x); });
      return m;
    }
    case fit_family::lognormal: {
      if (auto r = need_positive(); !r.empty()) return not_fitted(m, r);
      if (!spread) return not_fitted(m, degenerate);
      const double mu = t.average([](double x) { return std::log(x); });
      const double sd = std::sqrt(t.average([&](double x) {
        const double z = std::log(x) - mu;
        return z * z;
      }));
      const lognormal d(mu, sd);
      m.parameters = {{"loc", mu}, {"scale", sd}};
      m.k = 2;
      m.log_likelihood = log_likelihood(
          t, d,
          [](const lognormal& dist, double x) { return log_pdf(dist, x); });
      return m;
    }
    case fit_family::exponential: {
      if (auto r = need_nonnegative(); !r.empty()) return not_fitted(m, r);
      const double mean = t.mean();
      if (mean == 0.0) {
        return not_fitted(m, "every value is 0: the MLE rate is infinite");
      }
      const exponential d(1.0 / mean);
      m.parameters = {{"rate", 1.0 / mean}};
      m.k = 1;
      m.log_likelihood = log_likelihood(
          t, d,
          [](const exponential& dist, double x) { return log_pdf(dist, x); });
      return m;
    }
    case fit_family::gamma: {
      if (auto r = need_positive(); !r.empty()) return not_fitted(m, r);
      if (!spread) return not_fitted(m, degenerate);
      const double mean = t.mean();
      // s = log mean - mean(log x) > 0, as -mean(log(x / mean)) (no
      // cancellation between two large logarithms).
      const double s = -t.average([&](double x) { return std::log(x / mean); });
      auto score = [&](double k) {
        const auto [v, dv] = log_minus_digamma(k);
        return std::pair{v - s, dv};
      };
      // Minka's (2002) starting point.
      const double guess =
          (3.0 - s + std::sqrt((s - 3.0) * (s - 3.0) + 24.0 * s)) / (12.0 * s);
      const auto [a, b] = bracket_decreasing(score, guess);
      const double k = safe_newton(score, a, b, std::clamp(guess, a, b));
      m.parameters = {{"shape", k}, {"rate", k / mean}};
      m.k = 2;
      // From the sufficient statistics (no density per value): with rate =
      // k / mean, l / n = k log rate - lgamma(k) + (k - 1) mean(log x) -
      // rate mean = c(k) - log mean - (k - 1) s, c(k) = k log k - k -
      // lgamma(k).
      m.log_likelihood = t.n * (k_log_k_minus_k_minus_lgamma(k) -
                                std::log(mean) - (k - 1.0) * s);
      return m;
    }
    case fit_family::weibull: {
      if (auto r = need_positive(); !r.empty()) return not_fitted(m, r);
      if (!spread) return not_fitted(m, degenerate);
      // The profile equation is the same for x / max(x) (then y^k <= 1: no
      // overflow); log y <= 0.
      std::vector<double> ly(t.v.size());
      for (std::size_t j = 0; j < ly.size(); ++j) ly[j] = std::log(t.v[j] / hi);
      double mean_ly = 0.0;
      for (std::size_t j = 0; j < ly.size(); ++j) mean_ly += t.w[j] * ly[j];
      mean_ly /= t.n;
      // -(Σ w y^k log y / Σ w y^k - 1/k - mean(log y)): decreasing in k.
      auto score = [&](double k) {
        double b = 0.0, a = 0.0, c = 0.0;
        for (std::size_t j = 0; j < ly.size(); ++j) {
          const double yk = t.w[j] * std::exp(k * ly[j]);
          b += yk;
          a += yk * ly[j];
          c += yk * ly[j] * ly[j];
        }
        const double ab = a / b;
        return std::pair{-(ab - 1.0 / k - mean_ly),
                         -(c / b - ab * ab + 1.0 / (k * k))};
      };
      double var_ly = 0.0;
      for (std::size_t j = 0; j < ly.size(); ++j) {
        var_ly += t.w[j] * (ly[j] - mean_ly) * (ly[j] - mean_ly);
      }
      // sd(log x) = π / (k √6) for the Weibull.
      const double guess = std::numbers::pi / std::sqrt(6.0 * var_ly / t.n);
      const auto [a, b] = bracket_decreasing(score, guess);
      const double k = safe_newton(score, a, b, std::clamp(guess, a, b));
      double sum = 0.0;
      for (std::size_t j = 0; j < ly.size(); ++j) {
        sum += t.w[j] * std::exp(k * ly[j]);
      }
      const double scale = hi * std::pow(sum / t.n, 1.0 / k);
      const weibull d(scale, k);
      m.parameters = {{"scale", scale}, {"shape", k}};
      m.k = 2;
      m.log_likelihood = log_likelihood(
          t, d, [](const weibull& dist, double x) { return log_pdf(dist, x); });
      return m;
    }
    case fit_family::beta: {
      if (lo < 0.0 || hi > 1.0) {
        return not_fitted(m, "needs values in [0, 1], but " +
                                 t.at(lo < 0.0 ? 0 : t.v.size() - 1));
      }
      if (lo == 0.0 || hi == 1.0) {
        return not_fitted(
            m,
            t.at(lo == 0.0 ? 0 : t.v.size() - 1) +
                " is on the boundary: the beta likelihood is 0 or unbounded "
                "there, so the MLE needs every value strictly inside (0, 1)");
      }
      if (!spread) return not_fitted(m, degenerate);
      const double l1 = t.average([](double x) { return std::log(x); });
      const double l2 = t.average([](double x) { return std::log1p(-x); });
      // The log-likelihood per observation, concave in (a, b).
      auto ell = [&](double a, double b) {
        return (a - 1.0) * l1 + (b - 1.0) * l2 - std::lgamma(a) -
               std::lgamma(b) + std::lgamma(a + b);
      };
      const double mean = t.mean();
      const double var =
          t.average([&](double x) { return (x - mean) * (x - mean); });
      const double c = mean * (1.0 - mean) / var - 1.0;  // > 0 inside (0, 1)
      double a = mean * c, b = (1.0 - mean) * c;
      for (int it = 0; it < 200; ++it) {
        const double dab = digamma(a + b);
        const double ga = l1 - digamma(a) + dab, gb = l2 - digamma(b) + dab;
        const double tab = trigamma(a + b);
        const double jaa = trigamma(a) - tab, jbb = trigamma(b) - tab,
                     jab = -tab;
        const double det = jaa * jbb - jab * jab;
        const double da = (jbb * ga - jab * gb) / det;
        const double db = (jaa * gb - jab * ga) / det;
        const double e0 = ell(a, b);
        double step = 1.0;
        while (step > 1e-10 && (!(a + step * da > 0.0 && b + step * db > 0.0) ||
                                ell(a + step * da, b + step * db) <
                                    e0 - 1e-15 * std::fabs(e0))) {
          step *= 0.5;
        }
        a += step * da;
        b += step * db;
        if (std::fabs(step * da) <= 1e-15 * a &&
            std::fabs(step * db) <= 1e-15 * b)
          break;
      }
      const beta d(a, b);
      m.parameters = {{"a", a}, {"b", b}};
      m.k = 2;
      m.log_likelihood = log_likelihood(
          t, d, [](const beta& q, double x) { return log_pdf(q, x); });
      return m;
    }
  }
  return m;
}

// The pmf of the fitted discrete model at whole x, in logs.
double fitted_log_pmf(const fitted_model& m, const table& t, double x) {
  switch (m.family) {
    case fit_family::uniform:
      return x < m.parameter("low") || x > m.parameter("high")
                 ? -kInf
                 : -std::log(m.parameter("high") - m.parameter("low") + 1.0);
    case fit_family::binomial:
      return log_pmf(binomial(whole(m.parameter("n")), m.parameter("p")),
                     whole(x));
    case fit_family::poisson:
      return log_pmf(poisson(m.parameter("rate")), whole(x));
    case fit_family::geometric:
      return log_pmf(geometric(m.parameter("p")), whole(x));
    case fit_family::negative_binomial:
      return negative_binomial_log_pmf(m.parameter("r"), t.mean(), x);
    default:
      return -kInf;
  }
}

// ---------------------------------------------------------------------------
// The histogram estimator of the continuous KL.

// Boost.Math's errors as return values (math_policy.hpp).
using detail::math_policy;

// F(x) and 1 - F(x), each computed directly (the complement keeps its
// relative accuracy in the upper tail, where 1 - F(x) would cancel).
struct cdf_pair {
  double lower = 0.0, upper = 1.0;
};

template <class D>
cdf_pair cdf_both(const D& d, double x) {
  return {boost::math::cdf(d, x),
          boost::math::cdf(boost::math::complement(d, x))};
}

// The fitted continuous model's CDF at x (±inf included).
cdf_pair model_cdf(const fitted_model& m, double x) {
  namespace bm = boost::math;
  if (x == -kInf) return {0.0, 1.0};
  if (x == kInf) return {1.0, 0.0};
  const auto p = [&](std::string_view n) { return m.parameter(n); };
  // Below (and, for the beta, above) the support.
  if (m.family != fit_family::normal && x <= 0.0) return {0.0, 1.0};
  switch (m.family) {
    case fit_family::normal:
      return cdf_both(
          bm::normal_distribution<double, math_policy>(p("loc"), p("scale")),
          x);
    case fit_family::lognormal:
      return cdf_both(
          bm::lognormal_distribution<double, math_policy>(p("loc"), p("scale")),
          x);
    case fit_family::exponential:
      return cdf_both(
          bm::exponential_distribution<double, math_policy>(p("rate")), x);
    case fit_family::gamma:
      return cdf_both(bm::gamma_distribution<double, math_policy>(
                          p("shape"), 1.0 / p("rate")),
                      x);
    case fit_family::weibull:
      return cdf_both(
          bm::weibull_distribution<double, math_policy>(p("shape"), p("scale")),
          x);
    case fit_family::beta:
      if (x >= 1.0) return {1.0, 0.0};
      return cdf_both(
          bm::beta_distribution<double, math_policy>(p("a"), p("b")), x);
    default:
      return {kNaN, kNaN};  // discrete families never come here
  }
}

// The model's mass in [a, b]: F(b) - F(a) in the lower half, (1 - F(a)) -
// (1 - F(b)) in the upper half.
double bin_mass(const fitted_model& m, double a, double b) {
  const cdf_pair fa = model_cdf(m, a), fb = model_cdf(m, b);
  const double p = fa.lower > 0.5 ? fa.upper - fb.upper : fb.lower - fa.lower;
  return std::max(p, 0.0);
}

// The data's histogram on B + 2 bins: [0] below edges.front(), [1 .. B] the
// inner bins [e_{b-1}, e_b) (the last closed), [B + 1] above edges.back(),
// as kldiv::bin_counts counts them; only the bins holding data are kept.
struct data_histogram {
  std::vector<double> edges;
  std::vector<double> lo, hi, p;  // the bins with data: ends and proportion
  double entropy = 0.0;           // -Σ p log p
  double outside = 0.0;           // observations in the two outer bins
  // Whether the rule's edges were aligned with the data's grid (see
  // align_to_grid in kldiv/fit.hpp), and for the words: the grid step, the
  // rule's (mean) width and the width used (0 for quantiles).
  bool aligned = false;
  double grid = 0.0, rule_width = 0.0, width = 0.0;
};

// The grid the distinct values lie on: each is v_0 + k g for a whole k,
// within 1e-6 g, and there are at least 3 of them (two values lie on any
// grid); `step` is 0 when there is none. g starts as the smallest gap and is
// then taken as (v_max - v_0) / J, J the number of steps: the gap between
// two decimals carries their rounding errors (5.2 - 5.1 =
// 0.09999999999999964), which k g would multiply by k, while the range's
// error is shared by its J steps. The test's own error is then ~2 eps
// |v| / g steps, so grids finer than 1e-9 |v| are not found, nor grids of
// more than 2^30 steps.
struct data_grid {
  double step = 0.0;
  std::int64_t steps = 0;  // J, from v_0 to v_max

  std::int64_t index(double v, double v0) const {
    return std::llround((v - v0) / step);
  }
};

data_grid grid_of(const std::vector<double>& v) {
  if (v.size() < 3) return {};
  double gap = kInf;
  for (std::size_t j = 1; j < v.size(); ++j) {
    gap = std::min(gap, v[j] - v[j - 1]);
  }
  const double steps = std::round((v.back() - v.front()) / gap);
  if (!(steps <= 1073741824.0)) return {};  // also inf (a subnormal gap)
  const double g = (v.back() - v.front()) / steps;
  for (const double x : v) {
    const double k = (x - v.front()) / g;
    if (!(std::fabs(k - std::round(k)) <= 1e-6)) return {};
  }
  return {g, static_cast<std::int64_t>(steps)};
}

// A width rule's edges on the grid: the rule's mean width w made m =
// max(1, round(w / g)) steps, edges at v_0 - g/2 + k m g for k = 0 .. K, K
// the first with k m > J + 1/2 (never equal: k m is whole), so the last
// edge is above v_max and every grid point is g/2 from its cell's ends.
void align_widths(data_histogram& h, const std::vector<double>& v,
                  const data_grid& grid) {
  const std::vector<double>& e = h.edges;
  h.rule_width = (e.back() - e.front()) / static_cast<double>(e.size() - 1);
  const std::int64_t m =
      std::max<std::int64_t>(1, std::llround(h.rule_width / grid.step));
  const std::int64_t bins = (2 * grid.steps + 1) / (2 * m) + 1;
  h.width = static_cast<double>(m) * grid.step;
  const double first = v.front() - 0.5 * grid.step;
  std::vector<double> edges(static_cast<std::size_t>(bins) + 1);
  for (std::size_t k = 0; k < edges.size(); ++k) {
    edges[k] = first + static_cast<double>(k) * h.width;
  }
  h.edges = std::move(edges);
}

// Quantile edges on the grid: each edge moves to the midpoint between grid
// points nearest to it among those with the same distinct values on each
// side (the values >= it, and for the last edge, whose bin is closed, the
// values <= it), so every bin keeps its data; edges that meet are merged
// (the bin between them held none). The midpoint k is v_0 + (k - 1/2) g.
void align_quantiles(data_histogram& h, const std::vector<double>& v,
                     const data_grid& grid) {
  const double v0 = v.front();
  std::vector<double> edges;
  std::int64_t previous = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i = 0; i < h.edges.size(); ++i) {
    const double e = h.edges[i];
    const bool last = i + 1 == h.edges.size();
    // The first distinct value on the edge's upper side.
    const auto above = last ? std::upper_bound(v.begin(), v.end(), e)
                            : std::lower_bound(v.begin(), v.end(), e);
    std::int64_t k = std::llround((e - v0) / grid.step + 0.5);
    if (above != v.end()) k = std::min(k, grid.index(*above, v0));
    if (above != v.begin()) k = std::max(k, grid.index(*(above - 1), v0) + 1);
    if (k == previous) continue;
    previous = k;
    edges.push_back(v0 + (static_cast<double>(k) - 0.5) * grid.step);
  }
  h.edges = std::move(edges);
}

const char* rule_text(bin_rule r) {
  switch (r) {
    case bin_rule::automatic:
      return "NumPy's \"auto\" rule";
    case bin_rule::freedman_diaconis:
      return "the Freedman-Diaconis rule (fd)";
    case bin_rule::scott:
      return "Scott's rule";
    case bin_rule::sturges:
      return "Sturges' rule";
    case bin_rule::doane:
      return "Doane's rule";
    case bin_rule::rice:
      return "the Rice rule";
    case bin_rule::sqrt:
      return "the square-root rule";
    case bin_rule::count:
      return "equal widths over the data's range";
    case bin_rule::quantiles:
      return "equal data mass (quantiles)";
    case bin_rule::edges:
      return "the given edges";
  }
  return "";
}

// x to 6 significant digits (for lengths measured on the data, whose last
// digits are rounding noise: 0.09999999999999787 reads 0.1).
std::string six_digits(double x) {
  char buf[32];
  const auto r =
      std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 6);
  return {buf, r.ptr};
}

// The checks of fit_options::bins, naming its fields.
void check_bins(const histogram_options& b) {
  if (b.smoothing != 0.0) {
    throw InvalidArgument(
        "fit: bins.smoothing = " + format_number(b.smoothing) +
        ": the fit's histogram KL takes no smoothing (bins "
        "without data contribute nothing); set it to 0");
  }
  if (b.bootstrap != 0) {
    throw InvalidArgument(
        "fit: bins.bootstrap = " + std::to_string(b.bootstrap) +
        ": the fit's histogram KL has no bootstrap "
        "interval; set it to 0");
  }
  if ((b.rule == bin_rule::count || b.rule == bin_rule::quantiles) &&
      (b.bins < 1 || b.bins > 1'000'000)) {
    throw InvalidArgument("fit: bins.bins = " + std::to_string(b.bins) +
                          " for rule " +
                          (b.rule == bin_rule::count ? "count" : "quantiles") +
                          ", but must be in 1 .. 1000000");
  }
  if (b.rule != bin_rule::edges) return;
  if (b.edges.size() < 2) {
    throw InvalidArgument("fit: bins.edges has " +
                          std::to_string(b.edges.size()) +
                          " edges, but needs at least 2 (one bin)");
  }
  for (std::size_t i = 0; i < b.edges.size(); ++i) {
    const std::string at = "fit: bins.edges[" + std::to_string(i) +
                           "] = " + format_number(b.edges[i]);
    if (!std::isfinite(b.edges[i])) {
      throw InvalidArgument(at + ", but must be finite");
    }
    if (i > 0 && !(b.edges[i] > b.edges[i - 1])) {
      throw InvalidArgument(at +
                            ", but edges must be strictly increasing (it " +
                            "follows " + format_number(b.edges[i - 1]) + ")");
    }
  }
}

// `x` the expanded observations (ascending), for the bin rules; `grid` the
// data's grid (step 0: none).
data_histogram make_histogram(const table& t, const std::vector<double>& x,
                              const fit_options& o, const data_grid& grid) {
  data_histogram h;
  try {
    h.edges = bin_edges(x, o.bins);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(std::string("fit: bins: ") + e.what());
  }
  if (o.align_to_grid && o.bins.rule != bin_rule::edges && grid.step > 0.0) {
    h.aligned = true;
    h.grid = grid.step;
    if (o.bins.rule == bin_rule::quantiles) {
      align_quantiles(h, t.v, grid);
    } else {
      align_widths(h, t.v, grid);
    }
  }
  const std::vector<double>& e = h.edges;
  const std::size_t nb = e.size() - 1;
  std::vector<double> c(nb + 2, 0.0);
  for (std::size_t j = 0; j < t.v.size(); ++j) {
    const double v = t.v[j];
    std::size_t b = 0;
    if (v < e.front()) {
      b = 0;
    } else if (v > e.back()) {
      b = nb + 1;
    } else if (v == e.back()) {
      b = nb;
    } else {
      b = static_cast<std::size_t>(std::upper_bound(e.begin(), e.end(), v) -
                                   e.begin());
    }
    c[b] += t.w[j];
  }
  h.outside = c.front() + c.back();
  // Bins without data have p̂ = 0 and no term, whatever the model's mass
  // there; so have the model's tails beyond the data's range when the edges
  // were fitted on the data (the outer bins are then empty).
  for (std::size_t b = 0; b < c.size(); ++b) {
    if (c[b] == 0.0) continue;
    const double p = c[b] / t.n;
    h.lo.push_back(b == 0 ? -kInf : e[b - 1]);
    h.hi.push_back(b == nb + 1 ? kInf : e[b]);
    h.p.push_back(p);
    h.entropy -= p * std::log(p);
  }
  return h;
}

// Σ_b p̂_b log(p̂_b / P_b) over the bins with data; +inf (and the first such
// bin in `empty`) when the model has no mass where the data have some.
double histogram_kl(const fitted_model& m, const data_histogram& h,
                    std::size_t& empty) {
  double kl = 0.0;
  for (std::size_t b = 0; b < h.p.size(); ++b) {
    const double q = bin_mass(m, h.lo[b], h.hi[b]);
    if (q == 0.0) {
      empty = b;
      return kInf;
    }
    kl += h.p[b] * std::log(h.p[b] / q);
  }
  return std::max(kl, 0.0);  // rounding noise, clamped in the reduction
}

// The histogram estimator on the data `t` (expanded: x, ascending):
// the histogram, and in `res` the entropy, edges, words and warnings.
data_histogram histogram_estimator(const table& t, const std::vector<double>& x,
                                   const fit_options& o, std::size_t repeats,
                                   fit_result& res) {
  const data_grid grid = grid_of(t.v);
  data_histogram hist = make_histogram(t, x, o, grid);
  res.entropy = hist.entropy;
  res.kl_edges = hist.edges;
  const std::size_t bins = hist.edges.size() - 1;
  std::string how = rule_text(o.bins.rule);
  if (o.bins.rule != bin_rule::edges) how += ", fitted on the data";
  if (hist.aligned && o.bins.rule == bin_rule::quantiles) {
    how +=
        "; each edge moved to the nearest midpoint between grid points "
        "that leaves the same values on either side, the data lying on a "
        "grid of step " +
        six_digits(hist.grid) +
        ": every bin keeps its data, and the model's mass is taken over "
        "whole grid cells";
  } else if (hist.aligned) {
    const double steps = std::round(hist.width / hist.grid);
    const std::string from = six_digits(hist.rule_width),
                      to = six_digits(hist.width);
    how += "; the rule's width " + from +
           (from == to                     ? " kept at "
            : hist.width > hist.rule_width ? " widened to "
                                           : " narrowed to ") +
           to + ", " +
           (steps == 1.0 ? std::string("one step")
                         : six_digits(steps) + " steps") +
           " of the data's grid " + six_digits(hist.grid) +
           ", with edges at the midpoints between grid points";
  }
  res.kl_estimator =
      "histogram: KL = Σ_b p̂_b log(p̂_b / P_b) between the binned data "
      "and the binned model (>= 0), on " +
      std::to_string(bins) + (bins == 1 ? " bin (" : " bins (") + how +
      "), p̂_b the data's proportion and P_b the model's mass in bin b";
  if (o.continuous_kl == continuous_kl_method::automatic) {
    res.kl_estimator += "; chosen because " + std::to_string(repeats) + " of " +
                        std::to_string(res.n) +
                        " values repeat an earlier one, and ties bias "
                        "the k-NN entropy";
  }
  // Rounded data in bins too narrow for their grid: a bin holds one or two
  // grid points (or none) by where its edges fall, not by the density,
  // which inflates every KL (by ~0.6 when half the bins are empty). The
  // caller's edges are taken as meant, but bins narrower than a grid step
  // cannot all hold a grid point; a rule's bins, when not aligned, are too
  // narrow below twice the closest values' gap.
  double step = kInf, narrowest = kInf;
  for (std::size_t j = 1; j < t.v.size(); ++j) {
    step = std::min(step, t.v[j] - t.v[j - 1]);
  }
  for (std::size_t i = 1; i < hist.edges.size(); ++i) {
    narrowest = std::min(narrowest, hist.edges[i] - hist.edges[i - 1]);
  }
  if (o.bins.rule == bin_rule::edges) {
    if (grid.step > 0.0 && narrowest < (1.0 - 1e-6) * grid.step) {
      res.warnings.push_back(
          "histogram: the data lie on a grid of step " + six_digits(grid.step) +
          " (rounded data?) and the narrowest of the "
          "given bins is " +
          six_digits(narrowest) +
          " wide, less than a step: bins hold a varying number of the grid's "
          "points (or none), which inflates every KL; give edges at least a "
          "step apart, at the midpoints between grid points");
    }
  } else if (!hist.aligned && repeats > 0 && narrowest < 2.0 * step) {
    res.warnings.push_back(
        "histogram: the closest distinct values are " + six_digits(step) +
        " apart (rounded data?) and the narrowest bin is " +
        six_digits(narrowest) +
        " wide, less than twice that: bins hold a varying number of the "
        "values' grid points (or none), which inflates every KL; " +
        (grid.step > 0.0
             ? "leave align_to_grid on to align the bins with the grid, or "
               "choose fewer bins"
             : "the values lie on no grid the bins could be aligned with: "
               "choose fewer bins (a count, or edges between the values)"));
  }
  if (hist.outside > 0.0) {
    res.warnings.push_back(
        "histogram: " + format_number(hist.outside) + " of " +
        std::to_string(res.n) + " values lie outside the edges [" +
        format_number(hist.edges.front()) + ", " +
        format_number(hist.edges.back()) +
        "]: they are counted in two outer bins, against the model's mass "
        "below and above the edges");
  }
  return hist;
}

fit_result fit_table(const table& t, const fit_options& o) {
  fit_result res;
  res.n = static_cast<std::size_t>(t.n);
  if (o.kind == data_kind::discrete && !t.whole) {
    for (std::size_t j = 0; j < t.v.size(); ++j) {
      if (t.v[j] != std::floor(t.v[j]) || std::fabs(t.v[j]) > kMaxWhole) {
        throw InvalidArgument("fit: " + t.at(j) +
                              ": discrete data must be whole numbers (within "
                              "2^53 in magnitude)");
      }
    }
  }
  res.discrete = o.kind == data_kind::discrete ||
                 (o.kind == data_kind::automatic && t.whole);
  if (o.binomial_n && *o.binomial_n < 0) {
    throw InvalidArgument("fit: binomial_n = " + std::to_string(*o.binomial_n) +
                          ": the number of trials must be >= 0");
  }
  std::vector<fit_family> families;
  for (const fit_family f : o.families) {
    if (is_discrete(f) != res.discrete) {
      throw InvalidArgument(
          "fit: families: " + std::string(name(f)) + " is a " +
          (is_discrete(f) ? "discrete" : "continuous") +
          " family, but the data are fitted as " +
          (res.discrete ? "discrete" : "continuous") +
          (o.kind == data_kind::automatic
               ? (res.discrete ? " (every value is a whole number; set kind to "
                                 "continuous "
                                 "to fit continuous families)"
                               : " (not every value is a whole number)")
               : " (as fit_options::kind says)"));
    }
    if (std::find(families.begin(), families.end(), f) == families.end()) {
      families.push_back(f);
    }
  }
  if (families.empty()) {
    for (const fit_family f : kAll) {
      if (is_discrete(f) == res.discrete) families.push_back(f);
    }
  }

  // The entropy of the data, and the KL estimator.
  if (res.discrete && o.continuous_kl != continuous_kl_method::automatic) {
    throw InvalidArgument(
        std::string("fit: continuous_kl = ") +
        (o.continuous_kl == continuous_kl_method::knn ? "knn" : "histogram") +
        ", but the data are fitted as discrete, whose KL is exact (the sum "
        "over the observed values): leave continuous_kl automatic, or set "
        "kind to continuous");
  }
  if (!res.discrete) check_bins(o.bins);
  bool point_mass = false;
  std::optional<data_histogram> hist;
  if (res.discrete) {
    double h = 0.0;
    for (const double w : t.w) h -= (w / t.n) * std::log(w / t.n);
    res.entropy = h;
    res.kl_estimator =
        "exact: KL = Σ_v p̂(v) log(p̂(v) / P(v)) over the observed values v";
  } else if (t.v.size() < 2) {
    point_mass = true;
    res.entropy = -kInf;
    res.kl_estimator =
        "none: every value is equal, and KL(point mass || density) = +inf";
    res.warnings.push_back(
        "every value is equal: the KL of every continuous model is +inf");
  } else {
    std::vector<double> x;
    x.reserve(res.n);
    for (std::size_t j = 0; j < t.v.size(); ++j) {
      x.insert(x.end(), static_cast<std::size_t>(t.w[j]), t.v[j]);
    }
    const auto repeats = static_cast<std::size_t>(t.n) - t.v.size();
    const bool histogram =
        o.continuous_kl == continuous_kl_method::histogram ||
        (o.continuous_kl == continuous_kl_method::automatic && repeats > 0);
    if (histogram) {
      hist = histogram_estimator(t, x, o, repeats, res);
    } else {
      knn_options ko;
      ko.k = {1};
      ko.ties = tie_policy::distinct;
      const sample_estimate h =
          entropy_knn(matrix_view<double>::dense(x.data(), x.size(), 1), ko)
              .at(0);
      res.entropy = h.value;
      res.kl_estimator =
          "k-NN entropy: KL ≈ -Ĥ - (1/n) Σ log f(x_i), Ĥ the "
          "Kozachenko-Leonenko entropy of the data (k = 1, ties distinct); Ĥ "
          "is common to every model, so this ranks as the log-likelihood "
          "does";
      if (h.ties > 0) {
        res.warnings.push_back(
            "k-NN entropy: " + std::to_string(h.ties) +
            " points have a duplicate; their nearest neighbour is the nearest "
            "at a distance > 0, which biases the entropy (and every KL) alike");
      }
      for (const auto& w : h.warnings)
        res.warnings.push_back("k-NN entropy: " + w);
    }
  }

  std::vector<fitted_model> fitted, failed;
  const double logn = std::log(t.n);
  for (const fit_family f : families) {
    fitted_model m = fit_one(f, t, o);
    if (!m.fitted) {
      failed.push_back(std::move(m));
      continue;
    }
    m.aic = 2.0 * m.k - 2.0 * m.log_likelihood;
    m.bic = m.k * logn - 2.0 * m.log_likelihood;
    if (res.discrete) {
      m.kl_method = "exact";
      double kl = 0.0;
      for (std::size_t j = 0; j < t.v.size(); ++j) {
        const double p = t.w[j] / t.n;
        const double lq = fitted_log_pmf(m, t, t.v[j]);
        if (lq == -kInf) {
          kl = kInf;
          break;
        }
        kl += p * (std::log(p) - lq);
      }
      m.kl = std::max(kl, 0.0);  // rounding noise, clamped in the reduction
    } else if (point_mass) {
      m.kl_method = "point mass";
      m.kl = kInf;
    } else if (hist) {
      m.kl_method = "histogram";
      std::size_t empty = 0;
      m.kl = histogram_kl(m, *hist, empty);
      if (std::isinf(m.kl)) {
        res.warnings.push_back(
            "histogram: the " + m.name + " model's mass in the bin [" +
            format_number(hist->lo[empty]) + ", " +
            format_number(hist->hi[empty]) +
            "], which holds data, is 0 (or below the smallest double): its "
            "KL is +inf");
      }
    } else {
      m.kl_method = "k-NN entropy";
      m.kl = -res.entropy - m.log_likelihood / t.n;  // raw, may be < 0
    }
    fitted.push_back(std::move(m));
  }
  std::stable_sort(
      fitted.begin(), fitted.end(),
      [](const fitted_model& a, const fitted_model& b) { return a.kl < b.kl; });
  res.models = std::move(fitted);
  for (auto& m : failed) res.models.push_back(std::move(m));
  return res;
}

}  // namespace

std::string_view name(fit_family f) {
  switch (f) {
    case fit_family::uniform:
      return "uniform";
    case fit_family::binomial:
      return "binomial";
    case fit_family::poisson:
      return "poisson";
    case fit_family::geometric:
      return "geometric";
    case fit_family::negative_binomial:
      return "negative_binomial";
    case fit_family::normal:
      return "normal";
    case fit_family::lognormal:
      return "lognormal";
    case fit_family::exponential:
      return "exponential";
    case fit_family::gamma:
      return "gamma";
    case fit_family::weibull:
      return "weibull";
    case fit_family::beta:
      return "beta";
  }
  return "unknown";
}

fit_family fit_family_from_name(std::string_view s) {
  std::string known;
  for (const fit_family f : kAll) {
    if (name(f) == s) return f;
    known += (known.empty() ? "" : ", ") + std::string(name(f));
  }
  throw InvalidArgument("fit: unknown family \"" + std::string(s) +
                        "\"; the families are " + known);
}

bool is_discrete(fit_family f) {
  switch (f) {
    case fit_family::uniform:
    case fit_family::binomial:
    case fit_family::poisson:
    case fit_family::geometric:
    case fit_family::negative_binomial:
      return true;
    default:
      return false;
  }
}

double fitted_model::parameter(std::string_view n) const {
  for (const auto& p : parameters) {
    if (p.name == n) return p.value;
  }
  throw InvalidArgument("fitted_model::parameter: " + name +
                        " has no parameter \"" + std::string(n) + "\"");
}

double log_density(const fitted_model& m, double x) {
  if (!m.fitted) {
    throw InvalidArgument("log_density: the " + m.name +
                          " model was not fitted (" + m.reason + ")");
  }
  if (std::isnan(x)) throw InvalidArgument("log_density: x is NaN");
  auto p = [&](std::string_view n) { return m.parameter(n); };
  if (is_discrete(m.family)) {
    if (x != std::floor(x) || std::fabs(x) > kMaxWhole) return -kInf;
    if (m.family == fit_family::negative_binomial) {
      if (x < 0.0) return -kInf;
      const double r = p("r"), q = p("p");
      return negative_binomial_log_pmf(r, r * (1.0 - q) / q, x);
    }
    if (m.family == fit_family::uniform) {
      return x < p("low") || x > p("high")
                 ? -kInf
                 : -std::log(p("high") - p("low") + 1.0);
    }
    if (x < 0.0) return -kInf;
    switch (m.family) {
      case fit_family::binomial:
        return log_pmf(binomial(whole(p("n")), p("p")), whole(x));
      case fit_family::poisson:
        return log_pmf(poisson(p("rate")), whole(x));
      default:
        return log_pmf(geometric(p("p")), whole(x));
    }
  }
  switch (m.family) {
    case fit_family::normal:
      return log_pdf(normal(p("loc"), p("scale")), x);
    case fit_family::lognormal:
      return log_pdf(lognormal(p("loc"), p("scale")), x);
    case fit_family::exponential:
      return log_pdf(exponential(p("rate")), x);
    case fit_family::gamma:
      return log_pdf(gamma(p("shape"), p("rate")), x);
    case fit_family::weibull:
      return log_pdf(weibull(p("scale"), p("shape")), x);
    default:
      return log_pdf(beta(p("a"), p("b")), x);
  }
}

fit_result fit(std::span<const double> data, const fit_options& options) {
  return fit_table(make_table(data, {}, "data"), options);
}

fit_result fit_counts(std::span<const double> values,
                      std::span<const double> counts,
                      const fit_options& options) {
  if (values.size() != counts.size()) {
    throw InvalidArgument("fit_counts: values has " +
                          std::to_string(values.size()) +
                          " entries and counts " +
                          std::to_string(counts.size()) + ": they must match");
  }
  if (values.empty()) {
    throw InvalidArgument("fit: values is empty: there is nothing to fit");
  }
  return fit_table(make_table(values, counts, "values"), options);
}

}  // namespace kldiv
