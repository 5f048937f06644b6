// kldiv::fit_report_html: the data and every fitted model, drawn together,
// and the ranking, as a page a newcomer can read.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "format_number.hpp"
#include "kldiv/error.hpp"
#include "kldiv/report.hpp"
#include "report_html.hpp"

namespace kldiv {
namespace {

using namespace detail::html;  // NOLINT(build/namespaces)

// One colour per model, in rank order (11 families at most).
constexpr const char* kModelColours[] = {
    "#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#319795",
    "#b7791f", "#c53030", "#4a5568", "#2c5282", "#97266d"};

const char* model_colour(std::size_t rank) {
  return kModelColours[rank % std::size(kModelColours)];
}

// The data as ascending distinct values with their weights.
struct weighted {
  std::vector<double> v, w;
  double n = 0;
};

weighted table_of(std::span<const double> values,
                  std::span<const double> counts, std::size_t fitted_n) {
  if (!counts.empty() && counts.size() != values.size()) {
    throw InvalidArgument("fit_report_html: values has " +
                          std::to_string(values.size()) +
                          " entries and counts " +
                          std::to_string(counts.size()) + ": they must match");
  }
  std::vector<std::pair<double, double>> vw;
  vw.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double c = counts.empty() ? 1.0 : counts[i];
    if (!std::isfinite(values[i]) || !std::isfinite(c) || c < 0) {
      throw InvalidArgument(
          "fit_report_html: " +
          std::string(!std::isfinite(values[i]) ? "values" : "counts") + "[" +
          std::to_string(i) + "] = " +
          detail::format_number(!std::isfinite(values[i]) ? values[i] : c) +
          ": not the data of a fit");
    }
    if (c > 0) vw.emplace_back(values[i], c);
  }
  std::sort(vw.begin(), vw.end());
  weighted t;
  for (const auto& [v, c] : vw) {
    if (!t.v.empty() && t.v.back() == v) {
      t.w.back() += c;
    } else {
      t.v.push_back(v);
      t.w.push_back(c);
    }
    t.n += c;
  }
  if (t.v.empty() || t.n != static_cast<double>(fitted_n)) {
    throw InvalidArgument("fit_report_html: the data hold " +
                          detail::format_number(t.n) +
                          " observations, the fit " + std::to_string(fitted_n) +
                          ": give the values (and counts) that were fitted");
  }
  return t;
}

// What the charts draw: the data as bars over [lo, hi) slots and, per
// fitted model, its curve (continuous: density at many points) or its
// probability per slot (discrete).
struct picture {
  std::vector<double> lo, hi, bar;  // slots and the data's height in each
  double x0 = 0, x1 = 1;            // the x axis' range
  std::string y_title, x_title;
  // Per fitted model: (x, y) points in data units.
  std::vector<std::vector<std::pair<double, double>>> curves;
  bool points = false;  // discrete: draw markers at the points
  std::string note;
};

picture discrete_picture(const weighted& t,
                         const std::vector<const fitted_model*>& models,
                         const std::string& data_name) {
  picture p;
  const double first = t.v.front(), last = t.v.back();
  const double span = last - first + 1;
  const double g = span <= 60 ? 1.0 : std::ceil(span / 60);
  const std::size_t groups = static_cast<std::size_t>(std::ceil(span / g));
  p.bar.assign(groups, 0.0);
  for (std::size_t k = 0; k < groups; ++k) {
    p.lo.push_back(first + static_cast<double>(k) * g - 0.5);
    p.hi.push_back(first + static_cast<double>(k + 1) * g - 0.5);
  }
  for (std::size_t j = 0; j < t.v.size(); ++j) {
    p.bar[static_cast<std::size_t>((t.v[j] - first) / g)] += t.w[j] / t.n;
  }
  const bool exact = span <= 200000;
  for (const fitted_model* m : models) {
    std::vector<std::pair<double, double>> c;
    for (std::size_t k = 0; k < groups; ++k) {
      const double a = first + static_cast<double>(k) * g;
      double mass = 0;
      if (exact) {
        for (double x = a; x < a + g && x <= last; x += 1.0) {
          mass += std::exp(log_density(*m, x));
        }
      } else {
        mass = g * std::exp(log_density(*m, std::floor(a + g / 2)));
      }
      c.emplace_back(a + (g - 1) / 2, mass);
    }
    p.curves.push_back(std::move(c));
  }
  p.points = true;
  p.x0 = p.lo.front();
  p.x1 = p.hi.back();
  p.y_title = g == 1 ? "share of observations" : "share per group";
  p.x_title = data_name;
  if (g > 1) {
    p.note = "Values are grouped by " + num(g, 6) +
             " to keep the chart readable; the models' probabilities are " +
             (exact ? std::string("summed over each group.")
                    : std::string("approximated by the group's width times "
                                  "the probability at its centre."));
  }
  return p;
}

picture continuous_picture(const fit_result& r, const weighted& t,
                           const std::vector<const fitted_model*>& models,
                           const std::string& data_name) {
  picture p;
  const double first = t.v.front(), last = t.v.back();
  // The histogram estimate's bins when KL came from them (the picture then
  // shows what was compared), else equal bins by Rice's rule (2 n^(1/3),
  // 5 to 60 of them).
  std::vector<double> edges = r.kl_edges;
  if (edges.size() < 2) {
    const double range = last > first ? last - first : 1.0;
    const double start = last > first ? first : first - 0.5;
    const std::size_t bins = static_cast<std::size_t>(std::clamp(
        std::ceil(2.0 * std::cbrt(static_cast<double>(r.n))), 5.0, 60.0));
    edges.clear();
    for (std::size_t b = 0; b <= bins; ++b) {
      edges.push_back(b == bins ? start + range
                                : start + range * static_cast<double>(b) /
                                              static_cast<double>(bins));
    }
  }
  const std::size_t bins = edges.size() - 1;
  p.lo.assign(edges.begin(), edges.end() - 1);
  p.hi.assign(edges.begin() + 1, edges.end());
  p.bar.assign(bins, 0.0);
  double outside = 0;
  for (std::size_t j = 0; j < t.v.size(); ++j) {
    const double x = t.v[j];
    if (x < edges.front() || x > edges.back()) {
      outside += t.w[j];
      continue;
    }
    // [e_{b-1}, e_b), the last bin closed.
    std::size_t b = static_cast<std::size_t>(
        std::upper_bound(edges.begin(), edges.end(), x) - edges.begin());
    b = std::min(b, bins) - 1;
    p.bar[b] += t.w[j];
  }
  for (std::size_t b = 0; b < bins; ++b) {
    p.bar[b] /= t.n * (p.hi[b] - p.lo[b]);
  }
  const double lo = std::min(first, edges.front());
  const double hi = std::max(last, edges.back());
  const double a = lo - 0.05 * (hi - lo), z = hi + 0.05 * (hi - lo);
  p.x0 = a;
  p.x1 = z;
  constexpr int kPoints = 241;
  for (const fitted_model* m : models) {
    std::vector<std::pair<double, double>> c;
    for (int i = 0; i < kPoints; ++i) {
      const double x = a + (z - a) * i / (kPoints - 1);
      const double f = std::exp(log_density(*m, x));
      c.emplace_back(x, std::isfinite(f) ? f : 0.0);
    }
    p.curves.push_back(std::move(c));
  }
  p.y_title = "density";
  p.x_title = data_name;
  p.note = "The bars are a histogram of the data (" + std::to_string(bins) +
           " bins" +
           (r.kl_edges.size() >= 2 ? ", those of the histogram estimate of KL"
                                   : std::string()) +
           ", scaled so their area is 1); the curves are the models' "
           "densities.";
  if (outside > 0) {
    p.note += " " + num(outside, 6) +
              " observations outside the bins are "
              "not drawn.";
  }
  return p;
}

std::string chart(const picture& p, const std::vector<std::size_t>& which,
                  const std::vector<const fitted_model*>& models,
                  const frame& shape, std::string_view kind,
                  const std::string& label, const std::string& clip_id,
                  bool legend) {
  frame f = shape;
  f.x0 = p.x0;
  f.x1 = p.x1;
  double bar_top = 0, curve_top = 0;
  for (const double b : p.bar) bar_top = std::max(bar_top, b);
  for (const std::size_t i : which) {
    for (const auto& [x, y] : p.curves[i]) curve_top = std::max(curve_top, y);
  }
  // Curves that shoot up (a density with a pole) are cut at 2.5 times the
  // tallest bar.
  f.y0 = 0;
  f.y1 = 1.1 * std::max(bar_top, std::min(curve_top, 2.5 * bar_top));
  if (!(f.y1 > 0)) f.y1 = 1;
  svg g(f, kind, label);
  g.y_axis(ticks(f.y0, f.y1, 5), p.y_title);
  const std::string clip = g.clip(clip_id);
  const double zero = f.py(0);
  for (std::size_t b = 0; b < p.bar.size(); ++b) {
    const double x0 = f.px(p.lo[b]), x1 = f.px(p.hi[b]);
    const double pad = p.points ? std::min(2.0, 0.15 * (x1 - x0)) : 0.0;
    g.rect(x0 + pad, f.py(p.bar[b]), x1 - x0 - 2 * pad, zero - f.py(p.bar[b]),
           kData, 1.0,
           p.points ? clip : clip + " stroke=\"#ffffff\" stroke-width=\"0.5\"");
  }
  for (const std::size_t i : which) {
    std::vector<std::pair<double, double>> pts;
    for (const auto& [x, y] : p.curves[i]) {
      pts.emplace_back(f.px(x), f.py(y));
    }
    g.polyline(pts, model_colour(i), p.points ? 1.5 : 2.2, clip);
    if (p.points && pts.size() <= 80) {
      for (const auto& [x, y] : pts) {
        if (y >= f.top) g.circle(x, y, 3, model_colour(i));
      }
    }
  }
  g.x_axis(ticks(f.x0, f.x1, 6), p.x_title);
  if (legend) {
    std::vector<std::pair<std::string, std::string>> items;
    for (const std::size_t i : which) {
      items.emplace_back(model_colour(i), models[i]->name);
    }
    items.emplace_back(kData, "data");
    g.legend(items);
  }
  return g.str();
}

std::string parameters_text(const fitted_model& m) {
  std::string s;
  for (const auto& q : m.parameters) {
    s += (s.empty() ? "" : ", ") + escape(q.name) + " = " + num(q.value, 5);
  }
  return s;
}

}  // namespace

std::string fit_report_html(const fit_result& r, std::span<const double> values,
                            std::span<const double> counts,
                            const report_options& o) {
  const weighted t = table_of(values, counts, r.n);
  std::vector<const fitted_model*> models;
  for (const auto& m : r.models) {
    if (m.fitted) models.push_back(&m);
  }
  const std::string title =
      o.title.empty() ? "Models fitted to " + o.data_name : o.title;
  std::string page = page_head(title);
  page += "<h1>" + escape(title) + "</h1>\n";
  page += "<p class=\"lead\">Which model describes <b>" + escape(o.data_name) +
          "</b> (" + std::to_string(r.n) + " observations, " +
          (r.discrete ? "whole numbers" : "continuous") +
          ") best? Each family was fitted by maximum likelihood and the "
          "models are ranked by KL(data ‖ model): the information lost, in "
          "nats per observation, when the model stands in for the data. "
          "0 would be a perfect fit; smaller is better.</p>\n";
  if (models.empty()) {
    page +=
        "<p class=\"warn\">No family could be fitted to these data (see "
        "below).</p>\n";
  } else {
    page += "<p><b>Best: " + escape(models[0]->name) + "</b> (" +
            parameters_text(*models[0]) + "), KL " + num(models[0]->kl) +
            " nats.";
    if (models.size() > 1) {
      page += " Next: " + escape(models[1]->name) + ", KL " +
              num(models[1]->kl) + " nats.";
    }
    page += "</p>\n";
    const picture p = r.discrete
                          ? discrete_picture(t, models, o.data_name)
                          : continuous_picture(r, t, models, o.data_name);
    std::vector<std::size_t> all(models.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    frame big;
    big.width = 900;
    big.height = 360;
    big.top = 34;
    page += "<figure>\n" +
            chart(p, all, models, big, "fit",
                  o.data_name + " and every fitted model", "fit-all", true) +
            "<figcaption>The data (grey) and every fitted model drawn "
            "together. " +
            escape(p.note) + "</figcaption>\n</figure>\n";
    page +=
        "<h2>Each model against the data</h2>\n<div class=\"charts "
        "small\">\n";
    frame small;
    small.width = 340;
    small.height = 210;
    small.left = 52;
    small.top = 10;
    small.bottom = 40;
    for (std::size_t i = 0; i < models.size(); ++i) {
      page += "<figure>\n" +
              chart(p, {i}, models, small, "fit-model",
                    o.data_name + " and the fitted " + models[i]->name,
                    "fit-" + std::to_string(i), false) +
              "<figcaption><span class=\"swatch\" style=\"background:" +
              model_colour(i) + "\"></span>" + std::to_string(i + 1) + ". " +
              escape(models[i]->name) + ": KL " + num(models[i]->kl) +
              " nats</figcaption>\n</figure>\n";
    }
    page += "</div>\n";
  }
  page +=
      "<h2>Ranking</h2>\n<table>\n<tr><th>rank</th><th>model</th>"
      "<th>parameters</th><th>KL (nats)</th><th>log-likelihood</th>"
      "<th>AIC</th><th>BIC</th></tr>\n";
  for (std::size_t i = 0; i < models.size(); ++i) {
    const fitted_model& m = *models[i];
    page += "<tr><td class=\"n\">" + std::to_string(i + 1) +
            "</td><td><span class=\"swatch\" style=\"background:" +
            model_colour(i) + "\"></span>" + escape(m.name) + "</td><td>" +
            parameters_text(m) + "</td><td class=\"n\">" + num(m.kl) +
            "</td><td class=\"n\">" + num(m.log_likelihood, 6) +
            "</td><td class=\"n\">" + num(m.aic, 6) + "</td><td class=\"n\">" +
            num(m.bic, 6) + "</td></tr>\n";
  }
  page += "</table>\n";
  page += "<p class=\"note\">How KL was obtained: " + escape(r.kl_estimator) +
          ". The log-likelihood is the sum of the log-probabilities of the "
          "observations under the model; AIC = 2k − 2 log-likelihood and BIC "
          "= k log n − 2 log-likelihood (k parameters, n observations) "
          "weigh fit against the number of parameters: lower is better, and "
          "a difference of 10 or more is strong evidence.</p>\n";
  bool any_unfitted = false;
  for (const auto& m : r.models) any_unfitted |= !m.fitted;
  if (any_unfitted) {
    page += "<h3>Not fitted</h3>\n<ul>\n";
    for (const auto& m : r.models) {
      if (!m.fitted) {
        page += "<li><b>" + escape(m.name) + "</b>: " + escape(m.reason) +
                "</li>\n";
      }
    }
    page += "</ul>\n";
  }
  if (!r.warnings.empty()) {
    page += "<ul class=\"warn\">\n";
    for (const auto& w : r.warnings) page += "<li>" + escape(w) + "</li>\n";
    page += "</ul>\n";
  }
  page += page_tail();
  return page;
}

}  // namespace kldiv
