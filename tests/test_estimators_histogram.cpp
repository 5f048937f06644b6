// Histogram and categorical KL on bins fitted on the reference sample,
// against tools/gen_sample1d_reference.py: bin edges from
// numpy.histogram_bin_edges for every named rule and integer counts,
// quantile edges from np.quantile (coinciding ones merged), counts from
// np.histogram plus the two outer bins, and the smoothed KL and its terms in
// mpmath (checked there against scipy.special.rel_entr). Samples: normal,
// lognormal, 7 values, one with IQR 0, constant, uniform and integer-valued;
// x inside and beyond the reference range, with and without smoothing;
// categories in byte order with an unseen bucket. Also explicit edges,
// bootstrap intervals and the errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kldiv/error.hpp"
#include "kldiv/estimators.hpp"
#include "support/test_support.hpp"

namespace {

using json = nlohmann::json;
using kldiv::bin_rule;
using kldiv::histogram_options;
using testing::HasSubstr;

const json& reference() {
  return kldiv_test::reference_file("histogram_reference.json");
}

// A number, or "inf" / "-inf" for the infinities JSON cannot hold.
double number(const json& j) {
  if (j.is_string()) {
    const std::string s = j;
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
    ADD_FAILURE() << "bad number " << s;
    return 0.0;
  }
  return j.get<double>();
}

std::vector<double> numbers(const json& j) {
  std::vector<double> v;
  for (const auto& e : j) v.push_back(number(e));
  return v;
}

bin_rule rule_of(const std::string& name) {
  if (name == "auto") return bin_rule::automatic;
  if (name == "fd") return bin_rule::freedman_diaconis;
  if (name == "scott") return bin_rule::scott;
  if (name == "sturges") return bin_rule::sturges;
  if (name == "doane") return bin_rule::doane;
  if (name == "rice") return bin_rule::rice;
  if (name == "sqrt") return bin_rule::sqrt;
  if (name == "count") return bin_rule::count;
  if (name == "quantiles") return bin_rule::quantiles;
  if (name == "edges") return bin_rule::edges;
  ADD_FAILURE() << "unknown rule " << name;
  return bin_rule::automatic;
}

histogram_options options_of(const json& run) {
  histogram_options o;
  o.rule = rule_of(run["rule"]);
  if (run.contains("bins") && !run["bins"].is_null()) {
    o.bins = run["bins"].get<std::size_t>();
  }
  if (run.contains("given_edges") && !run["given_edges"].is_null()) {
    o.edges = run["given_edges"].get<std::vector<double>>();
  }
  return o;
}

// 1e-10 relative, 1e-12 absolute near 0; infinities must match exactly.
void expect_close(double got, double want, const std::string& what) {
  if (std::isinf(want)) {
    EXPECT_EQ(got, want) << what;
    return;
  }
  kldiv_test::expect_close(got, want, what);
}

void expect_all_close(const std::vector<double>& got,
                      const std::vector<double>& want,
                      const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) {
    expect_close(got[i], want[i], what + "[" + std::to_string(i) + "]");
  }
}

// Edges to 1e-12 of the range's scale (NumPy's own arithmetic is ~1e-16).
void expect_edges(const std::vector<double>& got,
                  const std::vector<double>& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  const double scale =
      std::max({std::fabs(want.front()), std::fabs(want.back()),
                want.back() - want.front()});
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i], want[i], 1e-12 * scale)
        << what << " edge " << i << " of " << want.size();
  }
}

const json& find_kl_case(const std::string& name) {
  return kldiv_test::find_named(reference()["kl"], name);
}

// ---------------------------------------------------------------------------
// bin_edges and bin_counts

TEST(BinEdges, EveryRuleMatchesNumPy) {
  std::size_t runs = 0;
  for (const auto& c : reference()["edges"]) {
    const auto y = c["y"].get<std::vector<double>>();
    for (const auto& run : c["runs"]) {
      std::string what =
          c["name"].get<std::string>() + " " + run["rule"].get<std::string>();
      if (run.contains("bins"))
        what.append(" bins=").append(run["bins"].dump());
      const auto want = run["edges"].get<std::vector<double>>();
      const auto got = kldiv::bin_edges(y, options_of(run));
      expect_edges(got, want, what);
      EXPECT_TRUE(std::is_sorted(got.begin(), got.end())) << what;
      // The reference's own counts: its min and max sit in the first and
      // last inner bins (the last bin is closed).
      EXPECT_EQ(kldiv::bin_counts(y, want),
                run["counts"].get<std::vector<std::size_t>>())
          << what;
      ++runs;
    }
  }
  EXPECT_GE(runs, 80u);
}

TEST(BinEdges, IqrZeroAndConstantSamples) {
  // IQR 0: fd gives one bin and auto falls back to Sturges; a constant
  // sample is widened by 0.5 on each side as NumPy does.
  for (const auto& c : reference()["edges"]) {
    const auto y = c["y"].get<std::vector<double>>();
    histogram_options o;
    if (c["name"] == "iqr_zero_100") {
      o.rule = bin_rule::freedman_diaconis;
      EXPECT_EQ(kldiv::bin_edges(y, o).size(), 2u);
      o.rule = bin_rule::sturges;
      const auto sturges = kldiv::bin_edges(y, o);
      o.rule = bin_rule::automatic;
      EXPECT_EQ(kldiv::bin_edges(y, o), sturges);
    }
    if (c["name"] == "all_equal_20") {
      o.rule = bin_rule::sturges;
      const auto e = kldiv::bin_edges(y, o);
      EXPECT_EQ(e.front(), 2.75);
      EXPECT_EQ(e.back(), 3.75);
    }
  }
}

TEST(BinEdges, ExplicitEdgesAreReturnedAsGiven) {
  const std::vector<double> y{0.5, 1.5, 2.5};
  histogram_options o;
  o.rule = bin_rule::edges;
  o.edges = {-1.0, 0.1, 0.2, 7.25};
  EXPECT_EQ(kldiv::bin_edges(y, o), o.edges);
  o.edges = {-1.0, 0.2, 0.1, 7.25};  // unsorted
  EXPECT_THAT(kldiv_test::message_of([&] { kldiv::bin_edges(y, o); },
                                     "(no InvalidArgument)"),
              HasSubstr("increasing"));
  o.edges = {0.0, 1.0, 1.0, 2.0};  // not strictly increasing
  EXPECT_THROW(kldiv::bin_edges(y, o), kldiv::InvalidArgument);
  o.edges = {1.0};  // too few
  EXPECT_THROW(kldiv::bin_edges(y, o), kldiv::InvalidArgument);
  o.edges = {};
  EXPECT_THROW(kldiv::bin_edges(y, o), kldiv::InvalidArgument);
  o.edges = {0.0, std::numeric_limits<double>::quiet_NaN(), 2.0};
  EXPECT_THROW(kldiv::bin_edges(y, o), kldiv::InvalidArgument);
  o.edges = {0.0, 1.0, std::numeric_limits<double>::infinity()};
  EXPECT_THROW(kldiv::bin_edges(y, o), kldiv::InvalidArgument);
  // bin_counts checks its edges the same way.
  const std::vector<double> bad{2.0, 1.0};
  EXPECT_THROW(kldiv::bin_counts(y, bad), kldiv::InvalidArgument);
}

TEST(BinEdges, TheReferenceIsChecked) {
  const std::vector<double> empty;
  EXPECT_THROW(kldiv::bin_edges(empty), kldiv::InvalidArgument);
  std::vector<double> y{1.0, 2.0, 3.0, 4.0};
  y[2] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(kldiv::bin_edges(y), kldiv::InvalidArgument);
  y[2] = std::numeric_limits<double>::infinity();
  EXPECT_THROW(kldiv::bin_edges(y), kldiv::InvalidArgument);
  y[2] = 3.0;
  histogram_options o;
  o.rule = bin_rule::count;
  o.bins = 0;
  EXPECT_THROW(kldiv::bin_edges(y, o), kldiv::InvalidArgument);
  o.rule = bin_rule::quantiles;
  EXPECT_THROW(kldiv::bin_edges(y, o), kldiv::InvalidArgument);
}

TEST(BinCounts, OuterBinsAndTheClosedLastBin) {
  // Hand-checked: [0, 1) [1, 2) [2, 3], below 0, above 3.
  const std::vector<double> edges{0.0, 1.0, 2.0, 3.0};
  const std::vector<double> v{-0.5, 0.0, 0.999, 1.0, 2.5, 3.0, 3.0001, -7.0};
  EXPECT_THAT(kldiv::bin_counts(v, edges),
              testing::ElementsAre(2u, 2u, 1u, 2u, 1u));
  const std::vector<double> none;
  EXPECT_THAT(kldiv::bin_counts(none, edges),
              testing::ElementsAre(0u, 0u, 0u, 0u, 0u));
  std::vector<double> bad{1.0, std::numeric_limits<double>::quiet_NaN()};
  EXPECT_THROW(kldiv::bin_counts(bad, edges), kldiv::InvalidArgument);
}

TEST(BinCounts, KlCasesMatchNumPy) {
  for (const auto& c : reference()["kl"]) {
    const auto x = c["x"].get<std::vector<double>>();
    const auto y = c["y"].get<std::vector<double>>();
    const auto e = c["edges"].get<std::vector<double>>();
    const std::string name = c["name"];
    EXPECT_EQ(kldiv::bin_counts(x, e),
              c["x_counts"].get<std::vector<std::size_t>>())
        << name;
    EXPECT_EQ(kldiv::bin_counts(y, e),
              c["y_counts"].get<std::vector<std::size_t>>())
        << name;
  }
}

// ---------------------------------------------------------------------------
// kl_histogram

TEST(KlHistogram, EveryReferenceCase) {
  std::size_t runs = 0;
  for (const auto& c : reference()["kl"]) {
    const auto x = c["x"].get<std::vector<double>>();
    const auto y = c["y"].get<std::vector<double>>();
    for (const auto& run : c["runs"]) {
      auto o = options_of(c);
      o.smoothing = run["smoothing"].get<double>();
      const std::string what =
          c["name"].get<std::string>() + " s=" + run["smoothing"].dump();
      const auto got = kldiv::kl_histogram(x, y, o);
      expect_close(got.value, number(run["value"]), what);
      expect_edges(got.edges, c["edges"].get<std::vector<double>>(), what);
      EXPECT_EQ(got.x_counts, c["x_counts"].get<std::vector<std::size_t>>())
          << what;
      EXPECT_EQ(got.y_counts, c["y_counts"].get<std::vector<std::size_t>>())
          << what;
      expect_all_close(got.p, numbers(run["p"]), what + " p");
      expect_all_close(got.q, numbers(run["q"]), what + " q");
      expect_all_close(got.terms, numbers(run["terms"]), what + " terms");
      EXPECT_EQ(got.n, x.size()) << what;
      EXPECT_EQ(got.m, y.size()) << what;
      EXPECT_EQ(got.rule, c["rule"].get<std::string>()) << what;
      EXPECT_EQ(got.smoothing, o.smoothing) << what;
      EXPECT_FALSE(got.ci_low.has_value()) << what;
      ++runs;
    }
  }
  EXPECT_GE(runs, 30u);
}

TEST(KlHistogram, XOutsideTheReferenceRange) {
  // Without smoothing the outer bins have p > 0 = q: +inf, and a warning
  // that says how many values of x lie outside; smoothing makes it finite.
  const auto& c = find_kl_case("outside_auto");
  const auto x = c["x"].get<std::vector<double>>();
  const auto y = c["y"].get<std::vector<double>>();
  const auto outside = c["x_outside"].get<std::size_t>();
  ASSERT_GT(outside, 0u);
  const auto plain = kldiv::kl_histogram(x, y);
  EXPECT_EQ(plain.value, std::numeric_limits<double>::infinity());
  EXPECT_EQ(plain.rule, "auto");
  ASSERT_FALSE(plain.warnings.empty());
  EXPECT_THAT(plain.warnings,
              testing::Contains(testing::AllOf(
                  HasSubstr("outside"), HasSubstr(std::to_string(outside)))));
  histogram_options o;
  o.smoothing = 0.5;
  EXPECT_TRUE(std::isfinite(kldiv::kl_histogram(x, y, o).value));
  // x inside the range: no such warning.
  const auto& in = find_kl_case("inside_auto");
  const auto inside = kldiv::kl_histogram(in["x"].get<std::vector<double>>(),
                                          in["y"].get<std::vector<double>>());
  EXPECT_TRUE(std::isfinite(inside.value));
  EXPECT_THAT(inside.warnings,
              testing::Each(testing::Not(HasSubstr("outside"))));
}

TEST(KlHistogram, IdenticalSamplesGiveExactlyZero) {
  const auto& c = find_kl_case("identical");
  const auto y = c["y"].get<std::vector<double>>();
  histogram_options o;
  EXPECT_EQ(kldiv::kl_histogram(y, y, o).value, 0.0);
  o.smoothing = 1.0;
  EXPECT_EQ(kldiv::kl_histogram(y, y, o).value, 0.0);
}

TEST(KlHistogram, BootstrapIsSeeded) {
  const auto& c = find_kl_case("inside_fd");
  const auto x = c["x"].get<std::vector<double>>();
  const auto y = c["y"].get<std::vector<double>>();
  histogram_options o;
  o.rule = bin_rule::freedman_diaconis;
  o.smoothing = 0.5;
  o.bootstrap = 200;
  o.seed = 17;
  const auto a = kldiv::kl_histogram(x, y, o);
  ASSERT_TRUE(a.ci_low.has_value() && a.ci_high.has_value());
  EXPECT_LT(*a.ci_low, *a.ci_high);
  EXPECT_TRUE(std::isfinite(*a.ci_low) && std::isfinite(*a.ci_high));
  // The point estimate and the bins are the plain ones.
  expect_close(a.value, number(c["runs"][1]["value"]), "bootstrap value");
  EXPECT_EQ(a.edges, kldiv::bin_edges(y, o));
  // Plug-in KL is biased upwards and resampling adds to it: the value lies
  // within one interval width of the interval.
  const double w = *a.ci_high - *a.ci_low;
  EXPECT_GT(a.value, *a.ci_low - w);
  EXPECT_LT(a.value, *a.ci_high + w);
  const auto b = kldiv::kl_histogram(x, y, o);
  EXPECT_EQ(*a.ci_low, *b.ci_low);
  EXPECT_EQ(*a.ci_high, *b.ci_high);
  o.seed = 18;
  const auto other = kldiv::kl_histogram(x, y, o);
  EXPECT_TRUE(*other.ci_low != *a.ci_low || *other.ci_high != *a.ci_high);
  o.confidence = 1.5;
  EXPECT_THROW(kldiv::kl_histogram(x, y, o), kldiv::InvalidArgument);
}

TEST(KlHistogram, InputsAreChecked) {
  const std::vector<double> y{0.0, 1.0, 2.0, 3.0}, empty;
  std::vector<double> x{0.5, 1.5};
  EXPECT_THROW(kldiv::kl_histogram(x, empty), kldiv::InvalidArgument);
  EXPECT_THROW(kldiv::kl_histogram(empty, y), kldiv::InvalidArgument);
  histogram_options o;
  o.smoothing = -0.5;
  EXPECT_THROW(kldiv::kl_histogram(x, y, o), kldiv::InvalidArgument);
  o.smoothing = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(kldiv::kl_histogram(x, y, o), kldiv::InvalidArgument);
  x[1] = std::numeric_limits<double>::infinity();
  EXPECT_THROW(kldiv::kl_histogram(x, y), kldiv::InvalidArgument);
  x[1] = 1.5;
  std::vector<double> yb = y;
  yb[3] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(kldiv::kl_histogram(x, yb), kldiv::InvalidArgument);
}

// ---------------------------------------------------------------------------
// kl_categorical

std::vector<std::string> strings(const json& j) {
  return j.get<std::vector<std::string>>();
}

TEST(KlCategorical, EveryReferenceCase) {
  std::size_t runs = 0;
  for (const auto& c : reference()["categorical"]) {
    const auto x = strings(c["x"]), y = strings(c["y"]);
    for (const auto& run : c["runs"]) {
      kldiv::categorical_options o;
      o.smoothing = run["smoothing"].get<double>();
      const std::string what =
          c["name"].get<std::string>() + " s=" + run["smoothing"].dump();
      const auto got = kldiv::kl_categorical(x, y, o);
      expect_close(got.value, number(run["value"]), what);
      EXPECT_EQ(got.categories, strings(c["categories"])) << what;
      // The order of the unseen list is not specified: compared as a set.
      EXPECT_THAT(got.unseen,
                  testing::UnorderedElementsAreArray(strings(c["unseen"])))
          << what;
      EXPECT_EQ(got.x_counts, c["x_counts"].get<std::vector<std::size_t>>())
          << what;
      EXPECT_EQ(got.y_counts, c["y_counts"].get<std::vector<std::size_t>>())
          << what;
      expect_all_close(got.p, numbers(run["p"]), what + " p");
      expect_all_close(got.q, numbers(run["q"]), what + " q");
      expect_all_close(got.terms, numbers(run["terms"]), what + " terms");
      EXPECT_EQ(got.n, x.size()) << what;
      EXPECT_EQ(got.m, y.size()) << what;
      EXPECT_EQ(got.smoothing, o.smoothing) << what;
      ++runs;
    }
  }
  EXPECT_GE(runs, 10u);
}

TEST(KlCategorical, CategoriesInByteOrder) {
  // Upper case before lower case, "cafe" before "café" (0xC3 > 'e' as an
  // unsigned byte), "b" before "banana".
  const std::vector<std::string> y{"caf\xc3\xa9", "banana", "Zebra",
                                   "b",           "cafe",   "apple"};
  const auto got = kldiv::kl_categorical(y, y);
  EXPECT_THAT(got.categories,
              testing::ElementsAre("Zebra", "apple", "b", "banana", "cafe",
                                   "caf\xc3\xa9"));
  EXPECT_EQ(got.value, 0.0);
  EXPECT_THAT(got.unseen, testing::IsEmpty());
}

TEST(KlCategorical, UnseenCategoriesWithoutSmoothingAreInfinite) {
  const std::vector<std::string> y{"a", "b", "b"}, x{"a", "c", "d", "c"};
  const auto plain = kldiv::kl_categorical(x, y);
  EXPECT_EQ(plain.value, std::numeric_limits<double>::infinity());
  EXPECT_THAT(plain.unseen, testing::UnorderedElementsAre("c", "d"));
  EXPECT_THAT(plain.x_counts, testing::ElementsAre(1u, 0u, 3u));
  EXPECT_THAT(plain.y_counts, testing::ElementsAre(1u, 2u, 0u));
  kldiv::categorical_options o;
  o.smoothing = 1.0;
  const auto smooth = kldiv::kl_categorical(x, y, o);
  // p = (2, 1, 4) / 7, q = (2, 3, 1) / 6, by hand.
  const double want = 2.0 / 7 * std::log((2.0 / 7) / (2.0 / 6)) +
                      1.0 / 7 * std::log((1.0 / 7) / (3.0 / 6)) +
                      4.0 / 7 * std::log((4.0 / 7) / (1.0 / 6));
  EXPECT_NEAR(smooth.value, want, 1e-14);
}

TEST(KlCategorical, BootstrapAndErrors) {
  const auto& c = reference()["categorical"][0];
  const auto x = strings(c["x"]), y = strings(c["y"]);
  kldiv::categorical_options o;
  o.smoothing = 1.0;
  o.bootstrap = 100;
  o.seed = 5;
  const auto a = kldiv::kl_categorical(x, y, o);
  ASSERT_TRUE(a.ci_low.has_value() && a.ci_high.has_value());
  EXPECT_LE(*a.ci_low, *a.ci_high);
  const auto b = kldiv::kl_categorical(x, y, o);
  EXPECT_EQ(*a.ci_low, *b.ci_low);
  EXPECT_EQ(*a.ci_high, *b.ci_high);
  const std::vector<std::string> empty;
  EXPECT_THROW(kldiv::kl_categorical(x, empty), kldiv::InvalidArgument);
  EXPECT_THROW(kldiv::kl_categorical(empty, y), kldiv::InvalidArgument);
  o.bootstrap = 0;
  o.smoothing = -1.0;
  EXPECT_THROW(kldiv::kl_categorical(x, y, o), kldiv::InvalidArgument);
}

}  // namespace
