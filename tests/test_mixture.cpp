// KL between Gaussian mixtures against tools/gen_mixture_reference.py, which
// re-derives every deterministic method from the papers' formulas in mpmath
// and brackets a long Monte Carlo (or, in d = 1, quadrature) truth with the
// bounds: every method on random mixtures (full, diagonal and mixed forms,
// d = 1, 2, 5, 20, well-separated components, zero weights), one-component
// pairs against the closed form, identical mixtures against 0, Monte Carlo
// and Jensen-Shannon against the truth, reproducibility across threads, the
// summary, and the messages.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kldiv/distributions.hpp"
#include "kldiv/error.hpp"
#include "kldiv/mixture.hpp"
#include "support/test_support.hpp"

namespace {

using json = nlohmann::json;
using kldiv::gaussian_mixture;
using kldiv::gmm_method;
using kldiv::multivariate_normal;
using kldiv_test::message_of;

const json& reference() {
  return kldiv_test::reference_file("mixture_reference.json");
}

const json& cases() { return reference()["cases"]; }

// Through the k x d / k x (d*d) constructors, as the form says.
gaussian_mixture make(const json& m) {
  const auto w = m["weights"].get<std::vector<double>>();
  const auto means = m["means"].get<std::vector<std::vector<double>>>();
  const auto covs =
      m["covariances"].get<std::vector<std::vector<std::vector<double>>>>();
  const std::size_t k = w.size(), d = means[0].size();
  std::vector<double> mu, c;
  for (const auto& r : means) mu.insert(mu.end(), r.begin(), r.end());
  const auto mv = kldiv::matrix_view<double>::dense(mu.data(), k, d);
  if (m["form"] == "diagonal") {
    for (const auto& s : covs) {
      for (std::size_t i = 0; i < d; ++i) c.push_back(s[i][i]);
    }
    return gaussian_mixture::diagonal(
        w, mv, kldiv::matrix_view<double>::dense(c.data(), k, d));
  }
  for (const auto& s : covs) {
    for (const auto& r : s) c.insert(c.end(), r.begin(), r.end());
  }
  return gaussian_mixture::full(
      w, mv, kldiv::matrix_view<double>::dense(c.data(), k, d * d));
}

multivariate_normal first_component(const json& m) {
  const auto mean = m["means"][0].get<std::vector<double>>();
  const auto rows = m["covariances"][0].get<std::vector<std::vector<double>>>();
  std::vector<double> flat;
  for (const auto& r : rows) flat.insert(flat.end(), r.begin(), r.end());
  return multivariate_normal::full(
      mean,
      kldiv::matrix_view<double>::dense(flat.data(), mean.size(), mean.size()));
}

double kl_by(const gaussian_mixture& f, const gaussian_mixture& g,
             const std::string& method, const kldiv::gmm_options& o = {}) {
  return kldiv::kl(f, g, kldiv::gmm_method_named(method), o).value;
}

TEST(Mixture, MethodNamesRoundTrip) {
  const std::vector<std::string> names{
      "monte_carlo",       "unscented",     "gaussian",
      "product",           "matched_bound", "variational",
      "variational_upper", "lower_bound",   "upper_bound"};
  ASSERT_EQ(kldiv::gmm_methods().size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(kldiv::gmm_method_name(kldiv::gmm_methods()[i]), names[i]);
    EXPECT_EQ(kldiv::gmm_method_named(names[i]), kldiv::gmm_methods()[i]);
  }
}

TEST(Mixture, EveryDeterministicMethodAgainstTheReference) {
  for (const auto& c : cases()) {
    const auto f = make(c["f"]), g = make(c["g"]);
    for (const auto& [method, ref] : c["methods"].items()) {
      const double want = ref["value"].get<double>();
      // 1e-10 relative; where the value is a difference of larger terms
      // (the DTK bounds, log-sum-exps of opposite sign, identical mixtures),
      // plus 1e-14 of the terms' magnitude: rounding in double cannot do
      // better than that. The variational upper bound stops when its change
      // drops below 1e-12, and rounding can move that stop by one iteration
      // (a change of about 1e-12): 1e-11 absolute more.
      double tol =
          1e-10 * std::fabs(want) + 1e-14 * ref["magnitude"].get<double>();
      if (method == "variational_upper") tol += 1e-11;
      EXPECT_NEAR(kl_by(f, g, method), want, tol)
          << c["name"].get<std::string>() << " " << method;
    }
  }
}

TEST(Mixture, LogPdfAndMomentMatchAgainstTheReference) {
  for (const auto& c : cases()) {
    if (!c.contains("log_pdf_f")) continue;
    const auto f = make(c["f"]);
    const std::string name = c["name"];
    const auto x = c["log_pdf_f"]["x"].get<std::vector<std::vector<double>>>();
    const auto want = c["log_pdf_f"]["value"].get<std::vector<double>>();
    std::vector<double> flat;
    for (std::size_t i = 0; i < x.size(); ++i) {
      EXPECT_NEAR(kldiv::log_pdf(f, x[i]), want[i], 1e-12 * std::fabs(want[i]))
          << name << " x[" << i << "]";
      flat.insert(flat.end(), x[i].begin(), x[i].end());
    }
    std::vector<double> out(x.size());
    kldiv::log_pdf(
        f,
        kldiv::matrix_view<double>::dense(flat.data(), x.size(), x[0].size()),
        out, 2);
    for (std::size_t i = 0; i < x.size(); ++i) {
      EXPECT_EQ(out[i], kldiv::log_pdf(f, x[i])) << name << " row " << i;
    }
    // The moment-matched Gaussian: its KL to a fixed Gaussian equals the KL
    // of the reference's mean and covariance to it (the header exposes only
    // the factor, so compare through the exact KL, 1e-12 relative).
    const auto mm = kldiv::moment_match(f);
    const auto mean = c["moment_match_f"]["mean"].get<std::vector<double>>();
    const auto cov = c["moment_match_f"]["covariance"]
                         .get<std::vector<std::vector<double>>>();
    std::vector<double> cf;
    for (const auto& r : cov) cf.insert(cf.end(), r.begin(), r.end());
    const auto want_mm = multivariate_normal::full(
        mean,
        kldiv::matrix_view<double>::dense(cf.data(), mean.size(), mean.size()));
    ASSERT_EQ(mm.dim(), mean.size());
    for (std::size_t i = 0; i < mean.size(); ++i) {
      EXPECT_NEAR(mm.mean()[i], mean[i], 1e-12 * (1 + std::fabs(mean[i])))
          << name;
    }
    const auto unit =
        multivariate_normal::diagonal(std::vector<double>(mean.size(), 0.0),
                                      std::vector<double>(mean.size(), 1.0));
    const double want_kl = kldiv::kl(want_mm, unit);
    EXPECT_NEAR(kldiv::kl(mm, unit), want_kl, 1e-11 * want_kl) << name;
    EXPECT_NEAR(kldiv::kl(want_mm, mm), 0.0, 1e-11) << name;
  }
}

TEST(Mixture, OneComponentReducesToTheClosedForm) {
  const json& exact = reference()["equals_closed_form"];
  int seen = 0;
  for (const auto& c : cases()) {
    if (c["kind"] != "one_component") continue;
    ++seen;
    const std::string name = c["name"];
    const double closed = c["closed_form"].get<double>();
    const double mvn =
        kldiv::kl(first_component(c["f"]), first_component(c["g"]));
    EXPECT_NEAR(mvn, closed, 1e-12 * closed) << name;
    const auto f = make(c["f"]), g = make(c["g"]);
    for (const auto& m : exact) {
      const std::string method = m;
      EXPECT_NEAR(kl_by(f, g, method), mvn, 1e-12 * mvn)
          << name << " " << method;
      // and not merely for the methods that say so: the others must differ.
      EXPECT_TRUE(c["equals_closed_form"][method].get<bool>()) << name;
    }
    for (const auto& [method, equal] : c["equals_closed_form"].items()) {
      if (equal.get<bool>()) continue;
      EXPECT_GT(std::fabs(kl_by(f, g, method) - mvn), 1e-3)
          << name << " " << method;
    }
  }
  EXPECT_EQ(seen, 8);
}

TEST(Mixture, IdenticalMixturesGiveZero) {
  const json& zero = reference()["zero_for_identical"];
  int seen = 0;
  for (const auto& c : cases()) {
    if (c["kind"] != "identical") continue;
    ++seen;
    const std::string name = c["name"];
    // Two mixtures built from the same numbers, not one object twice.
    const auto f = make(c["f"]), g = make(c["g"]);
    for (const auto& m : zero) {
      const std::string method = m;
      EXPECT_NEAR(kl_by(f, g, method), 0.0, 1e-12) << name << " " << method;
    }
    // The variational upper bound tends to 0 only linearly (about 0.9 per
    // iteration), so its stopping rule (a change below 1e-12) leaves about
    // 1e-11 (the reference's limit, iterated further, is 0).
    const double vu = kl_by(f, g, "variational_upper");
    EXPECT_GE(vu, 0.0) << name;
    EXPECT_LT(vu, 1e-10) << name;
    // Monte Carlo: log f(x) - log g(x) is 0 at every draw.
    kldiv::gmm_options o;
    o.samples = 1000;
    const auto mc = kldiv::kl(f, g, gmm_method::monte_carlo, o);
    EXPECT_EQ(mc.value, 0.0) << name;
    EXPECT_EQ(mc.standard_error, 0.0) << name;
    const auto js = kldiv::js_monte_carlo(f, g, o);
    EXPECT_EQ(js.value, 0.0) << name;
  }
  EXPECT_EQ(seen, 5);
}

TEST(Mixture, BoundsBracketTheTruthAndMonteCarloFindsIt) {
  kldiv::gmm_options o;
  o.samples = 200'000;
  o.seed = 7;
  int seen = 0;
  for (const auto& c : cases()) {
    if (!c.contains("truth")) continue;
    ++seen;
    const std::string name = c["name"];
    const auto f = make(c["f"]), g = make(c["g"]);
    const double truth = c["truth"]["value"].get<double>();
    const double se = c["truth"]["se"].get<double>();
    EXPECT_LE(kl_by(f, g, "lower_bound"), truth + 4 * se) << name;
    EXPECT_GE(kl_by(f, g, "upper_bound"), truth - 4 * se) << name;
    EXPECT_GE(kl_by(f, g, "variational_upper"), truth - 4 * se) << name;
    const auto mc = kldiv::kl(f, g, gmm_method::monte_carlo, o);
    EXPECT_EQ(mc.samples, o.samples);
    EXPECT_NEAR(mc.value, truth, 4 * std::hypot(mc.standard_error, se)) << name;
    // Its standard error is sd / sqrt(n), sd that of log f - log g under f
    // (from 10^6 draws or quadrature): within 15%.
    const double want_se =
        c["truth"]["sd"].get<double>() / std::sqrt(double(o.samples));
    EXPECT_NEAR(mc.standard_error, want_se, 0.15 * want_se) << name;
  }
  EXPECT_EQ(seen, 20);
}

// Each approximation within its expected distance of the truth (long Monte
// Carlo or quadrature) on the 20 random reference cases: the median relative
// error of each method over the set, bounded by what this set shows
// (reference values from tools/gen_mixture_reference.py: unscented 3%,
// variational 26%, matched bound and Gaussian 33-35%, product 57%), with
// headroom. The unscented transform is the closest here, as in Hershey &
// Olsen's experiments; the others trade accuracy for being deterministic
// and cheap, which is why the summary shows them beside Monte Carlo.
TEST(Mixture, ApproximationsWithinTheirExpectedDistanceOfTheTruth) {
  const std::map<std::string, double> band = {{"unscented", 0.06},
                                              {"variational", 0.35},
                                              {"matched_bound", 0.45},
                                              {"gaussian", 0.45},
                                              {"product", 0.75}};
  std::map<std::string, std::vector<double>> errors;
  for (const auto& c : cases()) {
    if (!c.contains("truth") || c["kind"] == "identical" ||
        c["kind"] == "one_component") {
      continue;
    }
    const double truth = c["truth"]["value"].get<double>();
    const auto f = make(c["f"]), g = make(c["g"]);
    for (const auto& [method, limit] : band) {
      errors[method].push_back(std::fabs(kl_by(f, g, method) - truth) /
                               std::fabs(truth));
    }
  }
  for (auto& [method, e] : errors) {
    ASSERT_GE(e.size(), 10u) << method;
    std::sort(e.begin(), e.end());
    EXPECT_LE(e[e.size() / 2], band.at(method)) << method;
  }
}

TEST(Mixture, MonteCarloIsReproducibleAcrossThreadCounts) {
  const json* pick = nullptr;
  for (const auto& c : cases()) {
    if (c["name"] == "random_d5_mixed_1") pick = &c;
  }
  ASSERT_NE(pick, nullptr);
  const auto f = make((*pick)["f"]), g = make((*pick)["g"]);
  kldiv::gmm_options o;
  o.samples = 30'001;  // not a round number of blocks
  o.seed = 42;
  o.threads = 1;
  const auto kl1 = kldiv::kl(f, g, gmm_method::monte_carlo, o);
  const auto js1 = kldiv::js_monte_carlo(f, g, o);
  for (const int t : {2, 7}) {
    o.threads = t;
    const auto kl = kldiv::kl(f, g, gmm_method::monte_carlo, o);
    const auto js = kldiv::js_monte_carlo(f, g, o);
    EXPECT_EQ(kl.value, kl1.value) << t << " threads";
    EXPECT_EQ(kl.standard_error, kl1.standard_error) << t << " threads";
    EXPECT_EQ(js.value, js1.value) << t << " threads";
    EXPECT_EQ(js.standard_error, js1.standard_error) << t << " threads";
  }
  o.threads = 2;
  o.seed = 43;
  EXPECT_NE(kldiv::kl(f, g, gmm_method::monte_carlo, o).value, kl1.value);
  EXPECT_NE(kldiv::js_monte_carlo(f, g, o).value, js1.value);
  // One draw: a point of dimension d, the same for the same stream.
  kldiv::random_stream r1(5), r2(5);
  const auto x1 = kldiv::sample(f, r1), x2 = kldiv::sample(f, r2);
  EXPECT_EQ(x1.size(), f.dim());
  EXPECT_EQ(x1, x2);
}

TEST(Mixture, SamplesHaveTheMixtureMoments) {
  // The mean of 20000 draws of a 2-D mixture is its mean within 5 SE.
  const json* pick = nullptr;
  for (const auto& c : cases()) {
    if (c["name"] == "random_d2_full_0") pick = &c;
  }
  ASSERT_NE(pick, nullptr);
  const auto f = make((*pick)["f"]);
  const auto mm = kldiv::moment_match(f);
  const int n = 20'000;
  kldiv::random_stream r(11);
  std::vector<double> sum(2, 0.0);
  for (int i = 0; i < n; ++i) {
    const auto x = kldiv::sample(f, r);
    for (int j = 0; j < 2; ++j) sum[j] += x[j];
  }
  const auto cov = (*pick)["moment_match_f"]["covariance"]
                       .get<std::vector<std::vector<double>>>();
  for (int j = 0; j < 2; ++j) {
    EXPECT_NEAR(sum[j] / n, mm.mean()[j], 5 * std::sqrt(cov[j][j] / n)) << j;
  }
}

TEST(Mixture, ManyDrawsAtOnceAreTheSingleDrawsInOrder) {
  // sample(f, r, n) must give the numbers of n one-draw calls on the same
  // stream (across the 4096-draw blocks it works in).
  const auto f = make(cases().front()["f"]);
  const std::size_t n = 5000, d = f.dim();
  kldiv::random_stream a(3), b(3);
  const auto many = kldiv::sample(f, a, n);
  ASSERT_EQ(many.size(), n * d);
  for (std::size_t i = 0; i < n; ++i) {
    const auto one = kldiv::sample(f, b);
    for (std::size_t j = 0; j < d; ++j) {
      ASSERT_EQ(many[i * d + j], one[j]) << i << " " << j;
    }
  }
}

TEST(Mixture, JensenShannonByMonteCarlo) {
  kldiv::gmm_options o;
  o.samples = 100'000;
  o.seed = 3;
  int seen = 0;
  for (const auto& c : cases()) {
    if (!c.contains("js")) continue;
    ++seen;
    const auto f = make(c["f"]), g = make(c["g"]);
    const auto js = kldiv::js_monte_carlo(f, g, o);
    const double want = c["js"]["value"].get<double>();
    const double se = c["js"]["se"].get<double>();
    EXPECT_EQ(js.kind, "estimate");
    EXPECT_GT(js.standard_error, 0.0);
    EXPECT_NEAR(js.value, want, 4 * std::hypot(js.standard_error, se))
        << c["name"].get<std::string>();
    EXPECT_GE(js.value, 0.0);
    EXPECT_LE(js.value, std::log(2.0));
  }
  EXPECT_EQ(seen, 4);
}

TEST(Mixture, SummaryHasEveryMethodInOrderWithItsKind) {
  kldiv::gmm_options o;
  o.samples = 20'000;
  for (const auto& c : cases()) {
    const std::string name = c["name"];
    if (name != "random_d2_full_1" && name != "one_component_d2_full") continue;
    const bool one = c["kind"] == "one_component";
    const auto f = make(c["f"]), g = make(c["g"]);
    const auto s = kldiv::kl_summary(f, g, o);
    const auto& methods = kldiv::gmm_methods();
    ASSERT_EQ(s.size(), methods.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
      const std::string m(kldiv::gmm_method_name(methods[i]));
      EXPECT_EQ(s[i].method, methods[i]) << name << " " << i;
      std::string kind = "approximation";
      if (m == "monte_carlo") kind = "estimate";
      if (m == "lower_bound") kind = "lower bound";
      if (m == "upper_bound" || m == "variational_upper") kind = "upper bound";
      // One component each: the methods that reduce to the closed form say
      // so. The unscented transform does too (it integrates the quadratic
      // log f/g exactly, see the reference), but the header does not promise
      // "exact" for it: either word is accepted there.
      if (one && (m == "gaussian" || m == "matched_bound" ||
                  m == "variational" || m == "variational_upper")) {
        kind = "exact";
      }
      if (one && m == "unscented") {
        EXPECT_THAT(s[i].kind, testing::AnyOf("exact", "approximation"));
      } else {
        EXPECT_EQ(s[i].kind, kind) << name << " " << m;
      }
      EXPECT_GE(s[i].seconds, 0.0);
      const auto alone = kldiv::kl(f, g, methods[i], o);
      EXPECT_EQ(s[i].value, alone.value) << name << " " << m;
      if (m == "monte_carlo") {
        EXPECT_EQ(s[i].samples, o.samples);
        EXPECT_GT(s[i].standard_error, 0.0);
      } else {
        EXPECT_EQ(s[i].standard_error, 0.0) << m;
        EXPECT_NEAR(s[i].value, c["methods"][m]["value"].get<double>(),
                    1e-9 * std::fabs(s[i].value) + 1e-11)
            << name << " " << m;
      }
    }
  }
}

TEST(Mixture, ErrorsNameWhatIsWrong) {
  using testing::AllOf;
  using testing::HasSubstr;
  const auto a = multivariate_normal::diagonal({0, 0}, {1, 1});
  const auto b = multivariate_normal::diagonal({1, 0}, {2, 1});
  const auto c3 = multivariate_normal::diagonal({0, 0, 0}, {1, 1, 1});
  EXPECT_THAT(message_of([&] {
                gaussian_mixture({0.5, 0.6}, {a, b});
              }),
              AllOf(HasSubstr("weights"), HasSubstr("sum"), HasSubstr("1.1")));
  EXPECT_THAT(message_of([&] {
                gaussian_mixture({-0.5, 1.5}, {a, b});
              }),
              AllOf(HasSubstr("weights[0]"), HasSubstr("-0.5")));
  EXPECT_THAT(message_of([&] {
                gaussian_mixture({0.5, 0.5}, {a, c3});
              }),
              AllOf(HasSubstr("component 1"), HasSubstr("dimension")));
  EXPECT_THAT(message_of([&] {
                gaussian_mixture({1.0}, {a, b});
              }),
              AllOf(HasSubstr("1 weights"), HasSubstr("2 components")));
  EXPECT_THAT(message_of([&] { gaussian_mixture({}, {}); }),
              HasSubstr("no components"));
  // Within 1e-6 of 1 is accepted (and renormalised).
  const gaussian_mixture near({0.5, 0.5 + 5e-7}, {a, b});
  EXPECT_NEAR(near.weights()[0] + near.weights()[1], 1.0, 1e-15);

  // Component 1's covariance [[1, 2], [2, 1]] is indefinite.
  const std::vector<double> means{0, 0, 1, 1};
  const std::vector<double> covs{1, 0, 0, 1, 1, 2, 2, 1};
  EXPECT_THAT(message_of([&] {
                gaussian_mixture::full(
                    {0.5, 0.5},
                    kldiv::matrix_view<double>::dense(means.data(), 2, 2),
                    kldiv::matrix_view<double>::dense(covs.data(), 2, 4));
              }),
              AllOf(HasSubstr("component 1"), HasSubstr("positive definite")));
  const std::vector<double> vars{1, 1, 1, -1};
  EXPECT_THAT(message_of([&] {
                gaussian_mixture::diagonal(
                    {0.5, 0.5},
                    kldiv::matrix_view<double>::dense(means.data(), 2, 2),
                    kldiv::matrix_view<double>::dense(vars.data(), 2, 2));
              }),
              AllOf(HasSubstr("component 1"), HasSubstr("variances[1]")));

  const gaussian_mixture f2({1.0}, {a}), f3({1.0}, {c3});
  EXPECT_THAT(message_of([&] { kldiv::kl(f2, f3, gmm_method::variational); }),
              AllOf(HasSubstr("dimension 2"), HasSubstr("3")));
  EXPECT_THAT(message_of([&] { kldiv::js_monte_carlo(f2, f3); }),
              HasSubstr("dimension 2"));
  EXPECT_THAT(message_of([&] {
                kldiv::log_pdf(f2, std::vector<double>{0.0, 0.0, 0.0});
              }),
              HasSubstr("3"));

  const std::string unknown =
      message_of([] { kldiv::gmm_method_named("nope"); });
  EXPECT_THAT(unknown, HasSubstr("nope"));
  for (const auto m : kldiv::gmm_methods()) {
    EXPECT_THAT(unknown, HasSubstr(std::string(kldiv::gmm_method_name(m))));
  }
}

}  // namespace
