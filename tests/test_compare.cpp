// compare_column and compare against NumPy and SciPy 1.10
// (tools/gen_compare_reference.py) on fixed data: the bins
// (numpy.histogram_bin_edges), counts with the outer bins, proportions, the
// KLs and per-bin terms (scipy.special.rel_entr), JS in bits
// (scipy.spatial.distance.jensenshannon squared), Hellinger, total
// variation, PSI, Wasserstein-1, the 1-D KL estimate (the mpmath
// Pérez-Cruz of tools/gen_sample1d_reference.py) and the KS, Welch t and z
// p-values, to 1e-8; chi-square (chi2_contingency) for categorical columns.
// The permutation p-value is checked by its properties (reproducible by
// seed, the same for 1 and 2 threads, in (0, 1], small for shifted samples,
// a false-alarm rate near the level over 100 seeds, 100 vs 100000 values);
// then the verdicts, the skipped tests, missing values and the errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kldiv/compare.hpp"
#include "kldiv/error.hpp"
#include "support/test_support.hpp"

namespace {

using json = nlohmann::json;
using kldiv::column_kind;
using kldiv::data_column;
using kldiv_test::expect_close;
using kldiv_test::message_of;
using ::testing::HasSubstr;

const json& reference() {
  return kldiv_test::reference_file("compare_reference.json");
}

constexpr double kRel = 1e-8;
constexpr double kInf = std::numeric_limits<double>::infinity();

// A stored number, "inf" for +infinity.
double number(const json& j) {
  if (j.is_string()) {
    EXPECT_EQ(j.get<std::string>(), "inf");
    return kInf;
  }
  return j.get<double>();
}

void expect_value(double got, const json& want, const std::string& what) {
  const double w = number(want);
  if (std::isinf(w)) {
    EXPECT_EQ(got, w) << what;
  } else {
    expect_close(got, w, what, kRel, 1e-14);
  }
}

void expect_values(const std::vector<double>& got, const json& want,
                   const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) {
    expect_value(got[i], want[i], what + "[" + std::to_string(i) + "]");
  }
}

using kldiv_test::categorical_column;
using kldiv_test::numeric_column;

kldiv::bin_rule rule_of(const std::string& name) {
  if (name == "auto") return kldiv::bin_rule::automatic;
  if (name == "fd") return kldiv::bin_rule::freedman_diaconis;
  if (name == "scott") return kldiv::bin_rule::scott;
  if (name == "sturges") return kldiv::bin_rule::sturges;
  if (name == "count") return kldiv::bin_rule::count;
  ADD_FAILURE() << "unknown rule " << name;
  return kldiv::bin_rule::automatic;
}

const kldiv::named_test* find_test(const kldiv::column_comparison& r,
                                   const std::string& name) {
  for (const auto& t : r.tests) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

double permutation_p(const kldiv::column_comparison& r) {
  const auto* t = find_test(r, "JS permutation");
  EXPECT_NE(t, nullptr);
  return t ? t->result.p_value : -1.0;
}

// The measures shared by numeric and categorical runs.
void expect_measures(const kldiv::column_comparison& r, const json& run,
                     const std::string& what) {
  EXPECT_EQ(r.current_counts,
            run["current_counts"].get<std::vector<std::size_t>>())
      << what;
  EXPECT_EQ(r.reference_counts,
            run["reference_counts"].get<std::vector<std::size_t>>())
      << what;
  expect_values(r.current_p, run["current_p"], what + " current_p");
  expect_values(r.reference_p, run["reference_p"], what + " reference_p");
  expect_values(r.kl_terms, run["kl_terms"], what + " kl_terms");
  expect_value(r.kl_current_reference, run["kl_current_reference"],
               what + " KL(cur||ref)");
  expect_value(r.kl_reference_current, run["kl_reference_current"],
               what + " KL(ref||cur)");
  expect_value(r.js_bits, run["js_bits"], what + " JS");
  expect_value(r.hellinger, run["hellinger"], what + " Hellinger");
  expect_value(r.total_variation, run["total_variation"], what + " TV");
  expect_value(r.psi, run["psi"], what + " PSI");
}

TEST(CompareNumeric, MatchesNumpyAndScipyOnEveryCaseAndRule) {
  std::size_t checked = 0;
  for (const auto& c : reference()["numeric"]) {
    const auto cur = numeric_column("x", kldiv_test::values(c["current"]), 3);
    const auto ref = numeric_column("x", kldiv_test::values(c["reference"]), 1);
    for (const auto& run : c["runs"]) {
      const std::string what =
          c["name"].get<std::string>() + " " + run["rule"].get<std::string>();
      kldiv::compare_options o;
      o.bins.rule = rule_of(run["rule"]);
      if (!run["bins"].is_null()) o.bins.bins = run["bins"].get<std::size_t>();
      o.smoothing = run["smoothing"];
      o.permutations = 99;
      o.bootstrap = 0;
      const auto r = kldiv::compare_column(ref, cur, o);
      EXPECT_EQ(r.name, "x");
      EXPECT_EQ(r.kind, column_kind::numeric);
      EXPECT_EQ(r.n_current, cur.numbers.size()) << what;
      EXPECT_EQ(r.n_reference, ref.numbers.size()) << what;
      EXPECT_EQ(r.missing_current, 3u);
      EXPECT_EQ(r.missing_reference, 1u);
      const auto edges = kldiv_test::values(run["edges"]);
      ASSERT_EQ(r.edges.size(), edges.size()) << what;
      for (std::size_t i = 0; i < edges.size(); ++i) {
        expect_close(r.edges[i], edges[i], what + " edge", 1e-12, 1e-14);
      }
      EXPECT_EQ(r.bins.size(), edges.size() + 1) << what;
      EXPECT_EQ(r.bins.front().substr(0, 2), "< ") << what;
      EXPECT_EQ(r.bins.back().substr(0, 2), "> ") << what;
      EXPECT_EQ(r.bins[1].front(), '[') << what;
      expect_measures(r, run, what);
      ASSERT_TRUE(r.wasserstein.has_value());
      expect_close(*r.wasserstein, c["wasserstein"], what + " W1", kRel);
      ASSERT_TRUE(r.kl_1d.has_value());
      expect_close(*r.kl_1d, c["kl_1d"], what + " kl_1d", kRel, 1e-14);
      // KS, Welch t, z, then the permutation test, in this order.
      ASSERT_EQ(r.tests.size(), 4u) << what;
      EXPECT_EQ(r.tests[0].name, "Kolmogorov-Smirnov");
      EXPECT_EQ(r.tests[1].name, "Welch t");
      EXPECT_EQ(r.tests[2].name, "z");
      EXPECT_EQ(r.tests[3].name, "JS permutation");
      const char* keys[] = {"ks", "welch", "z"};
      for (std::size_t t = 0; t < 3; ++t) {
        const auto& want = c["tests"][keys[t]];
        expect_close(r.tests[t].result.statistic, want["statistic"],
                     what + " " + keys[t] + " statistic", kRel);
        expect_close(r.tests[t].result.p_value, want["p_value"],
                     what + " " + keys[t] + " p", kRel, 1e-300);
      }
      EXPECT_EQ(r.tests[3].result.statistic, r.js_bits) << what;
      EXPECT_EQ(r.tests[3].result.method, "permutation") << what;
      const double p = r.tests[3].result.p_value;
      EXPECT_GT(p, 0.0);
      EXPECT_LE(p, 1.0);
      // p = (1 + k) / 100 for a whole k.
      EXPECT_NEAR(p * 100.0, std::round(p * 100.0), 1e-9) << what;
      EXPECT_FALSE(r.js_ci_low.has_value());
      EXPECT_FALSE(r.verdict.empty());
      EXPECT_FALSE(r.reason.empty());
      if (std::isinf(r.kl_current_reference)) {
        EXPECT_THAT(::testing::PrintToString(r.warnings),
                    HasSubstr("set smoothing"))
            << what;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 10u);
}

TEST(CompareCategorical, MatchesScipyOnEveryCase) {
  std::size_t checked = 0;
  for (const auto& c : reference()["categorical"]) {
    const auto cur = categorical_column(
        "colour", c["current"].get<std::vector<std::string>>(), 2);
    const auto ref = categorical_column(
        "colour", c["reference"].get<std::vector<std::string>>());
    for (const auto& run : c["runs"]) {
      const std::string what = c["name"].get<std::string>() + " s = " +
                               std::to_string(run["smoothing"].get<double>());
      kldiv::compare_options o;
      o.smoothing = run["smoothing"];
      o.permutations = 99;
      o.bootstrap = 20;
      const auto r = kldiv::compare_column(ref, cur, o);
      EXPECT_EQ(r.kind, column_kind::categorical);
      EXPECT_EQ(r.missing_current, 2u);
      EXPECT_TRUE(r.edges.empty());
      auto bins = c["categories"].get<std::vector<std::string>>();
      bins.push_back("(unseen)");
      EXPECT_EQ(r.bins, bins) << what;
      json counts = run;
      counts["current_counts"] = c["current_counts"];
      counts["reference_counts"] = c["reference_counts"];
      expect_measures(r, counts, what);
      EXPECT_FALSE(r.kl_1d.has_value());
      EXPECT_FALSE(r.wasserstein.has_value());
      ASSERT_EQ(r.tests.size(), 2u) << what;
      EXPECT_EQ(r.tests[0].name, "chi-square");
      const auto& chi = c["chi2"];
      expect_close(r.tests[0].result.statistic, chi["statistic"],
                   what + " chi2", kRel);
      expect_close(r.tests[0].result.p_value, chi["p_value"], what + " p", kRel,
                   1e-300);
      ASSERT_TRUE(r.tests[0].result.df.has_value());
      EXPECT_EQ(*r.tests[0].result.df, chi["df"].get<double>());
      EXPECT_EQ(r.tests[1].name, "JS permutation");
      ASSERT_TRUE(r.js_ci_low.has_value() && r.js_ci_high.has_value());
      EXPECT_LE(*r.js_ci_low, *r.js_ci_high);
      EXPECT_GE(*r.js_ci_low, 0.0);
      EXPECT_LE(*r.js_ci_high, 1.0);
      const bool unseen = c["current_counts"].back().get<std::size_t>() > 0;
      EXPECT_EQ(::testing::PrintToString(r.warnings).find("unseen bucket") !=
                    std::string::npos,
                unseen)
          << what;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 4u);
}

// n standard normals shifted by `shift` (std::mt19937_64, independent of the
// library's streams).
std::vector<double> normals(std::size_t n, std::uint64_t seed,
                            double shift = 0.0) {
  auto s = kldiv_test::gaussian(n, 1, seed);
  for (auto& v : s.values) v += shift;
  return s.values;
}

TEST(ComparePermutation, ReproducibleBySeedAndIdenticalForAnyThreadCount) {
  const auto ref = numeric_column("x", normals(300, 1));
  const auto cur = numeric_column("x", normals(200, 2, 0.1));
  kldiv::compare_options o;
  o.permutations = 400;
  o.bootstrap = 100;
  o.seed = 7;
  o.threads = 1;
  const auto a = kldiv::compare_column(ref, cur, o);
  const auto again = kldiv::compare_column(ref, cur, o);
  o.threads = 2;
  const auto two = kldiv::compare_column(ref, cur, o);
  o.threads = 3;
  const auto three = kldiv::compare_column(ref, cur, o);
  for (const auto* r : {&again, &two, &three}) {
    EXPECT_EQ(permutation_p(*r), permutation_p(a));
    EXPECT_EQ(r->js_ci_low, a.js_ci_low);
    EXPECT_EQ(r->js_ci_high, a.js_ci_high);
    EXPECT_EQ(r->js_bits, a.js_bits);
  }
  const double p = permutation_p(a);
  EXPECT_GT(p, 0.0);
  EXPECT_LE(p, 1.0);
  ASSERT_TRUE(a.js_ci_low && a.js_ci_high);
  EXPECT_LT(*a.js_ci_low, *a.js_ci_high);
  // Another seed: other permutations, so (almost surely) another p or CI.
  o.seed = 8;
  const auto b = kldiv::compare_column(ref, cur, o);
  EXPECT_TRUE(permutation_p(b) != p || b.js_ci_low != a.js_ci_low);
  EXPECT_EQ(b.js_bits, a.js_bits);
}

TEST(ComparePermutation, ShiftedSamplesGiveTheSmallestPAndDrift) {
  kldiv::compare_options o;
  o.permutations = 199;
  o.bootstrap = 50;
  const auto r =
      kldiv::compare_column(numeric_column("x", normals(400, 3)),
                            numeric_column("x", normals(300, 4, 1.0)), o);
  EXPECT_EQ(permutation_p(r), 1.0 / 200.0);
  EXPECT_GE(r.js_bits, 0.05);
  EXPECT_EQ(r.verdict, "drift");
  EXPECT_THAT(r.reason, HasSubstr("(>= 0.05)"));
  EXPECT_THAT(r.reason, HasSubstr("permutation p = 0.005 (< 0.01)"));
  ASSERT_TRUE(r.js_ci_low && r.js_ci_high);
  EXPECT_LE(*r.js_ci_low, r.js_bits * 1.5);
  EXPECT_GE(*r.js_ci_high, r.js_bits * 0.5);
}

TEST(ComparePermutation, IdenticalSamplesGivePOne) {
  const auto v = normals(50, 5);
  kldiv::compare_options o;
  o.permutations = 50;
  const auto r =
      kldiv::compare_column(numeric_column("x", v), numeric_column("x", v), o);
  EXPECT_EQ(r.js_bits, 0.0);
  EXPECT_EQ(permutation_p(r), 1.0);
  EXPECT_EQ(r.verdict, "no drift");
}

// The false-alarm check: two samples from one distribution, 100
// seeds; the permutation test at level 0.05 should reject on about 5% of
// them (binomial sd 2.2%; 0.12 is more than 3 sd above), and the verdict
// should be "no drift" on most.
TEST(ComparePermutation, FalseAlarmRateNearTheLevel) {
  kldiv::compare_options o;
  o.permutations = 199;
  o.bootstrap = 0;
  std::size_t rejected = 0, no_drift = 0;
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    o.seed = seed;
    const auto r = kldiv::compare_column(
        numeric_column("x", normals(200, 1000 + seed)),
        numeric_column("x", normals(150, 5000 + seed)), o);
    if (permutation_p(r) < 0.05) ++rejected;
    if (r.verdict == "no drift") ++no_drift;
  }
  EXPECT_LE(rejected, 12u);
  EXPECT_GE(rejected, 1u);  // a test that never rejects is broken too
  EXPECT_GE(no_drift, 90u);
}

TEST(ComparePermutation, HundredVersusHundredThousand) {
  const auto ref = numeric_column("x", normals(100000, 11));
  kldiv::compare_options o;
  o.permutations = 199;
  o.bootstrap = 50;
  o.threads = 2;
  const auto same =
      kldiv::compare_column(ref, numeric_column("x", normals(100, 12)), o);
  // On the reference's fine bins 100 values give a large JS from noise
  // alone; the verdict counts only JS beyond chance.
  EXPECT_EQ(same.verdict, "no drift") << same.reason;
  EXPECT_THAT(same.reason, HasSubstr("of chance"));
  EXPECT_GT(permutation_p(same), 0.01);
  EXPECT_EQ(same.n_reference, 100000u);
  EXPECT_EQ(same.n_current, 100u);
  const auto shifted =
      kldiv::compare_column(ref, numeric_column("x", normals(100, 12, 1.5)), o);
  EXPECT_EQ(shifted.verdict, "drift") << shifted.reason;
  EXPECT_EQ(permutation_p(shifted), 1.0 / 200.0);
  // KS switches to the asymptotic distribution above 10000 values.
  ASSERT_NE(find_test(shifted, "Kolmogorov-Smirnov"), nullptr);
  EXPECT_EQ(find_test(shifted, "Kolmogorov-Smirnov")->result.method,
            "asymptotic");
  // The reverse sizes as well.
  const auto reverse =
      kldiv::compare_column(numeric_column("x", normals(100, 12)), ref, o);
  EXPECT_GT(permutation_p(reverse), 0.0);
  EXPECT_LE(permutation_p(reverse), 1.0);
}

TEST(CompareVerdict, EveryBranchHasItsReason) {
  kldiv::compare_options o;
  o.permutations = 199;
  o.bootstrap = 0;
  // Significant but tiny: a small shift in large samples.
  {
    const auto r =
        kldiv::compare_column(numeric_column("x", normals(50000, 21)),
                              numeric_column("x", normals(50000, 22, 0.06)), o);
    EXPECT_EQ(r.verdict, "no drift") << r.reason;
    EXPECT_THAT(r.reason, HasSubstr("significant but too small to matter"));
  }
  // Large but not significant: very small samples.
  {
    const auto r =
        kldiv::compare_column(numeric_column("x", {0.0, 1.0, 2.0}),
                              numeric_column("x", {5.0, 6.0, 7.0}), o);
    EXPECT_EQ(r.js_bits, 1.0);
    EXPECT_EQ(r.verdict, "possible drift") << r.reason;
    EXPECT_THAT(r.reason, HasSubstr("but permutation p ="));
    EXPECT_THAT(r.reason, HasSubstr("not significant"));
  }
  // Significant and between the two JS thresholds.
  {
    kldiv::compare_options t = o;
    t.thresholds.js_drift = 0.9;
    const auto r =
        kldiv::compare_column(numeric_column("x", normals(400, 3)),
                              numeric_column("x", normals(300, 4, 1.0)), t);
    EXPECT_EQ(r.verdict, "possible drift") << r.reason;
    EXPECT_THAT(r.reason, HasSubstr("< 0.9) and permutation p"));
  }
  // Not significant and small.
  {
    const auto r =
        kldiv::compare_column(numeric_column("x", normals(300, 31)),
                              numeric_column("x", normals(300, 32)), o);
    EXPECT_EQ(r.verdict, "no drift") << r.reason;
    EXPECT_THAT(r.reason, HasSubstr("(>= 0.01)"));
  }
  // Too few permutations for alpha: said, not silently never significant.
  {
    kldiv::compare_options few = o;
    few.permutations = 99;
    const auto r =
        kldiv::compare_column(numeric_column("x", normals(400, 3)),
                              numeric_column("x", normals(300, 4, 1.0)), few);
    EXPECT_EQ(permutation_p(r), 0.01);
    EXPECT_EQ(r.verdict, "possible drift");
    EXPECT_THAT(::testing::PrintToString(r.warnings),
                HasSubstr("with 99 permutations the smallest possible p-value "
                          "is 0.01, not below alpha = 0.01"));
  }
  // No permutation test: nothing is significant.
  {
    kldiv::compare_options none = o;
    none.permutations = 0;
    const auto r =
        kldiv::compare_column(numeric_column("x", normals(400, 3)),
                              numeric_column("x", normals(300, 4, 1.0)), none);
    EXPECT_EQ(find_test(r, "JS permutation"), nullptr);
    EXPECT_EQ(r.verdict, "possible drift");
    EXPECT_THAT(r.reason, HasSubstr("no permutation test"));
  }
}

TEST(CompareColumns, LegitimateDegenerateColumnsSkipTestsWithWarnings) {
  kldiv::compare_options o;
  o.permutations = 20;
  o.bootstrap = 10;
  // Both constant, equal: Welch and z are undefined.
  {
    const auto r = kldiv::compare_column(numeric_column("c", {2.0, 2.0, 2.0}),
                                         numeric_column("c", {2.0, 2.0}), o);
    EXPECT_EQ(find_test(r, "Welch t"), nullptr);
    EXPECT_EQ(find_test(r, "z"), nullptr);
    EXPECT_NE(find_test(r, "Kolmogorov-Smirnov"), nullptr);
    EXPECT_THAT(::testing::PrintToString(r.warnings),
                HasSubstr("both tables are constant"));
    EXPECT_EQ(r.js_bits, 0.0);
    EXPECT_EQ(r.verdict, "no drift");
  }
  // One value in the current data: no 1-D estimate, no Welch or z.
  {
    const auto r = kldiv::compare_column(numeric_column("c", {1.0, 2.0, 3.0}),
                                         numeric_column("c", {2.5}), o);
    EXPECT_FALSE(r.kl_1d.has_value());
    EXPECT_TRUE(r.wasserstein.has_value());
    EXPECT_EQ(find_test(r, "Welch t"), nullptr);
    EXPECT_THAT(::testing::PrintToString(r.warnings),
                HasSubstr("1-D KL estimate skipped"));
  }
  // One category in both: chi-square is undefined.
  {
    const auto r = kldiv::compare_column(categorical_column("k", {"a", "a"}),
                                         categorical_column("k", {"a"}), o);
    EXPECT_EQ(find_test(r, "chi-square"), nullptr);
    EXPECT_THAT(::testing::PrintToString(r.warnings),
                HasSubstr("chi-square test skipped"));
    EXPECT_EQ(r.js_bits, 0.0);
  }
}

TEST(Compare, MatchesColumnsByNameAndOrdersWorstFirst) {
  std::vector<data_column> ref = {
      numeric_column("same", normals(300, 41)),
      numeric_column("shifted", normals(300, 42)),
      categorical_column("colour", std::vector<std::string>(100, "red")),
      numeric_column("only in reference", {1.0, 2.0}),
  };
  std::vector<data_column> cur = {
      categorical_column("colour", std::vector<std::string>(80, "blue"), 4),
      numeric_column("same", normals(200, 43), 7),
      numeric_column("shifted", normals(200, 44, 2.0)),
      numeric_column("only in current", {1.0}),
  };
  ref[2].labels.resize(130, "blue");
  kldiv::compare_options o;
  o.permutations = 199;
  o.bootstrap = 0;
  const auto c = kldiv::compare(ref, cur, o);
  ASSERT_EQ(c.columns.size(), 3u);
  EXPECT_EQ(c.columns[0].verdict, "drift");
  EXPECT_EQ(c.columns[1].verdict, "drift");
  EXPECT_GE(c.columns[0].js_bits, c.columns[1].js_bits);
  EXPECT_EQ(c.columns[2].name, "same");
  EXPECT_EQ(c.columns[2].missing_current, 7u);
  EXPECT_EQ(c.columns[2].verdict, "no drift");
  for (const auto& col : c.columns) {
    EXPECT_NE(col.name, "only in reference");
    EXPECT_NE(col.name, "only in current");
    if (col.name == "colour") {
      EXPECT_EQ(col.missing_current, 4u);
      EXPECT_EQ(col.kind, column_kind::categorical);
    }
  }
  EXPECT_EQ(c.options.permutations, 199u);
}

TEST(CompareErrors, NameWhatWasWrong) {
  const auto age_num = numeric_column("age", {30.0, 41.0});
  const auto age_text = categorical_column("age", {"thirty", "forty"});
  EXPECT_EQ(message_of([&] { kldiv::compare({age_num}, {age_text}); }),
            "column 'age' is numeric in the reference but categorical in the "
            "current data; name the column numeric or categorical to choose");
  EXPECT_EQ(message_of([&] { kldiv::compare_column(age_text, age_num); }),
            "column 'age' is categorical in the reference but numeric in the "
            "current data; name the column numeric or categorical to choose");
  // Read from text, the column says why it is categorical.
  auto read = age_text;
  read.why_categorical = "line 3 has 'thirty', not a number";
  EXPECT_EQ(message_of([&] { kldiv::compare({age_num}, {read}); }),
            "column 'age' is numeric in the reference but categorical in the "
            "current data (current: line 3 has 'thirty', not a number); name "
            "the column numeric or categorical to choose");
  EXPECT_EQ(message_of([&] {
              kldiv::compare({numeric_column("x", {1.0})},
                             {numeric_column("x", {}, 12)});
            }),
            "column 'x' has no values in the current data (12 missing)");
  EXPECT_EQ(message_of([&] {
              kldiv::compare_column(numeric_column("x", {}, 3),
                                    numeric_column("x", {1.0}));
            }),
            "column 'x' has no values in the reference (3 missing)");
  EXPECT_EQ(message_of([&] {
              kldiv::compare({numeric_column("a", {1.0})},
                             {numeric_column("b", {1.0})});
            }),
            "no column is shared by the reference (columns: 'a') and the "
            "current data (columns: 'b')");
  EXPECT_THAT(message_of([&] {
                kldiv::compare(
                    {numeric_column("a", {1.0}), numeric_column("a", {2.0})},
                    {numeric_column("a", {1.0})});
              }),
              HasSubstr("column 'a' appears more than once in the reference"));
  EXPECT_THAT(message_of([&] {
                kldiv::compare_column(numeric_column("x", {1.0, NAN}),
                                      numeric_column("x", {1.0}));
              }),
              HasSubstr("column 'x' in the reference: value [1] = nan"));
  kldiv::compare_options o;
  o.smoothing = -1.0;
  EXPECT_THAT(message_of([&] { kldiv::compare_column(age_num, age_num, o); }),
              HasSubstr("smoothing = -1, but must be >= 0"));
  o = {};
  o.confidence = 1.0;
  EXPECT_THAT(message_of([&] { kldiv::compare_column(age_num, age_num, o); }),
              HasSubstr("confidence = 1, but must be in (0, 1)"));
  o = {};
  o.thresholds.js_possible = 0.2;
  EXPECT_THAT(message_of([&] { kldiv::compare_column(age_num, age_num, o); }),
              HasSubstr("0 <= js_possible <= js_drift <= 1"));
  o = {};
  o.thresholds.alpha = 0.0;
  EXPECT_THAT(message_of([&] { kldiv::compare_column(age_num, age_num, o); }),
              HasSubstr("alpha = 0, but must be in (0, 1]"));
}

}  // namespace
