// kldiv::compare_report_html: a comparison as a page a newcomer can read.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "kldiv/report.hpp"
#include "report_html.hpp"

namespace kldiv {
namespace {

using namespace detail::html;  // NOLINT(build/namespaces)

std::string verdict_class(const std::string& v) {
  if (v == "drift") return "drift";
  if (v == "possible drift") return "possible";
  return "none";
}

std::string badge(const std::string& v) {
  return "<span class=\"badge " + verdict_class(v) + "\">" + escape(v) +
         "</span>";
}

const test_result* find_test(const column_comparison& c,
                             std::string_view name) {
  for (const auto& t : c.tests) {
    if (t.name == name) return &t.result;
  }
  return nullptr;
}

// Where a bin is drawn: numeric bins at their values (the outer bins as a
// slot one average bin wide beyond the edges, drawn only when they hold
// something), categories side by side.
struct slot {
  std::size_t bin = 0;
  double lo = 0, hi = 0;
  std::string label;  // outer bins and categories
};

bool holds_something(const column_comparison& c, std::size_t b) {
  return c.reference_counts[b] + c.current_counts[b] > 0 ||
         c.kl_terms[b] != 0.0;
}

std::vector<slot> numeric_slots(const column_comparison& c) {
  const std::size_t nb = c.edges.size() - 1;
  const double lo = c.edges.front(), hi = c.edges.back();
  const double w = hi > lo ? (hi - lo) / static_cast<double>(nb) : 1.0;
  std::vector<slot> s;
  if (holds_something(c, 0)) s.push_back({0, lo - w, lo, "below"});
  for (std::size_t i = 1; i <= nb; ++i) {
    s.push_back({i, c.edges[i - 1], c.edges[i], ""});
  }
  if (holds_something(c, nb + 1)) {
    s.push_back({nb + 1, hi, hi + w, "above"});
  }
  return s;
}

// At most kMaxCategories categories drawn: those most frequent on either
// side, in their order.
constexpr std::size_t kMaxCategories = 40;

std::vector<slot> category_slots(const column_comparison& c,
                                 std::size_t* hidden) {
  std::vector<std::size_t> keep(c.bins.size());
  for (std::size_t i = 0; i < keep.size(); ++i) keep[i] = i;
  *hidden = 0;
  if (keep.size() > kMaxCategories) {
    std::stable_sort(keep.begin(), keep.end(), [&](auto a, auto b) {
      return std::max(c.reference_p[a], c.current_p[a]) >
             std::max(c.reference_p[b], c.current_p[b]);
    });
    *hidden = keep.size() - kMaxCategories;
    keep.resize(kMaxCategories);
    std::sort(keep.begin(), keep.end());
  }
  std::vector<slot> s;
  for (std::size_t i = 0; i < keep.size(); ++i) {
    s.push_back({keep[i], static_cast<double>(i), static_cast<double>(i + 1),
                 c.bins[keep[i]]});
  }
  return s;
}

frame chart_frame(const std::vector<slot>& slots, bool categorical,
                  bool* rotate) {
  frame f;
  f.width = 510;
  f.top = 32;
  *rotate = false;
  if (categorical) {
    f.width = std::clamp(90.0 + 30.0 * static_cast<double>(slots.size()), 510.0,
                         1040.0);
    std::size_t longest = 0;
    for (const auto& s : slots) longest = std::max(longest, s.label.size());
    const double slot_px =
        (f.width - f.left - f.right) / static_cast<double>(slots.size());
    *rotate = 6.5 * static_cast<double>(std::min<std::size_t>(longest, 14)) >
              slot_px - 4;
    if (*rotate) f.bottom = 96;
  }
  f.x0 = slots.front().lo;
  f.x1 = slots.back().hi;
  return f;
}

// Slot labels under the x axis: outer bins and categories (numeric inner
// bins get value ticks instead).
void slot_labels(svg& g, const std::vector<slot>& slots, bool categorical,
                 bool rotate, std::string_view axis_title,
                 const std::vector<double>& value_ticks) {
  const frame& f = g.area();
  if (!categorical) {
    std::vector<double> inner;
    for (const double t : value_ticks) {
      // Not inside an outer slot, nor so near its label that they overlap.
      bool outer = false;
      for (const auto& s : slots) {
        const double centre = (f.px(s.lo) + f.px(s.hi)) / 2;
        if (!s.label.empty() &&
            ((t > s.lo && t < s.hi) || std::fabs(f.px(t) - centre) < 34)) {
          outer = true;
        }
      }
      if (!outer) inner.push_back(t);
    }
    g.x_axis(inner, axis_title);
  } else {
    g.x_axis({}, axis_title);
  }
  const double base = f.height - f.bottom;
  for (const auto& s : slots) {
    if (s.label.empty()) continue;
    const double x = (f.px(s.lo) + f.px(s.hi)) / 2;
    const std::string text = shorten(s.label, 14);
    if (rotate) {
      g.text(x, base + 14, text, "end", 11,
             "transform=\"rotate(-40 " + px(x) + " " + px(base + 14) + ")\"");
    } else {
      g.text(x, base + 16, text, "middle", 11,
             categorical ? "" : "font-style=\"italic\"");
    }
  }
}

std::string distribution_chart(const column_comparison& c,
                               const std::vector<slot>& slots,
                               const report_options& o, std::size_t index) {
  const bool categorical = c.kind == column_kind::categorical;
  // Shares of values per bin; for numeric bins of unequal widths, shares
  // per unit of the column (a density), so the areas compare.
  bool equal = true;
  if (!categorical) {
    const double w0 = slots.front().hi - slots.front().lo;
    for (const auto& s : slots) {
      if (std::fabs((s.hi - s.lo) - w0) > 1e-9 * std::fabs(w0)) equal = false;
    }
  }
  auto height = [&](const std::vector<double>& p, const slot& s) {
    return equal || categorical ? p[s.bin] : p[s.bin] / (s.hi - s.lo);
  };
  double top = 0;
  for (const auto& s : slots) {
    top = std::max({top, height(c.reference_p, s), height(c.current_p, s)});
  }
  bool rotate = false;
  frame f = chart_frame(slots, categorical, &rotate);
  f.y0 = 0;
  f.y1 = top > 0 ? top * 1.12 : 1.0;
  svg g(f, "distribution",
        c.name + ": the distribution of its values in " + o.reference_name +
            " and in " + o.current_name);
  g.y_axis(ticks(f.y0, f.y1, 5),
           equal || categorical ? "share of values" : "share per unit");
  const std::string clip = g.clip("dist-" + std::to_string(index));
  const double zero = f.py(0);
  for (const auto& s : slots) {
    const double x0 = f.px(s.lo), x1 = f.px(s.hi);
    const double hr = height(c.reference_p, s), hc = height(c.current_p, s);
    if (categorical) {
      const double w = x1 - x0;
      g.rect(x0 + 0.12 * w, f.py(hr), 0.38 * w, zero - f.py(hr), kReference,
             1.0, clip);
      g.rect(x0 + 0.5 * w, f.py(hc), 0.38 * w, zero - f.py(hc), kCurrent, 1.0,
             clip);
    } else {
      g.rect(x0, f.py(hr), x1 - x0, zero - f.py(hr), kReference, 0.3, clip);
      g.rect(x0, f.py(hc), x1 - x0, zero - f.py(hc), kCurrent, 0.3, clip);
    }
  }
  if (!categorical) {
    // Each histogram's outline, opaque, over both fills.
    for (const auto* series : {&c.reference_p, &c.current_p}) {
      std::vector<std::pair<double, double>> step;
      for (const auto& s : slots) {
        const double y = f.py(height(*series, s));
        if (step.empty() || step.back().first != f.px(s.lo)) {
          step.emplace_back(f.px(s.lo), zero);
        }
        step.emplace_back(f.px(s.lo), y);
        step.emplace_back(f.px(s.hi), y);
      }
      step.emplace_back(step.back().first, zero);
      g.polyline(step, series == &c.reference_p ? kReference : kCurrent, 2.0,
                 clip);
    }
  }
  slot_labels(g, slots, categorical, rotate,
              categorical ? "category" : "value of " + c.name,
              ticks(f.x0, f.x1, 6));
  g.legend(
      {{kReference,
        o.reference_name + " (" + std::to_string(c.n_reference) + ")"},
       {kCurrent, o.current_name + " (" + std::to_string(c.n_current) + ")"}});
  return g.str();
}

std::string kl_terms_chart(const column_comparison& c,
                           const std::vector<slot>& slots,
                           const report_options& o, std::size_t index) {
  const bool categorical = c.kind == column_kind::categorical;
  double hi = 0, lo = 0;
  bool infinite = false;
  for (const auto& s : slots) {
    const double t = c.kl_terms[s.bin];
    if (std::isinf(t)) {
      infinite = true;
      continue;
    }
    hi = std::max(hi, t);
    lo = std::min(lo, t);
  }
  if (hi == 0 && lo == 0) hi = 1e-3;
  // Infinite parts reach the top: above every finite bar, and tall enough
  // to see beside large negative ones.
  if (infinite) hi = std::max({1.3 * hi, -0.6 * lo, 1e-3});
  bool rotate = false;
  frame f = chart_frame(slots, categorical, &rotate);
  f.y0 = lo < 0 ? lo * 1.12 : 0;
  f.y1 = hi * 1.12;
  svg g(f, "kl-terms",
        c.name + ": each bin's part of KL(" + o.current_name + " || " +
            o.reference_name + ")");
  g.y_axis(ticks(f.y0, f.y1, 5), "part of KL (nats)");
  const std::string clip = g.clip("terms-" + std::to_string(index));
  const double zero = f.py(0);
  for (const auto& s : slots) {
    const double t = c.kl_terms[s.bin];
    const double x0 = f.px(s.lo), x1 = f.px(s.hi);
    const double w = x1 - x0;
    const double pad = categorical ? 0.15 * w : std::min(1.0, 0.1 * w);
    if (std::isinf(t)) {
      g.rect(x0 + pad, f.top, w - 2 * pad, zero - f.top, kMore, 1.0, clip);
      g.text((x0 + x1) / 2, f.top + 12, "∞", "middle", 13,
             "fill=\"#ffffff\" font-weight=\"bold\"");
      continue;
    }
    if (t == 0.0) continue;
    g.rect(x0 + pad, f.py(t), w - 2 * pad, zero - f.py(t),
           t > 0 ? kMore : kLess, 1.0, clip);
  }
  g.line(f.left, zero, f.width - f.right, zero, kInk);
  slot_labels(g, slots, categorical, rotate,
              categorical ? "category" : "value of " + c.name,
              ticks(f.x0, f.x1, 6));
  g.legend(
      {{kMore, "more common in " + o.current_name}, {kLess, "less common"}});
  return g.str();
}

std::string test_reading(double p, double alpha) {
  return p < alpha ? "unlikely to be chance (p &lt; " + num(alpha, 3) + ")"
                   : "could be chance (p ≥ " + num(alpha, 3) + ")";
}

std::string measures_table(const column_comparison& c,
                           const report_options& o) {
  auto row = [](const std::string& name, const std::string& value,
                const std::string& reading) {
    return "<tr><th>" + name + "</th><td class=\"n\">" + value + "</td><td>" +
           reading + "</td></tr>\n";
  };
  const std::string cur = escape(o.current_name);
  const std::string ref = escape(o.reference_name);
  std::string js = num(c.js_bits) + " bits";
  if (c.js_ci_low) {
    js += "<br>[" + num(*c.js_ci_low) + ", " + num(*c.js_ci_high) + "]";
  }
  std::string t =
      "<table class=\"measures\">\n<tr><th>measure</th>"
      "<th>value</th><th>what it says</th></tr>\n";
  t += row(
      "Jensen–Shannon divergence", js,
      "How different the two distributions are, from 0 (the same) to 1 "
      "bit (no value in common). Small samples make it larger by chance "
      "alone; the verdict allows for that." +
          std::string(c.js_ci_low ? " In brackets: the bootstrap interval, "
                                    "which shows the sampling noise; noise "
                                    "only adds to JS, so for similar data the "
                                    "interval lies above it."
                                  : ""));
  t += row("KL(" + cur + " ‖ " + ref + ")",
           num(c.kl_current_reference) + " nats",
           "The information lost when " + ref + " stands in for " + cur +
               ": 0 when they agree, ∞ when " + cur + " has values where " +
               ref + " has none. The bar chart shows where it comes from.");
  t += row("KL(" + ref + " ‖ " + cur + ")",
           num(c.kl_reference_current) + " nats",
           "The same the other way round (KL is not symmetric).");
  t += row("Hellinger distance", num(c.hellinger),
           "0 (the same) to 1 (no overlap); like JS, bounded and symmetric.");
  t += row("Total variation", num(c.total_variation),
           "The share of values that would have to change bin to turn one "
           "histogram into the other (0 to 1).");
  t += row("PSI", num(c.psi),
           "Population stability index, as used in credit scoring: below 0.1 "
           "is usually read as stable, 0.1–0.25 as a moderate shift, above "
           "0.25 as a large one.");
  if (c.wasserstein) {
    t += row("Wasserstein-1", num(*c.wasserstein),
             "How far, on average, values have to move to turn one sample "
             "into the other, in the column's own unit.");
  }
  if (c.kl_1d) {
    t += row("KL, 1-D estimate", num(*c.kl_1d) + " nats",
             "KL(" + cur + " ‖ " + ref +
                 ") estimated from the values themselves, without bins "
                 "(Pérez-Cruz); noisy for small samples and can be "
                 "slightly negative.");
  }
  return t + "</table>\n";
}

std::string tests_table(const column_comparison& c, double alpha) {
  std::string t =
      "<table class=\"tests\">\n<tr><th>test</th><th>asks</th>"
      "<th>statistic</th><th>p-value</th><th>reading</th></tr>\n";
  for (const auto& nt : c.tests) {
    std::string asks;
    if (nt.name == "Kolmogorov-Smirnov") {
      asks =
          "could both samples come from one distribution? (largest gap "
          "between the two cumulative distributions)";
    } else if (nt.name == "Welch t") {
      asks = "are the means equal? (variances may differ)";
    } else if (nt.name == "z") {
      asks = "are the means equal? (large-sample normal test)";
    } else if (nt.name == "chi-square") {
      asks = "are the categories equally frequent in both?";
    } else if (nt.name == "JS permutation") {
      asks = "is JS larger than shuffling the rows between the two gives?";
    }
    t += "<tr><th>" + escape(nt.name) + "</th><td>" + asks +
         "</td><td class=\"n\">" + num(nt.result.statistic) +
         "</td><td class=\"n\">" + p_value(nt.result.p_value) + "</td><td>" +
         test_reading(nt.result.p_value, alpha) + "</td></tr>\n";
  }
  return t + "</table>\n";
}

std::string column_section(const column_comparison& c, const comparison& r,
                           const report_options& o, std::size_t index) {
  const bool categorical = c.kind == column_kind::categorical;
  std::size_t hidden = 0;
  const std::vector<slot> slots =
      categorical ? category_slots(c, &hidden) : numeric_slots(c);
  std::string s = "<section id=\"column-" + std::to_string(index) +
                  "\">\n<h2>" + escape(c.name) + " " + badge(c.verdict) +
                  "</h2>\n";
  s += "<p>" + escape(c.reason) + "</p>\n";
  s += "<p class=\"note\">" +
       std::string(categorical ? "categorical" : "numeric") + "; " +
       std::to_string(c.n_reference) + " values in " +
       escape(o.reference_name) + ", " + std::to_string(c.n_current) + " in " +
       escape(o.current_name) +
       "; missing: " + std::to_string(c.missing_reference) + " and " +
       std::to_string(c.missing_current) + ".</p>\n";
  s += "<div class=\"charts\">\n<figure>\n" +
       distribution_chart(c, slots, o, index) +
       "<figcaption>How the values are distributed: " +
       escape(o.reference_name) + " in blue, " + escape(o.current_name) +
       " in orange, on the same " +
       (categorical ? std::string("categories")
                    : "bins (fitted on " + escape(o.reference_name) +
                          "; \"below\" and \"above\" hold values outside "
                          "its range)") +
       ". Where the colours do not overlap, the data differ.";
  if (hidden > 0) {
    s += " The " + std::to_string(hidden) +
         " least frequent categories are not drawn.";
  }
  s += "</figcaption>\n</figure>\n<figure>\n" +
       kl_terms_chart(c, slots, o, index) +
       "<figcaption>Where the difference comes from: each bar is one bin's "
       "part of KL(" +
       escape(o.current_name) + " ‖ " + escape(o.reference_name) +
       ") = " + num(c.kl_current_reference) +
       " nats, the bars' sum. Above the line: values more common in " +
       escape(o.current_name) + " than in " + escape(o.reference_name) +
       "; below: less common. The tallest bars are where to look.</figcaption>"
       "\n</figure>\n</div>\n";
  s += "<h3>How different, in numbers</h3>\n" + measures_table(c, o);
  s += "<h3>Could it be chance?</h3>\n" +
       tests_table(c, r.options.thresholds.alpha);
  if (!c.warnings.empty()) {
    s += "<ul class=\"warn\">\n";
    for (const auto& w : c.warnings) s += "<li>" + escape(w) + "</li>\n";
    s += "</ul>\n";
  }
  return s + "</section>\n";
}

std::string summary(const comparison& r, const report_options& o) {
  std::size_t drift = 0, possible = 0;
  for (const auto& c : r.columns) {
    drift += c.verdict == "drift";
    possible += c.verdict == "possible drift";
  }
  const auto& th = r.options.thresholds;
  std::string s =
      "<p class=\"lead\">This page compares <b>" + escape(o.current_name) +
      "</b> with <b>" + escape(o.reference_name) +
      "</b>, column by column. For each column it asks: are the values "
      "distributed differently, by how much, where, and could the "
      "difference be chance?</p>\n";
  s += "<p><b>" + std::to_string(r.columns.size()) + " columns compared:</b> " +
       std::to_string(drift) + " " + badge("drift") + ", " +
       std::to_string(possible) + " " + badge("possible drift") + ", " +
       std::to_string(r.columns.size() - drift - possible) + " " +
       badge("no drift") + ". Worst first.</p>\n";
  s += "<table class=\"summary\">\n<tr><th>column</th><th>verdict</th>"
       "<th>JS (bits)</th><th>p-value</th><th>KL (nats)</th>"
       "<th>values</th><th>missing</th></tr>\n";
  for (std::size_t i = 0; i < r.columns.size(); ++i) {
    const auto& c = r.columns[i];
    const test_result* perm = find_test(c, "JS permutation");
    s += "<tr><td><a href=\"#column-" + std::to_string(i) + "\">" +
         escape(c.name) + "</a></td><td>" + badge(c.verdict) +
         "</td><td class=\"n\">" + num(c.js_bits) + "</td><td class=\"n\">" +
         (perm ? p_value(perm->p_value) : std::string("—")) +
         "</td><td class=\"n\">" + num(c.kl_current_reference) +
         "</td><td class=\"n\">" + std::to_string(c.n_reference) + " / " +
         std::to_string(c.n_current) + "</td><td class=\"n\">" +
         std::to_string(c.missing_reference) + " / " +
         std::to_string(c.missing_current) + "</td></tr>\n";
  }
  s += "</table>\n";
  s += "<p class=\"note\">JS: the Jensen–Shannon divergence, 0 (same) to 1 "
       "bit (nothing in common). p-value: how often shuffling the rows "
       "between the two data sets gives a JS this large (" +
       std::to_string(r.options.permutations) + " shuffles). KL: KL(" +
       escape(o.current_name) + " ‖ " + escape(o.reference_name) +
       "). Values: " + escape(o.reference_name) + " / " +
       escape(o.current_name) + ".</p>\n";
  s += "<p class=\"note\">Verdicts: <b>drift</b> when the p-value is below " +
       num(th.alpha, 3) +
       " and JS beyond chance (JS minus what shuffled "
       "data give) is at least " +
       num(th.js_drift, 3) + " bits; <b>possible drift</b> when p is below " +
       num(th.alpha, 3) + " and JS beyond chance is at least " +
       num(th.js_possible, 3) + " bits, or JS beyond chance is at least " +
       num(th.js_drift, 3) +
       " bits without significance; otherwise <b>no drift</b>. The "
       "thresholds can be set (kldiv compare --alpha, --js-possible, "
       "--js-drift).</p>\n";
  return s;
}

constexpr const char* kGlossary = R"(<h2>What the numbers mean</h2>
<dl>
<dt>Distribution</dt><dd>How often each value (or range of values) occurs.
Two data sets can have the same average and still be distributed differently.</dd>
<dt>KL divergence (Kullback–Leibler)</dt><dd>The extra surprise, in nats, of
seeing the current data when you expected the reference: 0 when the two
distributions agree. It is a sum over the bins, which is why the bar chart
can show where it comes from. It is not symmetric, and it is infinite when
one data set has values where the other has none (add smoothing to avoid that).</dd>
<dt>Jensen–Shannon divergence (JS)</dt><dd>A symmetric, bounded relative of
KL: the average KL of each distribution from their mixture, in bits, from 0
(the same) to 1 (nothing in common).</dd>
<dt>p-value</dt><dd>If the two data sets really came from one distribution,
how often would a difference at least this large appear by chance? Small
p-values (below the level α) mean chance is an unlikely explanation. A
p-value says nothing about how large the difference is: with enough data,
tiny differences are significant, which is why the verdict also asks for a
minimum JS.</dd>
<dt>Bins</dt><dd>Numeric values are grouped into ranges fitted on the
reference, so both data sets are counted on the same ranges; values of the
current data outside the reference's range fall into two outer bins.</dd>
<dt>nats and bits</dt><dd>Units of information: 1 bit = 0.693 nats.</dd>
</dl>
)";

}  // namespace

std::string compare_report_html(const comparison& r, const report_options& o) {
  const std::string title =
      o.title.empty()
          ? "Comparison of " + o.current_name + " with " + o.reference_name
          : o.title;
  std::string page = page_head(title);
  page += "<h1>" + escape(title) + "</h1>\n";
  page += summary(r, o);
  for (std::size_t i = 0; i < r.columns.size(); ++i) {
    page += column_section(r.columns[i], r, o, i);
  }
  page += kGlossary;
  page += page_tail();
  return page;
}

}  // namespace kldiv
