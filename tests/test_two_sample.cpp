// The two-sample tests and distances against SciPy 1.10
// (tools/gen_two_sample_reference.py): ks_2samp with each method on stored
// samples (5 vs 7, equal sizes, ties, identical) and on grid samples rebuilt
// here (100 vs 100000, and effective sizes that reach every branch of the
// asymptotic Kolmogorov distribution); Welch's t and the z-test; the
// chi-square test of homogeneity (Yates, dropped categories) and of
// goodness of fit; Wasserstein-1;
// PSI. p-values and statistics to 1e-8 relative (the bar), except
// where noted. Then the errors and their messages.
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
#include "kldiv/two_sample.hpp"
#include "support/test_support.hpp"

namespace {

using json = nlohmann::json;
using kldiv::ks_method;
using kldiv_test::expect_close;
using kldiv_test::message_of;
using kldiv_test::values;
using ::testing::HasSubstr;

const json& reference() {
  return kldiv_test::reference_file("two_sample_reference.json");
}

// start + scale * (i / n), i = 0..n-1: the generator's grid, the same IEEE
// operations in the same order.
std::vector<double> grid(std::size_t n, double start, double scale) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) {
    v[i] = start + scale * (static_cast<double>(i) / static_cast<double>(n));
  }
  return v;
}

ks_method method_of(const std::string& name) {
  if (name == "auto") return ks_method::automatic;
  if (name == "exact") return ks_method::exact;
  if (name == "asymp") return ks_method::asymptotic;
  ADD_FAILURE() << "unknown method " << name;
  return ks_method::automatic;
}

constexpr double kRel = 1e-8;

TEST(KolmogorovSmirnov, MatchesScipyOnEveryCaseAndMethod) {
  std::size_t checked = 0;
  for (const auto& c : reference()["ks"]) {
    std::vector<double> x, y;
    if (c.contains("grid")) {
      const auto& g = c["grid"];
      x = grid(g["n1"], g["sx"], g["scale_x"]);
      y = grid(g["n2"], g["sy"], g["scale_y"]);
    } else {
      x = values(c["x"]);
      y = values(c["y"]);
    }
    for (const auto& [name, want] : c["results"].items()) {
      const std::string what = c["name"].get<std::string>() + " " + name;
      const kldiv::test_result r = kldiv::ks_2samp(x, y, method_of(name));
      expect_close(r.statistic, want["statistic"], what + " D", 1e-12);
      expect_close(r.p_value, want["p_value"], what + " p", kRel, 1e-300);
      EXPECT_FALSE(r.df.has_value()) << what;
      // SciPy switched methods (and warned) in none of these cases.
      EXPECT_FALSE(want["warned"].get<bool>()) << what;
      EXPECT_EQ(r.method,
                name == "asymp" ||
                        (name == "auto" && std::max(x.size(), y.size()) > 10000)
                    ? "asymptotic"
                    : "exact")
          << what;
      ++checked;
    }
  }
  EXPECT_GE(checked, 70u);
}

TEST(KolmogorovSmirnov, AutomaticIsExactUpTo10000) {
  const auto x = grid(10000, 0.01, 1.0), y = grid(9000, 0.0, 1.0);
  EXPECT_EQ(kldiv::ks_2samp(x, y).method, "exact");
  const auto big = grid(10001, 0.0, 1.0);
  EXPECT_EQ(kldiv::ks_2samp(big, y).method, "asymptotic");
  EXPECT_EQ(kldiv::ks_2samp(x, y, ks_method::asymptotic).method, "asymptotic");
}

TEST(KolmogorovSmirnov, SymmetricInTheSamples) {
  const auto& c = kldiv_test::find_named(reference()["ks"], "normal_60_80");
  const auto x = values(c["x"]), y = values(c["y"]);
  for (const auto m :
       {ks_method::automatic, ks_method::exact, ks_method::asymptotic}) {
    const auto a = kldiv::ks_2samp(x, y, m), b = kldiv::ks_2samp(y, x, m);
    EXPECT_EQ(a.statistic, b.statistic);
    EXPECT_NEAR(a.p_value, b.p_value, 1e-14);
  }
}

TEST(KolmogorovSmirnov, WarnsOfTies) {
  const auto& c = kldiv_test::find_named(reference()["ks"], "ties_15_12");
  const auto r = kldiv::ks_2samp(values(c["x"]), values(c["y"]));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0], HasSubstr("tied"));
  const std::vector<double> x{1, 2, 3}, y{4, 5, 6};
  EXPECT_TRUE(kldiv::ks_2samp(x, y).warnings.empty());
}

TEST(KolmogorovSmirnov, ExactFallsBackWhenTheLcmIsTooLarge) {
  // 46349 and 46351 are coprime: lcm = 2148322099 > 2^31 - 1 (SciPy's
  // limit); the p-value then is the asymptotic one, with a warning.
  const auto x = grid(46349, 0.001, 1.0), y = grid(46351, 0.0, 1.0);
  const auto r = kldiv::ks_2samp(x, y, ks_method::exact);
  EXPECT_EQ(r.method, "asymptotic");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0], HasSubstr("46349"));
  const auto a = kldiv::ks_2samp(x, y, ks_method::asymptotic);
  EXPECT_EQ(r.p_value, a.p_value);
}

TEST(KolmogorovSmirnov, Errors) {
  const std::vector<double> ok{1.0, 2.0}, empty{};
  const std::vector<double> bad{1.0, std::nan(""), 3.0};
  EXPECT_THAT(message_of([&] { kldiv::ks_2samp(empty, ok); }),
              HasSubstr("x is empty"));
  EXPECT_THAT(message_of([&] { kldiv::ks_2samp(ok, empty); }),
              HasSubstr("y is empty"));
  EXPECT_THAT(message_of([&] { kldiv::ks_2samp(ok, bad); }),
              HasSubstr("y[1] = nan"));
  const std::vector<double> inf{std::numeric_limits<double>::infinity()};
  EXPECT_THAT(message_of([&] { kldiv::ks_2samp(inf, ok); }),
              HasSubstr("x[0] = inf"));
  const std::vector<double> one{1.0}, other{2.0};
  EXPECT_THAT(
      message_of([&] { kldiv::ks_2samp(one, other, ks_method::asymptotic); }),
      HasSubstr("exact method"));
}

TEST(MeansTests, WelchAndZMatchScipy) {
  for (const auto& c : reference()["means"]) {
    const std::string name = c["name"];
    const auto x = values(c["x"]), y = values(c["y"]);
    const auto t = kldiv::welch_t(x, y);
    // t is a difference of means over a standard error: for identical
    // samples it is 0 here and rounding noise in NumPy.
    expect_close(t.statistic, c["t"], name + " t", kRel, 1e-12);
    expect_close(t.p_value, c["t_p"], name + " t p", kRel, 1e-300);
    ASSERT_TRUE(t.df.has_value());
    expect_close(*t.df, c["df"], name + " df", kRel);
    EXPECT_EQ(t.method, "student t");
    const auto z = kldiv::z_test_means(x, y);
    expect_close(z.statistic, c["z"], name + " z", kRel, 1e-12);
    expect_close(z.p_value, c["z_p"], name + " z p", kRel, 1e-300);
    EXPECT_FALSE(z.df.has_value());
  }
}

TEST(MeansTests, Errors) {
  const std::vector<double> ok{1.0, 2.0, 4.0}, one{1.0};
  const std::vector<double> flat{3.0, 3.0, 3.0}, flat2{5.0, 5.0};
  const std::vector<double> bad{1.0, 2.0,
                                -std::numeric_limits<double>::infinity()};
  for (const auto fn : {&kldiv::welch_t, &kldiv::z_test_means}) {
    EXPECT_THAT(message_of([&] { fn(one, ok); }),
                HasSubstr("x has 1 value(s)"));
    EXPECT_THAT(message_of([&] { fn(ok, {}); }), HasSubstr("y has 0 value(s)"));
    EXPECT_THAT(message_of([&] { fn(ok, bad); }), HasSubstr("y[2] = -inf"));
    EXPECT_THAT(message_of([&] { fn(flat, flat2); }),
                HasSubstr("zero variance"));
    EXPECT_EQ(message_of([&] { fn(flat, ok); }), "(no error)");
  }
}

std::vector<std::size_t> counts(const json& j) {
  return j.get<std::vector<std::size_t>>();
}

TEST(ChiSquare, MatchesScipyChi2Contingency) {
  for (const auto& c : reference()["chi2"]) {
    const std::string name = c["name"];
    const auto r = kldiv::chi2_categories(counts(c["x"]), counts(c["y"]));
    expect_close(r.statistic, c["statistic"], name + " chi2", kRel, 1e-12);
    expect_close(r.p_value, c["p_value"], name + " p", kRel, 1e-300);
    ASSERT_TRUE(r.df.has_value());
    EXPECT_EQ(*r.df, c["df"].get<double>()) << name;
    EXPECT_EQ(r.method,
              c["df"] == 1 ? "chi-square, Yates-corrected" : "chi-square")
        << name;
    const int dropped = c["dropped"];
    EXPECT_EQ(r.warnings.size(), dropped > 0 ? 1u : 0u) << name;
    if (dropped > 0) {
      EXPECT_TRUE(kldiv_test::has_number(r.warnings[0], dropped)) << name;
    }
  }
}

TEST(ChiSquare, Errors) {
  const std::vector<std::size_t> a{1, 2, 3}, b{3, 2}, zero{0, 0, 0};
  EXPECT_THAT(message_of([&] { kldiv::chi2_categories(a, b); }),
              HasSubstr("x_counts has 3 categories and y_counts 2"));
  EXPECT_THAT(message_of([&] { kldiv::chi2_categories(zero, a); }),
              HasSubstr("x_counts sum to 0"));
  EXPECT_THAT(message_of([&] { kldiv::chi2_categories(a, zero); }),
              HasSubstr("y_counts sum to 0"));
  const std::vector<std::size_t> one_x{0, 4, 0}, one_y{0, 7, 0};
  EXPECT_THAT(message_of([&] { kldiv::chi2_categories(one_x, one_y); }),
              HasSubstr("1 category observed (of 3 given)"));
  const std::vector<std::size_t> single{5};
  EXPECT_THAT(message_of([&] { kldiv::chi2_categories(single, single); }),
              HasSubstr("at least 2 categories"));
}

TEST(ChiSquareGoodnessOfFit, MatchesScipyChisquare) {
  for (const auto& c : reference()["chi2_gof"]) {
    const std::string name = c["name"];
    const auto r = kldiv::chi2_goodness_of_fit(counts(c["observed"]),
                                               values(c["expected"]));
    if (c["statistic"].is_string()) {
      EXPECT_EQ(r.statistic, std::numeric_limits<double>::infinity()) << name;
    } else {
      expect_close(r.statistic, c["statistic"], name + " chi2", kRel, 1e-12);
    }
    expect_close(r.p_value, c["p_value"], name + " p", kRel, 1e-300);
    ASSERT_TRUE(r.df.has_value());
    EXPECT_EQ(*r.df, c["df"].get<double>()) << name;
    EXPECT_EQ(r.warnings.size(), c["dropped"] > 0 ? 1u : 0u) << name;
  }
}

TEST(ChiSquareGoodnessOfFit, Errors) {
  const std::vector<std::size_t> obs{3, 4}, none{0, 0};
  const std::vector<double> q{0.5, 0.5}, q3{0.2, 0.3, 0.5};
  EXPECT_THAT(message_of([&] { kldiv::chi2_goodness_of_fit(obs, q3); }),
              HasSubstr("observed has 2 categories and expected 3"));
  EXPECT_THAT(message_of([&] { kldiv::chi2_goodness_of_fit(none, q); }),
              HasSubstr("observed counts sum to 0"));
  const std::vector<double> neg{-0.5, 1.5}, off{0.5, 0.6};
  EXPECT_THAT(message_of([&] { kldiv::chi2_goodness_of_fit(obs, neg); }),
              HasSubstr("expected[0] = -0.5"));
  EXPECT_THAT(message_of([&] { kldiv::chi2_goodness_of_fit(obs, off); }),
              HasSubstr("expected sums to 1.1"));
  const std::vector<std::size_t> one{0, 9};
  const std::vector<double> one_q{0.0, 1.0};
  EXPECT_THAT(message_of([&] { kldiv::chi2_goodness_of_fit(one, one_q); }),
              HasSubstr("at least 2 categories"));
}

TEST(Wasserstein, MatchesScipy) {
  for (const auto& c : reference()["wasserstein"]) {
    expect_close(kldiv::wasserstein_1(values(c["x"]), values(c["y"])),
                 c["value"], c["name"], 1e-12);
  }
  const std::vector<double> ok{1.0}, bad{0.0, std::nan("")};
  EXPECT_THAT(message_of([&] { kldiv::wasserstein_1({}, ok); }),
              HasSubstr("x is empty"));
  EXPECT_THAT(message_of([&] { kldiv::wasserstein_1(ok, bad); }),
              HasSubstr("y[1] = nan"));
}

TEST(Psi, MatchesKlBothWays) {
  for (const auto& c : reference()["psi"]) {
    const double got = kldiv::psi(values(c["p"]), values(c["q"]));
    if (c["value"].is_string()) {
      EXPECT_EQ(got, std::numeric_limits<double>::infinity()) << c["name"];
    } else {
      expect_close(got, c["value"], c["name"], 1e-12);
    }
  }
}

TEST(Psi, Errors) {
  const std::vector<double> p{0.5, 0.5}, q3{0.2, 0.3, 0.5};
  EXPECT_THAT(message_of([&] { kldiv::psi(p, q3); }),
              HasSubstr("p has 2 bins and q 3"));
  EXPECT_THAT(message_of([&] { kldiv::psi({}, {}); }), HasSubstr("empty"));
  const std::vector<double> neg{1.2, -0.2}, off{0.5, 0.4};
  EXPECT_THAT(message_of([&] { kldiv::psi(p, neg); }), HasSubstr("q[0] = 1.2"));
  EXPECT_THAT(message_of([&] { kldiv::psi(neg, p); }), HasSubstr("p[0] = 1.2"));
  EXPECT_THAT(message_of([&] { kldiv::psi(off, p); }),
              HasSubstr("p sums to 0.9"));
  EXPECT_EQ(message_of([&] { kldiv::psi(off, p, 0.2); }), "(no error)");
  const std::vector<double> nan{std::nan(""), 1.0};
  EXPECT_THAT(message_of([&] { kldiv::psi(nan, p); }), HasSubstr("p[0] = nan"));
}

}  // namespace
