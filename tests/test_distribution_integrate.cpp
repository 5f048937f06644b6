// kl_integrate (numerical integration with Boost.Math's double-exponential
// quadratures; summation for discrete families) against the mpmath
// references of tests/data/distributions_kl_reference.json
// (tools/gen_distributions_kl_reference.py: quadrature at 30 digits, exact
// sums), which also hold Student's t pairs that have no closed form. So every
// same-family closed form is checked against numerical integration here too,
// and the quadrature against an independent one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kldiv/distribution.hpp"
#include "kldiv/error.hpp"
#include "support/test_support.hpp"

namespace {

using json = nlohmann::json;
constexpr double kInf = std::numeric_limits<double>::infinity();

const json& reference() {
  return kldiv_test::reference_file("distributions_kl_reference.json");
}

// The reference's parameters as make_distribution takes them (each a list).
kldiv::distribution make(const std::string& family, const json& params) {
  const auto v = params.get<std::vector<double>>();
  std::vector<std::vector<double>> values;
  if (family == "categorical" || family == "dirichlet") {
    values.push_back(v);
  } else {
    for (double x : v) values.push_back({x});
  }
  return kldiv::make_distribution(family, values);
}

TEST(KlIntegrate, EveryOneDimensionalReferencePair) {
  int checked = 0;
  for (const auto& c : reference()) {
    const auto f = c["family"].get<std::string>();
    if (f == "dirichlet") continue;  // not one-dimensional
    const auto p = make(f, c["p"]), q = make(f, c["q"]);
    const double want = c["kl"].get<double>();
    const auto r = kldiv::kl_integrate(p, q);
    // The quadrature asked for 1e-12; its own error estimate must be honest
    // (the true error within it, or within 1e-12 of the value).
    const double tol =
        std::max(1e-10 * std::max(want, 1e-3), 2 * r.standard_error);
    EXPECT_NEAR(r.value, want, tol) << f << " p=" << c["p"] << " q=" << c["q"];
    EXPECT_EQ(r.method, f == "bernoulli" || f == "binomial" || f == "poisson" ||
                                f == "geometric" || f == "categorical"
                            ? "summation"
                            : "quadrature");
    ++checked;
  }
  EXPECT_GE(checked, 80);
}

// The cross-family closed forms' reference (mpmath quadrature, cross-checked
// with torch): kl_integrate on every finite one-dimensional pair.
TEST(KlIntegrate, EveryCrossFamilyReferencePair) {
  const json& data =
      kldiv_test::reference_file("distributions_kl_cross_reference.json");
  const auto make_spec = [](const json& d) {
    std::string spec = d.at("family").get<std::string>() + "(";
    bool first = true;
    for (const auto& [key, value] : d.items()) {
      if (key == "family") continue;
      spec += (first ? "" : ", ") + key + "=" + value.dump();
      first = false;
    }
    return kldiv::parse_distribution(spec + ")");
  };
  int checked = 0;
  for (const auto& c : data.at("cases")) {
    if (!c.at("kl").is_number()) continue;  // the +inf pairs
    const double want = c.at("kl").get<double>();
    const auto p = make_spec(c.at("p")), q = make_spec(c.at("q"));
    kldiv::kl_result r;
    try {
      r = kldiv::kl_integrate(p, q);
    } catch (const kldiv::NotSupported&) {
      continue;  // a discrete P against a continuous Q and the like
    }
    double tol = std::max(1e-9 * std::max(want, 1e-3), 2 * r.standard_error);
    // Known limits of double-precision quadrature (kl_integrate's
    // documentation): the mass within 1e-16 of a Beta's singular endpoint
    // (a or b < 1) cannot be resolved, and a Pareto with alpha near 2
    // against a normal has an integrand decaying like x^-1.05, whose tail
    // beyond the largest abscissa is lost. There 1e-5 relative.
    const auto& pp = c.at("p");
    const bool singular =
        pp.at("family") == "beta" &&
        (pp.at("a").get<double>() < 1.0 || pp.at("b").get<double>() < 1.0);
    const bool slow_tail = pp.at("family") == "pareto" &&
                           c.at("q").at("family") == "normal" &&
                           pp.at("alpha").get<double>() < 2.5;
    if (singular || slow_tail) tol = std::max(tol, 1e-5 * want);
    EXPECT_NEAR(r.value, want, tol) << c.at("p") << " || " << c.at("q");
    ++checked;
  }
  EXPECT_GE(checked, 300);
}

TEST(KlIntegrate, InfinityUnsupportedPairsAndTolerance) {
  using kldiv::parse_distribution;
  // P has mass where Q has none.
  EXPECT_EQ(kldiv::kl_integrate(parse_distribution("uniform(0, 2)"),
                                parse_distribution("uniform(0, 1)"))
                .value,
            kInf);
  EXPECT_EQ(kldiv::kl_integrate(parse_distribution("poisson(3)"),
                                parse_distribution("binomial(4, 0.5)"))
                .value,
            kInf);
  // A cross-family pair without a closed form: Cauchy against normal,
  // E_P[log p - log q] with q standard normal is infinite (E x² = inf).
  const auto cn = kldiv::kl_integrate(parse_distribution("cauchy(0, 1)"),
                                      parse_distribution("normal(0, 1)"));
  EXPECT_TRUE(cn.value > 1e3 || cn.value == kInf);
  // Normal against Cauchy is finite; two tolerances must agree within the
  // coarser one (its value is checked against mpmath in the Python tests).
  const auto a = kldiv::kl_integrate(parse_distribution("normal(0, 1)"),
                                     parse_distribution("cauchy(0, 1)"), 1e-12);
  const auto b = kldiv::kl_integrate(parse_distribution("normal(0, 1)"),
                                     parse_distribution("cauchy(0, 1)"), 1e-6);
  EXPECT_NEAR(a.value, b.value, 1e-6 * a.value);
  EXPECT_THAT(
      [] {
        try {
          kldiv::kl_integrate(kldiv::parse_distribution("normal"),
                              kldiv::parse_distribution("poisson(1)"));
        } catch (const kldiv::NotSupported& e) {
          return std::string(e.what());
        }
        return std::string();
      }(),
      testing::HasSubstr("numerical integration covers pairs of "
                         "one-dimensional distributions"));
  EXPECT_THROW(kldiv::kl_integrate(kldiv::parse_distribution("normal"),
                                   kldiv::parse_distribution("normal"), 0.0),
               kldiv::InvalidArgument);
}

}  // namespace
