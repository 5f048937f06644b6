// Tests of the cross-family closed-form KLs of include/kldiv/distributions.hpp
// and of their dispatch through kl(distribution, distribution).
//
// Values: tests/data/distributions_kl_cross_reference.json, from
// tools/gen_distributions_kl_cross_reference.py: mpmath quadrature at 30
// digits (exact sums for discrete P), cross-checked there with
// torch.distributions.kl_divergence (float64) where PyTorch has the pair.
// Tolerance: relative 1e-12 for every case; a reference of exactly 0 (P and
// Q the same distribution) must give exactly 0; "inf" must give +inf. No
// result may be NaN, here or on a sweep of extreme parameters.
#include <gtest/gtest.h>

#include <cmath>
#include <concepts>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "kldiv/distribution.hpp"
#include "kldiv/distributions.hpp"
#include "kldiv/error.hpp"
#include "support/test_support.hpp"

namespace {

using json = nlohmann::json;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kRelTol = 1e-12;

const json& cases() {
  return kldiv_test::reference_file("distributions_kl_cross_reference.json")
      .at("cases");
}

// The reference's distribution as a spec: family(name=value, ...), the
// numbers as JSON writes them (round-trip exact).
kldiv::distribution make(const json& d) {
  std::string spec = d.at("family").get<std::string>() + "(";
  bool first = true;
  for (const auto& [key, value] : d.items()) {
    if (key == "family") continue;
    spec += (first ? "" : ", ") + key + "=" + value.dump();
    first = false;
  }
  return kldiv::parse_distribution(spec + ")");
}

// The typed overload kl(P, Q) for two different families, if declared.
std::optional<double> typed_kl(const kldiv::distribution& p,
                               const kldiv::distribution& q) {
  return std::visit(
      [](const auto& x, const auto& y) -> std::optional<double> {
        using P = std::decay_t<decltype(x)>;
        using Q = std::decay_t<decltype(y)>;
        if constexpr (!std::is_same_v<P, Q> && requires {
                        { kldiv::kl(x, y) } -> std::same_as<double>;
                      }) {
          return kldiv::kl(x, y);
        } else {
          return std::nullopt;
        }
      },
      p, q);
}

std::string name(const json& c) {
  return c.at("p").dump() + " || " + c.at("q").dump();
}

void expect_matches(const json& c, double got) {
  const json& want = c.at("kl");
  if (want.is_string()) {
    ASSERT_EQ(want.get<std::string>(), "inf");
    EXPECT_EQ(got, kInf) << name(c) << ": " << c.value("reason", "");
    return;
  }
  ASSERT_FALSE(std::isnan(got)) << name(c);
  const double w = want.get<double>();
  if (w == 0.0) {
    EXPECT_EQ(got, 0.0) << name(c);
    return;
  }
  EXPECT_LE(std::fabs(got - w), kRelTol * w)
      << name(c) << ": want " << w << ", got " << got << " (rel "
      << std::fabs(got - w) / w << ")";
}

TEST(CrossFamilyKl, EveryReferenceCaseByTheTypedOverload) {
  ASSERT_GT(cases().size(), 300u);
  for (const json& c : cases()) {
    const auto v = typed_kl(make(c.at("p")), make(c.at("q")));
    ASSERT_TRUE(v.has_value()) << "no typed kl for " << name(c);
    expect_matches(c, *v);
  }
}

// The runtime type finds the same overload: "closed form", the same value.
TEST(CrossFamilyKl, DistributionDispatchIsTheClosedForm) {
  for (const json& c : cases()) {
    const auto p = make(c.at("p")), q = make(c.at("q"));
    const kldiv::kl_result r = kldiv::kl(p, q);
    EXPECT_EQ(r.method, "closed form") << name(c);
    EXPECT_TRUE(r.exact()) << name(c);
    expect_matches(c, r.value);
    // Bit for bit the typed overload's value (both +inf, or the same double).
    EXPECT_EQ(r.value, *typed_kl(p, q)) << name(c);
    // With a Monte Carlo fallback offered, the closed form still wins.
    EXPECT_EQ(kldiv::kl(p, q, kldiv::monte_carlo{1000, 1, 1}).method,
              "closed form")
        << name(c);
  }
}

// Every declared cross pair has reference cases: each family pair that
// typed_kl accepts appears in the file, and each pair in the file has an
// overload (checked above). The count pins the list in distributions.hpp.
TEST(CrossFamilyKl, EveryDeclaredPairIsTested) {
  std::set<std::pair<std::string, std::string>> in_file;
  for (const json& c : cases()) {
    in_file.emplace(c.at("p").at("family").get<std::string>(),
                    c.at("q").at("family").get<std::string>());
  }
  // One example of each family, with parameters valid for every family.
  const std::map<std::string, const char*> example = {
      {"normal", "normal(0.3, 1.2)"},
      {"exponential", "exponential(0.7)"},
      {"gamma", "gamma(2.5, 1.5)"},
      {"chi2", "chi2(3)"},
      {"beta", "beta(2, 3)"},
      {"laplace", "laplace(0.1, 0.5)"},
      {"uniform", "uniform(2, 3)"},
      {"lognormal", "lognormal(0, 1)"},
      {"cauchy", "cauchy(0, 1)"},
      {"gumbel", "gumbel(0, 2)"},
      {"half_normal", "half_normal(1)"},
      {"pareto", "pareto(1.5, 3)"},
      {"weibull", "weibull(1, 2)"},
      {"student_t", "student_t(3)"},
      {"von_mises", "von_mises(0, 1)"},
      {"bernoulli", "bernoulli(0.3)"},
      {"binomial", "binomial(4, 0.3)"},
      {"poisson", "poisson(2)"},
      {"geometric", "geometric(0.4)"},
      {"categorical", "categorical([0.5, 0.5])"},
      {"dirichlet", "dirichlet([1, 2])"},
      {"multivariate_normal", "multivariate_normal([0, 0], [1, 1])"},
  };
  ASSERT_EQ(example.size(), kldiv::distribution_families().size());
  int declared = 0;
  for (const auto& [pn, ps] : example) {
    for (const auto& [qn, qs] : example) {
      const auto v = typed_kl(kldiv::parse_distribution(ps),
                              kldiv::parse_distribution(qs));
      if (!v) continue;
      ++declared;
      EXPECT_TRUE(in_file.count({pn, qn})) << pn << " || " << qn;
    }
  }
  EXPECT_EQ(declared, 74);
  EXPECT_EQ(static_cast<int>(in_file.size()), declared);
}

// A sweep over extreme parameters: every declared pair gives a number >= 0 or
// +inf, never NaN (and never throws).
TEST(CrossFamilyKl, NeverNaNOnExtremeParameters) {
  const std::vector<double> pos = {1e-300, 1e-12, 0.37, 1.0,
                                   2.0,    3.5,   1e12, 1e300};
  const std::vector<double> real = {-1e300, -1e6, -1.0, 0.0, 0.5, 1e6, 1e300};
  const std::vector<double> prob = {0.0, 1e-12, 0.5, 1.0 - 1e-12, 1.0};
  std::vector<kldiv::distribution> all;
  for (double a : pos) {
    all.emplace_back(kldiv::exponential(a));
    all.emplace_back(kldiv::chi2(a));
    all.emplace_back(kldiv::half_normal(a));
    all.emplace_back(kldiv::poisson(a));
    for (double b : pos) {
      all.emplace_back(kldiv::gamma(a, b));
      all.emplace_back(kldiv::beta(a, b));
      all.emplace_back(kldiv::pareto(a, b));
      all.emplace_back(kldiv::weibull(a, b));
    }
    for (double m : real) {
      all.emplace_back(kldiv::normal(m, a));
      all.emplace_back(kldiv::laplace(m, a));
      all.emplace_back(kldiv::gumbel(m, a));
    }
  }
  for (double lo : {-2.0, 0.0, 1e-300, 0.25, 1.0, 1e6}) {
    for (double w : {1e-9, 0.5, 1.0, 1e3}) {
      all.emplace_back(kldiv::uniform(lo, lo + w));
    }
  }
  for (double p : prob) {
    all.emplace_back(kldiv::bernoulli(p));
    all.emplace_back(kldiv::binomial(5, p));
  }
  long checked = 0;
  std::vector<std::string> bad;
  for (const auto& p : all) {
    for (const auto& q : all) {
      const auto v = typed_kl(p, q);
      if (!v) continue;
      ++checked;
      if (!(*v >= 0.0)) {
        bad.push_back(kldiv::describe(p) + " || " + kldiv::describe(q) + " = " +
                      std::to_string(*v));
      }
    }
  }
  EXPECT_GT(checked, 10000);
  EXPECT_TRUE(bad.empty()) << bad.size() << " NaN or negative, e.g.\n"
                           <<
      [&] {
        std::string s;
        for (std::size_t i = 0; i < bad.size() && i < 40; ++i)
          s += bad[i] + "\n";
        return s;
      }();
}

// Student's t keeps out of the closed forms (no cross pair is declared).
TEST(CrossFamilyKl, StudentTHasNone) {
  const auto t = kldiv::parse_distribution("student_t(3)");
  const auto n = kldiv::parse_distribution("normal(0, 1)");
  EXPECT_FALSE(typed_kl(t, n).has_value());
  EXPECT_FALSE(typed_kl(n, t).has_value());
  EXPECT_THROW(kldiv::kl(t, n), kldiv::NotSupported);
}

}  // namespace
