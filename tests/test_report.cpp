// The HTML reports (kldiv/report.hpp), read as text: the page's structure
// (one distribution and one KL-parts chart per column, a fit chart and one
// chart per fitted model), that nothing is fetched or scripted, that every
// name is escaped, and that the bars drawn have the heights of proportions
// worked by hand. How the page looks in a browser is tested by
// python/tests/test_report_browser.py (headless Chromium).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <regex>
#include <string>
#include <vector>

#include "kldiv/compare.hpp"
#include "kldiv/error.hpp"
#include "kldiv/fit.hpp"
#include "kldiv/report.hpp"
#include "support/test_support.hpp"

namespace {

using kldiv_test::message_of;
using ::testing::HasSubstr;
using ::testing::Not;

std::size_t count(const std::string& page, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = page.find(what); at != std::string::npos;
       at = page.find(what, at + what.size())) {
    ++n;
  }
  return n;
}

// The svg elements of one kind, in order.
std::vector<std::string> charts(const std::string& page,
                                const std::string& kind) {
  std::vector<std::string> out;
  const std::string open = "<svg class=\"chart\" data-chart=\"" + kind + "\"";
  for (std::size_t at = page.find(open); at != std::string::npos;
       at = page.find(open, at + 1)) {
    out.push_back(page.substr(at, page.find("</svg>", at) - at));
  }
  return out;
}

// The heights of the rects filled with `colour` in a chart, in order.
std::vector<double> heights(const std::string& svg, const std::string& colour) {
  static const std::regex rect(
      "<rect x=\"[^\"]+\" y=\"[^\"]+\" width=\"[^\"]+\" height=\"([^\"]+)\" "
      "fill=\"([^\"]+)\"");
  std::vector<double> out;
  for (std::sregex_iterator it(svg.begin(), svg.end(), rect), end; it != end;
       ++it) {
    if ((*it)[2] == colour) out.push_back(std::stod((*it)[1]));
  }
  return out;
}

using kldiv_test::categorical_column;
using kldiv_test::numeric_column;

kldiv::comparison small_comparison() {
  std::vector<double> ref, cur;
  for (int i = 0; i < 40; ++i) {
    ref.push_back(i % 10);
    cur.push_back(i % 10 + 3.0);
  }
  kldiv::compare_options o;
  o.bins.rule = kldiv::bin_rule::edges;
  o.bins.edges = {0, 2.5, 5, 7.5, 10};
  o.permutations = 50;
  o.bootstrap = 20;
  return kldiv::compare(
      {numeric_column("x", ref),
       categorical_column("colour <b>", {"a", "a", "b", "<c>"})},
      {numeric_column("x", cur),
       categorical_column("colour <b>", {"a", "b", "b", "b", "new"}, 2)},
      o);
}

TEST(CompareReport, StructureAndEscaping) {
  const kldiv::comparison r = small_comparison();
  kldiv::report_options o;
  o.reference_name = "before.csv";
  o.current_name = "after & now.csv";
  const std::string page = kldiv::compare_report_html(r, o);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_THAT(page, HasSubstr("</html>\n"));
  // Self-contained: no scripts, no address of anything to fetch.
  EXPECT_THAT(page, Not(HasSubstr("<script")));
  EXPECT_THAT(page, Not(HasSubstr("http")));
  EXPECT_THAT(page, Not(HasSubstr("src=")));
  EXPECT_EQ(charts(page, "distribution").size(), 2u);
  EXPECT_EQ(charts(page, "kl-terms").size(), 2u);
  EXPECT_EQ(count(page, "<svg "), 4u);
  EXPECT_EQ(count(page, "<svg "), count(page, "</svg>"));
  // Every name escaped, never raw.
  EXPECT_THAT(page, HasSubstr("colour &lt;b&gt;"));
  EXPECT_THAT(page, Not(HasSubstr("colour <b>")));
  EXPECT_THAT(page, HasSubstr("&lt;c&gt;"));
  EXPECT_THAT(page, HasSubstr("after &amp; now.csv"));
  EXPECT_THAT(page, Not(HasSubstr("after & now")));
  // The verdicts and tests of every column, the unseen category's infinite
  // KL, the missing values, the default title.
  for (const auto& c : r.columns) {
    EXPECT_THAT(page, HasSubstr("<span class=\"badge")) << c.name;
    for (const auto& t : c.tests) EXPECT_THAT(page, HasSubstr(t.name));
  }
  EXPECT_THAT(page, HasSubstr("Kolmogorov-Smirnov"));
  EXPECT_THAT(page, HasSubstr("chi-square"));
  EXPECT_THAT(page, HasSubstr("∞"));
  EXPECT_THAT(page, HasSubstr("missing: 0 and 2"));
  EXPECT_THAT(page, HasSubstr("<title>Comparison of after &amp; now.csv with "
                              "before.csv</title>"));
  o.title = "Drift <check>";
  EXPECT_THAT(kldiv::compare_report_html(r, o),
              HasSubstr("<h1>Drift &lt;check&gt;</h1>"));
}

// The categorical chart's bars: reference a, a, b, <c> gives 1/2, 1/4, 1/4
// and 0 for (unseen); current a, b, b, b, new gives 1/5, 3/5, 0, 1/5. The
// bars' heights in pixels are proportional to those.
TEST(CompareReport, BarsHaveTheProportions) {
  const kldiv::comparison r = small_comparison();
  const std::string page = kldiv::compare_report_html(r);
  const auto svg = charts(page, "distribution").at(1);
  ASSERT_THAT(svg, HasSubstr("colour &lt;b&gt;"));
  // Categories sorted: <c>, a, b, (unseen); the legend's swatch (12 px)
  // comes last.
  const std::vector<double> ref = heights(svg, "#2b6cb0");
  const std::vector<double> cur = heights(svg, "#dd6b20");
  ASSERT_EQ(ref.size(), 5u);
  ASSERT_EQ(cur.size(), 5u);
  EXPECT_DOUBLE_EQ(ref[4], 12.0);
  const double unit = ref[1] / 0.5;  // pixels per unit of share
  EXPECT_NEAR(ref[0], 0.25 * unit, 0.11);
  EXPECT_NEAR(ref[2], 0.25 * unit, 0.11);
  EXPECT_NEAR(ref[3], 0.0, 0.06);
  EXPECT_NEAR(cur[0], 0.0, 0.06);
  EXPECT_NEAR(cur[1], 0.2 * unit, 0.11);
  EXPECT_NEAR(cur[2], 0.6 * unit, 0.11);
  EXPECT_NEAR(cur[3], 0.2 * unit, 0.11);
  // The KL parts: current * log(current / reference) per category: <c>
  // none (0), a 0.2 log(0.4) < 0 (green), b 0.6 log(2.4) > 0 (red), unseen
  // infinite (a red bar to the top).
  const auto terms = charts(page, "kl-terms").at(1);
  const std::vector<double> red = heights(terms, "#c53030");
  const std::vector<double> green = heights(terms, "#2f855a");
  ASSERT_EQ(red.size(), 3u);    // b, unseen, the legend
  ASSERT_EQ(green.size(), 2u);  // a, the legend
  EXPECT_NEAR(green[0] / red[0], -0.2 * std::log(0.4) / (0.6 * std::log(2.4)),
              0.01);
  EXPECT_GT(red[1], red[0]);
}

TEST(CompareReport, NumericBinsOutsideTheReferenceRange) {
  // Current values 3..12 against reference bins [0, 10]: 8 of 40 above.
  const kldiv::comparison r = small_comparison();
  const std::string page = kldiv::compare_report_html(r);
  const auto svg = charts(page, "distribution").at(0);
  EXPECT_THAT(svg, HasSubstr(">above</text>"));
  EXPECT_THAT(svg, Not(HasSubstr(">below</text>")));
  // Reference: 12, 8, 12, 8 of 40 in the four inner bins (values 0-2,
  // 3-4, 5-7, 8-9), nothing above: five fills plus the legend's swatch.
  const std::vector<double> ref = heights(svg, "#2b6cb0");
  ASSERT_EQ(ref.size(), 6u);
  EXPECT_NEAR(ref[1] / ref[0], 8.0 / 12.0, 0.01);
  EXPECT_NEAR(ref[2] / ref[0], 1.0, 0.01);
  EXPECT_NEAR(ref[4], 0.0, 0.06);
}

kldiv::fit_result weldon(std::vector<double>& v, std::vector<double>& c) {
  // Weldon's dice: the number of fives and sixes in 12 dice, 26306 throws.
  v = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  c = {185, 1149, 3265, 5475, 6114, 5194, 3067, 1331, 403, 105, 14, 4, 0};
  kldiv::fit_options o;
  o.binomial_n = 12;
  return kldiv::fit_counts(v, c, o);
}

TEST(FitReport, DiscreteStructure) {
  std::vector<double> v, c;
  const kldiv::fit_result r = weldon(v, c);
  kldiv::report_options o;
  o.data_name = "fives & sixes";
  const std::string page = kldiv::fit_report_html(r, v, c, o);
  EXPECT_THAT(page, Not(HasSubstr("<script")));
  EXPECT_THAT(page, Not(HasSubstr("http")));
  std::size_t fitted = 0;
  for (const auto& m : r.models) fitted += m.fitted;
  EXPECT_EQ(fitted, 4u);  // negative binomial: variance <= mean
  EXPECT_EQ(charts(page, "fit").size(), 1u);
  EXPECT_EQ(charts(page, "fit-model").size(), fitted);
  // Every fitted model drawn in the combined chart (a polyline each), the
  // unfitted one's reason given, the name escaped.
  EXPECT_EQ(count(charts(page, "fit")[0], "<polyline"), fitted);
  EXPECT_THAT(page, HasSubstr("negative_binomial</b>: the variance"));
  EXPECT_THAT(page, HasSubstr("fives &amp; sixes"));
  EXPECT_THAT(page, HasSubstr("<b>Best: binomial</b>"));
  // The data bars: shares of 26306 throws at 0..11 (12 has count 0, so the
  // chart ends at 11), 4 (6114) the tallest.
  const std::vector<double> bars = heights(charts(page, "fit")[0], "#a0aec0");
  ASSERT_GE(bars.size(), 12u);
  EXPECT_NEAR(bars[3] / bars[4], 5475.0 / 6114.0, 0.002);
  EXPECT_NEAR(bars[0] / bars[4], 185.0 / 6114.0, 0.002);
  // The raw throws give the same page as the table of counts.
  std::vector<double> raw;
  for (std::size_t i = 0; i < v.size(); ++i) {
    raw.insert(raw.end(), static_cast<std::size_t>(c[i]), v[i]);
  }
  EXPECT_EQ(kldiv::fit_report_html(r, raw, {}, o), page);
}

TEST(FitReport, ContinuousDrawsDensities) {
  std::vector<double> x;
  for (int i = 1; i <= 200; ++i) x.push_back(-std::log(i / 201.0));  // Exp(1)
  const kldiv::fit_result r = kldiv::fit(x);
  const std::string page = kldiv::fit_report_html(r, x);
  std::size_t fitted = 0;
  for (const auto& m : r.models) fitted += m.fitted;
  EXPECT_EQ(fitted, 5u);  // not beta: values above 1
  EXPECT_EQ(charts(page, "fit-model").size(), fitted);
  EXPECT_EQ(count(charts(page, "fit")[0], "<polyline"), fitted);
  EXPECT_THAT(page, HasSubstr("beta</b>: needs values in [0, 1]"));
  EXPECT_THAT(page, HasSubstr(r.kl_estimator.substr(0, 20)));
}

TEST(FitReport, Errors) {
  std::vector<double> v, c;
  const kldiv::fit_result r = weldon(v, c);
  EXPECT_THAT(message_of([&] {
                kldiv::fit_report_html(r, v, std::vector<double>{1, 2});
              }),
              HasSubstr("values has 13 entries and counts 2"));
  EXPECT_THAT(message_of([&] { kldiv::fit_report_html(r, v); }),
              HasSubstr("the data hold 13 observations, the fit 26306"));
  std::vector<double> bad = v;
  bad[2] = NAN;
  EXPECT_THAT(message_of([&] { kldiv::fit_report_html(r, bad, c); }),
              HasSubstr("values[2] = nan"));
}

}  // namespace
