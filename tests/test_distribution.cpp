// Tests of include/kldiv/distribution.hpp: the spec language (every error
// message), descriptions, KL by closed form / support / Monte Carlo, the
// Monte Carlo estimate against the closed forms (tested against mpmath in
// test_distributions_kl.cpp) within 4 standard errors, and its
// reproducibility by seed for any thread count.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "kldiv/distribution.hpp"
#include "kldiv/error.hpp"
#include "support/test_support.hpp"

namespace {

using kldiv::distribution;
using kldiv::monte_carlo;
using kldiv::parse_distribution;
using kldiv_test::message_of;

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(DistributionSpec, PositionalNamedAndDefaults) {
  EXPECT_EQ(kldiv::describe(parse_distribution("normal(0, 1)")),
            "normal(loc=0, scale=1)");
  EXPECT_EQ(kldiv::describe(parse_distribution(" normal( loc = 1 , scale=2 )")),
            "normal(loc=1, scale=2)");
  EXPECT_EQ(kldiv::describe(parse_distribution("normal(scale=0.5)")),
            "normal(loc=0, scale=0.5)");
  EXPECT_EQ(kldiv::describe(parse_distribution("normal")),
            "normal(loc=0, scale=1)");
  EXPECT_EQ(kldiv::describe(parse_distribution("gamma(2)")),
            "gamma(shape=2, rate=1)");
  EXPECT_EQ(kldiv::describe(parse_distribution("student_t(3, scale=2)")),
            "student_t(df=3, loc=0, scale=2)");
  EXPECT_EQ(kldiv::describe(parse_distribution("binomial(10, 0.25)")),
            "binomial(n=10, p=0.25)");
  EXPECT_EQ(kldiv::describe(parse_distribution("categorical([0.2, 0.8])")),
            "categorical(probs=[0.2, 0.8])");
  EXPECT_EQ(kldiv::describe(parse_distribution("dirichlet(alpha=[1,2,3])")),
            "dirichlet(alpha=[1, 2, 3])");
  EXPECT_EQ(kldiv::describe(parse_distribution("uniform(-1e300, 0.1)")),
            "uniform(low=-1e+300, high=0.1)");
  EXPECT_EQ(kldiv::family(parse_distribution("half_normal(2)")), "half_normal");
  EXPECT_EQ(kldiv::distribution_families().size(),
            std::variant_size_v<distribution>);
}

TEST(DistributionSpec, FromAJsonFile) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("kldiv_spec_" + std::to_string(::getpid()) + ".json");
  // "@" + path, built without operator+ (GCC 12's false -Wrestrict).
  std::string spec = path.string();
  spec.insert(spec.begin(), '@');
  std::ofstream(path) << R"({"family": "gamma", "shape": 2.5, "rate": 4})";
  EXPECT_EQ(kldiv::describe(parse_distribution(spec)),
            "gamma(shape=2.5, rate=4)");
  std::ofstream(path) << R"({"family": "gamma", "sigma": 1})";
  EXPECT_EQ(message_of([&] { parse_distribution(spec); }),
            "gamma: unknown parameter 'sigma': its parameters are shape, rate");
  std::ofstream(path) << R"([1, 2])";
  EXPECT_THAT(message_of([&] { parse_distribution(spec); }),
              testing::EndsWith(": expected a JSON object with a \"family\" "
                                "string and the family's parameters"));
  std::filesystem::remove(path);
  EXPECT_THAT(message_of<kldiv::IoError>(
                  [] { parse_distribution("@/nonexistent/spec.json"); }),
              testing::HasSubstr("/nonexistent/spec.json: cannot open"));
}

TEST(DistributionSpec, ErrorsNameTheFamilyTheParameterAndWhatIsAllowed) {
  EXPECT_THAT(message_of([] { parse_distribution("normall(0, 1)"); }),
              testing::StartsWith("unknown family 'normall': choose one of "
                                  "normal, exponential, gamma,"));
  EXPECT_EQ(message_of([] { parse_distribution("normal(sigma=1)"); }),
            "normal: unknown parameter 'sigma': its parameters are loc, scale");
  EXPECT_EQ(message_of([] { parse_distribution("gamma(rate=1)"); }),
            "gamma: missing parameter 'shape' (its parameters are shape, "
            "rate)");
  EXPECT_EQ(message_of([] { parse_distribution("normal(0, 1, 2)"); }),
            "normal: 3 arguments, but it takes at most 2 (loc, scale)");
  EXPECT_EQ(message_of([] { parse_distribution("normal(0, x)"); }),
            "normal: scale = 'x' is not a number");
  EXPECT_EQ(message_of([] { parse_distribution("normal(loc=0, 1)"); }),
            "normal: a positional argument after a named one");
  EXPECT_EQ(message_of([] { parse_distribution("normal(0, loc=1)"); }),
            "normal: loc is given twice");
  EXPECT_EQ(message_of([] { parse_distribution("normal(0, 1"); }),
            "normal: the arguments must end with ')'");
  EXPECT_EQ(message_of([] { parse_distribution("categorical(0.5)"); }),
            "categorical: probs = '0.5' is not a JSON array of numbers");
  EXPECT_EQ(message_of([] { parse_distribution("dirichlet([1, 2)"); }),
            "dirichlet: unbalanced '[' in the arguments");
  EXPECT_EQ(message_of([] { parse_distribution("binomial(2.5, 0.5)"); }),
            "binomial: n = 2.5, but must be a whole number >= 0");
  EXPECT_EQ(message_of([] { parse_distribution("normal(0,)"); }),
            "normal: an empty argument");
}

// distribution_builder gives what make_distribution gives, for every family
// whose parameters are numbers, with the same checks; the others are refused.
TEST(DistributionBuilder, SameAsMakeDistribution) {
  const std::map<std::string, std::vector<double>> values = {
      {"normal", {0.5, 2}}, {"exponential", {1.5}},   {"gamma", {2, 3}},
      {"chi2", {3}},        {"beta", {2, 3}},         {"laplace", {0, 2}},
      {"uniform", {0, 2}},  {"lognormal", {0, 1}},    {"cauchy", {0, 1}},
      {"gumbel", {0, 1}},   {"half_normal", {2}},     {"pareto", {1, 3}},
      {"weibull", {2, 3}},  {"student_t", {3, 0, 1}}, {"von_mises", {0, 2}},
      {"bernoulli", {0.3}}, {"binomial", {5, 0.3}},   {"poisson", {2}},
      {"geometric", {0.4}}};
  std::size_t checked = 0;
  for (const auto& family : kldiv::distribution_families()) {
    SCOPED_TRACE(family);
    const auto it = values.find(family);
    if (it == values.end()) {
      EXPECT_THAT(message_of([&] { kldiv::distribution_builder b(family); }),
                  ::testing::HasSubstr("has a parameter that is not a number"));
      continue;
    }
    const kldiv::distribution_builder build(family);
    EXPECT_EQ(build.parameters(), it->second.size());
    std::vector<std::vector<double>> rows;
    std::vector<std::vector<double>> other_rows;
    for (const double v : it->second) {
      rows.push_back({v});
      other_rows.push_back({v});
    }
    other_rows[0][0] = family == "bernoulli" || family == "geometric"
                           ? 0.6
                           : it->second[0] + (family == "binomial" ? 2 : 0.5);
    const distribution a = build(it->second);
    const distribution b = kldiv::make_distribution(family, rows);
    const distribution other = kldiv::make_distribution(family, other_rows);
    ASSERT_EQ(a.index(), b.index());
    // The same distribution: the same KL to another of the family, bit for
    // bit (or the same refusal).
    const std::string ma =
        message_of<kldiv::Error>([&] { kldiv::kl(a, other); }, "");
    EXPECT_EQ(ma, message_of<kldiv::Error>([&] { kldiv::kl(b, other); }, ""));
    if (ma.empty()) {
      EXPECT_EQ(kldiv::kl(a, other).value, kldiv::kl(b, other).value);
    }
    ++checked;
  }
  EXPECT_EQ(checked, values.size());
  // The constructors' checks and a wrong count, as make_distribution says.
  const kldiv::distribution_builder gamma("gamma");
  const std::vector<double> bad = {-1.0, 1.0};
  EXPECT_EQ(message_of([&] { gamma(bad); }), message_of([&] {
              kldiv::make_distribution("gamma", {{-1.0}, {1.0}});
            }));
  const std::vector<double> one = {2.0};
  EXPECT_EQ(message_of([&] { gamma(one); }),
            "gamma: 1 parameter values, but it takes 2 (shape, rate)");
  const std::vector<double> half = {2.5, 0.5};
  EXPECT_THAT(
      message_of([&] { kldiv::distribution_builder("binomial")(half); }),
      ::testing::HasSubstr("binomial: n = 2.5, but must be a whole number"));
  EXPECT_THAT(message_of([&] { kldiv::distribution_builder b("nomal"); }),
              ::testing::HasSubstr("unknown family 'nomal'"));
}

TEST(DistributionKl, ClosedFormSupportAndNotSupported) {
  // KL(N(0,1) || N(1,2)) = log 2 + (1 + 1)/8 - 1/2, worked by hand.
  const auto r = kldiv::kl(parse_distribution("normal(0, 1)"),
                           parse_distribution("normal(1, 2)"));
  EXPECT_NEAR(r.value, std::log(2.0) + 2.0 / 8.0 - 0.5, 1e-15);
  EXPECT_TRUE(r.exact());
  EXPECT_EQ(r.method, "closed form");
  // Supports: the real line is not inside [0, inf) (Cauchy || Exponential
  // has no closed-form overload; Normal || Exponential has one, torch's
  // _kl_normal_infinity); a continuous P against a discrete Q.
  const auto inf = kldiv::kl(parse_distribution("cauchy(0, 1)"),
                             parse_distribution("exponential(1)"));
  EXPECT_EQ(inf.value, kInf);
  EXPECT_EQ(inf.method, "support");
  const auto inf_cf = kldiv::kl(parse_distribution("normal(0, 1)"),
                                parse_distribution("exponential(1)"));
  EXPECT_EQ(inf_cf.value, kInf);
  EXPECT_EQ(inf_cf.method, "closed form");
  EXPECT_EQ(kldiv::kl(parse_distribution("poisson(2)"),
                      parse_distribution("binomial(5, 0.5)"))
                .value,
            kInf);
  EXPECT_EQ(kldiv::kl(parse_distribution("normal(0, 1)"),
                      parse_distribution("poisson(1)"))
                .value,
            kInf);
  EXPECT_THAT(message_of<kldiv::NotSupported>([] {
                kldiv::kl(parse_distribution("student_t(3)"),
                          parse_distribution("student_t(5)"));
              }),
              testing::StartsWith("kl(student_t, student_t): no closed form "
                                  "here; a Monte Carlo estimate"));
  EXPECT_THAT(message_of<kldiv::NotSupported>([] {
                kldiv::kl(parse_distribution("dirichlet([1, 2])"),
                          parse_distribution("normal(0, 1)"));
              }),
              testing::HasSubstr("different sample spaces"));
}

// The Monte Carlo estimate within 4 standard errors of the closed form, for
// pairs of several families (continuous and discrete).
TEST(DistributionKl, MonteCarloWithinFourStandardErrors) {
  const char* pairs[][2] = {
      {"normal(0, 1)", "normal(0.5, 1.5)"},
      {"gamma(2, 1)", "gamma(3, 2)"},
      {"laplace(0, 1)", "laplace(1, 2)"},
      {"poisson(3)", "poisson(4.5)"},
      {"beta(2, 3)", "beta(3, 2)"},
      {"categorical([0.1, 0.2, 0.7])", "categorical([0.3, 0.3, 0.4])"},
  };
  for (const auto& pq : pairs) {
    SCOPED_TRACE(std::string(pq[0]) + " || " + pq[1]);
    const auto p = parse_distribution(pq[0]), q = parse_distribution(pq[1]);
    const double exact = kldiv::kl(p, q).value;
    const auto mc = kldiv::kl_monte_carlo(p, q, monte_carlo{200'000, 11, 0});
    EXPECT_FALSE(mc.exact());
    EXPECT_EQ(mc.method, "monte carlo");
    EXPECT_GT(mc.standard_error, 0.0);
    EXPECT_NEAR(mc.value, exact, 4 * mc.standard_error);
  }
}

TEST(DistributionKl, MonteCarloReproducibleForAnyThreadCount) {
  const auto p = parse_distribution("student_t(3)");
  const auto q = parse_distribution("student_t(5, 0.5, 2)");
  const auto one = kldiv::kl(p, q, monte_carlo{100'003, 42, 1});
  for (int threads : {2, 7}) {
    const auto r = kldiv::kl(p, q, monte_carlo{100'003, 42, threads});
    EXPECT_EQ(r.value, one.value);
    EXPECT_EQ(r.standard_error, one.standard_error);
  }
  const auto other_seed = kldiv::kl(p, q, monte_carlo{100'003, 43, 1});
  EXPECT_NE(other_seed.value, one.value);
  EXPECT_EQ(one.samples, 100'003u);
  // Where Q has no mass at some draw from P, the estimate is +inf.
  const auto inf = kldiv::kl_monte_carlo(parse_distribution("poisson(3)"),
                                         parse_distribution("geometric(1)"),
                                         monte_carlo{1000, 1, 1});
  EXPECT_EQ(inf.value, kInf);
  EXPECT_EQ(message_of([&] {
              kldiv::kl(p, q, monte_carlo{1, 0, 0});
            }),
            "monte_carlo: samples = 1, but must be >= 2");
}

}  // namespace

namespace {

TEST(DistributionKl, ExactSumForFiniteSupportAgainstAnotherDiscreteFamily) {
  // Bernoulli(0.3) as (0.7, 0.3) against (0.5, 0.25, 0.25), by hand.
  auto r = kldiv::kl(parse_distribution("bernoulli(0.3)"),
                     parse_distribution("categorical([0.5, 0.25, 0.25])"));
  EXPECT_EQ(r.method, "exact sum");
  EXPECT_TRUE(r.exact());
  EXPECT_NEAR(r.value, 0.7 * std::log(0.7 / 0.5) + 0.3 * std::log(0.3 / 0.25),
              1e-16);
  // Binomial(5, 0.3) against Poisson(2): the sum written out with lgamma.
  double want = 0.0;
  for (int k = 0; k <= 5; ++k) {
    const double lp = std::lgamma(6.0) - std::lgamma(k + 1.0) -
                      std::lgamma(6.0 - k) + k * std::log(0.3) +
                      (5 - k) * std::log(0.7);
    const double lq = k * std::log(2.0) - 2.0 - std::lgamma(k + 1.0);
    want += std::exp(lp) * (lp - lq);
  }
  r = kldiv::kl(parse_distribution("binomial(5, 0.3)"),
                parse_distribution("poisson(2)"));
  EXPECT_EQ(r.method, "exact sum");
  EXPECT_NEAR(r.value, want, 1e-14);
  // P's mass where Q has none: +inf (categorical has 3 points, binomial 4).
  EXPECT_EQ(kldiv::kl(parse_distribution("binomial(3, 0.5)"),
                      parse_distribution("categorical([0.5, 0.25, 0.25])"))
                .value,
            kInf);
  // With monte_carlo asked, the exact sum is still preferred.
  r = kldiv::kl(parse_distribution("bernoulli(0.3)"),
                parse_distribution("geometric(0.5)"), monte_carlo{1000, 1});
  EXPECT_EQ(r.method, "exact sum");
  // 0.7 log(0.7/0.5) + 0.3 log(0.3/0.25), Q(k) = 0.5^(k+1).
  EXPECT_NEAR(r.value, 0.7 * std::log(1.4) + 0.3 * std::log(1.2), 1e-16);
}

}  // namespace

namespace {

TEST(DistributionMvn, SpecsClosedFormsAndMonteCarlo) {
  const auto p =
      parse_distribution("multivariate_normal([0, 0], [[2, 0.5], [0.5, 1]])");
  const auto q =
      parse_distribution("multivariate_normal(mean=[1, 0], covariance=[1, 1])");
  EXPECT_EQ(kldiv::describe(p),
            "multivariate_normal(mean=[0, 0], covariance=[[2, 0.5], [0.5, "
            "1]])");
  EXPECT_EQ(kldiv::describe(q),
            "multivariate_normal(mean=[1, 0], covariance=[1, 1])");
  // ½ [tr Σp + |δ|² - d - log det Σp] with Σq = I: ½ [3 + 1 - 2 - log 1.75].
  const auto r = kldiv::kl(p, q);
  EXPECT_EQ(r.method, "closed form");
  EXPECT_NEAR(r.value, 0.5 * (2.0 - std::log(1.75)), 1e-15);
  // The Monte Carlo estimate within 4 standard errors of it, and the same
  // for any thread count.
  const auto mc = kldiv::kl_monte_carlo(p, q, monte_carlo{200'000, 3, 1});
  EXPECT_NEAR(mc.value, r.value, 4 * mc.standard_error);
  EXPECT_EQ(kldiv::kl_monte_carlo(p, q, monte_carlo{200'000, 3, 2}).value,
            mc.value);
  // Against a one-dimensional family, or another dimension: no common
  // sample space / the dimensions named.
  EXPECT_THAT(message_of<kldiv::NotSupported>(
                  [&] { kldiv::kl(p, parse_distribution("normal")); }),
              testing::HasSubstr("different sample spaces"));
  EXPECT_EQ(message_of([&] {
              kldiv::kl(p, parse_distribution("multivariate_normal([0], [1])"));
            }),
            "kl(multivariate_normal, multivariate_normal): p has dimension 2 "
            "but q has 1");
  // Bad covariances: not square, not positive definite, wrong shape.
  EXPECT_EQ(message_of([] {
              parse_distribution("multivariate_normal([0, 0], [[1, 2], [2]])");
            }),
            "multivariate_normal: covariance row 1 has 1 entries, but the "
            "matrix has 2 rows (it must be square)");
  EXPECT_THAT(
      message_of([] {
        parse_distribution("multivariate_normal([0, 0], [[1, 2], [2, 1]])");
      }),
      testing::HasSubstr("not positive definite: its leading minor of "
                         "order 2 is not > 0"));
  EXPECT_EQ(message_of([] {
              parse_distribution("multivariate_normal([0, 0], [[1], 2])");
            }),
            "multivariate_normal: covariance = '[[1], 2]' is not a JSON "
            "matrix (array of rows) or array of numbers");
  // make_distribution: the covariance row-major (d * d) or the diagonal.
  const auto m = kldiv::make_distribution("multivariate_normal",
                                          {{0.0, 0.0}, {2.0, 0.5, 0.5, 1.0}});
  EXPECT_EQ(kldiv::describe(m), kldiv::describe(p));
}

}  // namespace
