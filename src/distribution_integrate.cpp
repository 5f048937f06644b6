// KL(P || Q) by numerical integration: ∫ p(x) (log p(x) - log q(x)) dx over
// P's support with Boost.Math's double-exponential quadratures (tanh-sinh on
// finite pieces, exp-sinh on half-infinite ones), the support split at P's
// centre so that each piece sees one scale; and by summation over P's
// support for discrete families, until P's remaining mass is below 1e-18.
#include <algorithm>
#include <boost/math/quadrature/exp_sinh.hpp>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "kldiv/distribution.hpp"
#include "kldiv/error.hpp"
#include "terms.hpp"

namespace kldiv {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Where P's mass is and on what scale: location/scale where the family has
// them, else the mean and standard deviation where finite, else P's scale
// parameter, else (0, 1).
template <class F>
std::pair<double, double> centre_width(const F& x) {
  if constexpr (requires {
                  x.loc();
                  x.scale();
                } &&
                !std::is_same_v<F, lognormal>) {
    return {x.loc(), x.scale()};
  } else {
    try {
      const double m = mean(x), v = variance(x);
      if (std::isfinite(m) && std::isfinite(v) && v > 0.0) {
        return {m, std::sqrt(v)};
      }
    } catch (const NotSupported&) {
    }
    if constexpr (requires { x.scale(); }) {
      return {2.0 * x.scale(), x.scale()};
    }
    return {0.0, 1.0};
  }
}

struct piecewise {
  double value = 0.0;
  double error = 0.0;
  void add(double v, double e) {
    value += v;
    error += e;
  }
};

// ∫ f over [lo, hi] (either end may be infinite), split at the points
// (those inside); infinite ends by exp-sinh on the scale w.
piecewise integrate(const std::function<double(double)>& f, double lo,
                    double hi, std::vector<double> points, double w,
                    double tol) {
  // Built once (their abscissas are computed then), shared by threads: the
  // integrators are safe to call concurrently. Not const: Boost 1.74's
  // integrate() cannot be found on a const integrator.
  static boost::math::quadrature::tanh_sinh<double> ts;
  static boost::math::quadrature::exp_sinh<double> es;
  std::vector<double> cuts{lo};
  std::sort(points.begin(), points.end());
  for (double x : points) {
    if (x > cuts.back() && x < hi) cuts.push_back(x);
  }
  if (cuts.size() == 1 && !std::isfinite(lo) && !std::isfinite(hi)) {
    cuts.push_back(0.0);
  }
  cuts.push_back(hi);
  piecewise out;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    const double a = cuts[i], b = cuts[i + 1];
    double err = 0.0, v = 0.0;
    if (std::isfinite(a) && std::isfinite(b)) {
      v = ts.integrate(f, a, b, tol, &err);
    } else if (std::isfinite(b)) {
      const std::function<double(double)> g = [&](double t) {
        return w * f(b - w * t);
      };
      v = es.integrate(g, 0.0, kInf, tol, &err);
    } else {
      const std::function<double(double)> g = [&](double t) {
        return w * f(a + w * t);
      };
      v = es.integrate(g, 0.0, kInf, tol, &err);
    }
    out.add(v, err);
  }
  return out;
}

// Q's location, where its log-density may have a kink (Laplace) or its bulk.
template <class F>
std::vector<double> kinks(const F& x) {
  if constexpr (requires { x.loc(); } && !std::is_same_v<F, lognormal> &&
                !std::is_same_v<F, von_mises>) {
    return {x.loc()};
  } else {
    return {};
  }
}

}  // namespace

kl_result kl_integrate(const distribution& p, const distribution& q,
                       double tolerance) {
  if (!(tolerance > 0.0 && tolerance < 1.0)) {
    throw InvalidArgument(
        "kl_integrate: tolerance = " + std::to_string(tolerance) +
        ", but must be in (0, 1)");
  }
  const std::string pair = "kl_integrate(" + std::string(family(p)) + ", " +
                           std::string(family(q)) + ")";
  return std::visit(
      [&](const auto& pp, const auto& qq) -> kl_result {
        using P = std::decay_t<decltype(pp)>;
        using Q = std::decay_t<decltype(qq)>;
        kl_result r;
        if constexpr (requires {
                        log_pdf(pp, 0.0);
                        log_pdf(qq, 0.0);
                      }) {
          // A continuous pair on the line (or the circle, von Mises).
          const std::function<double(double)> f = [&](double x) -> double {
            const double lp = log_pdf(pp, x);
            if (lp == -kInf) return 0.0;
            const double d = std::exp(lp);
            if (d == 0.0) return 0.0;
            const double lq = log_pdf(qq, x);
            if (lq == -kInf) throw std::overflow_error("q = 0 where p > 0");
            return d * (lp - lq);
          };
          double lo = -kInf, hi = kInf, c = 0.0, w = 1.0;
          if constexpr (std::is_same_v<P, von_mises>) {
            lo = pp.loc() - std::numbers::pi;
            hi = pp.loc() + std::numbers::pi;
            c = pp.loc();
          } else {
            std::tie(c, w) = centre_width(pp);
            if constexpr (std::is_same_v<P, uniform>) {
              lo = pp.low();
              hi = pp.high();
            } else if constexpr (std::is_same_v<P, beta>) {
              lo = 0.0;
              hi = 1.0;
            } else if constexpr (std::is_same_v<P, pareto>) {
              lo = pp.scale();
            } else if constexpr (std::is_same_v<P, exponential> ||
                                 std::is_same_v<P, gamma> ||
                                 std::is_same_v<P, chi2> ||
                                 std::is_same_v<P, lognormal> ||
                                 std::is_same_v<P, half_normal> ||
                                 std::is_same_v<P, weibull>) {
              lo = 0.0;
            }
          }
          if constexpr (std::is_same_v<P, von_mises> !=
                        std::is_same_v<Q, von_mises>) {
            throw NotSupported(pair +
                               ": a circular and a linear distribution live "
                               "on different sample spaces");
          }
          try {
            std::vector<double> at = kinks(qq);
            at.push_back(c);
            const auto v = integrate(f, lo, hi, at, w, tolerance);
            // The quadrature's own estimate can be optimistic where the
            // integrand converges slowly (endpoint singularities of a Beta
            // with a or b < 1, tails like x^-(1+e)): the error stated is at
            // least the change from a run at a 10^4 times coarser
            // tolerance.
            const auto coarse =
                integrate(f, lo, hi, at, w, std::min(1e4 * tolerance, 1e-3));
            r.value = std::max(v.value, 0.0);
            r.standard_error =
                std::max(v.error, std::fabs(v.value - coarse.value));
          } catch (const std::overflow_error&) {
            r.value = kInf;  // P has mass where Q has none
          } catch (const std::exception& e) {
            throw NotSupported(pair + ": the quadrature failed (" +
                               std::string(e.what()) + ")");
          }
        } else if constexpr (requires {
                               log_pmf(pp, std::int64_t{0});
                               log_pmf(qq, std::int64_t{0});
                             }) {
          // Discrete: Σ P(k) log(P(k)/Q(k)) until P's remaining mass is
          // below 1e-18 (at most 10^8 terms).
          detail::compensated_sum s, mass;
          for (std::int64_t k = 0; k < 100'000'000; ++k) {
            const double lp = log_pmf(pp, k);
            if (lp != -kInf) {
              const double lq = log_pmf(qq, k);
              if (lq == -kInf) {
                r.value = kInf;
                r.method = "summation";
                return r;
              }
              const double pk = std::exp(lp);
              s.add(pk * (lp - lq));
              mass.add(pk);
            }
            if (1.0 - mass.value() < 1e-18 ||
                (k > 10 && mass.value() >= 1.0 - 1e-16 && lp < -45.0)) {
              break;
            }
          }
          r.value = std::max(s.value(), 0.0);
          r.standard_error = 0.0;
          r.method = "summation";
          return r;
        } else {
          throw NotSupported(pair +
                             ": numerical integration covers pairs of "
                             "one-dimensional distributions on the same "
                             "sample space");
        }
        r.method = "quadrature";
        return r;
      },
      p, q);
}

}  // namespace kldiv
