#include "report_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "kldiv/version.hpp"

namespace kldiv::detail::html {

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string num(double x, int digits) {
  if (std::isnan(x)) return "—";
  if (std::isinf(x)) return x > 0 ? "∞" : "−∞";
  if (x == 0.0) return "0";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, x);
  std::string s = buf;
  // A minus sign, not a hyphen.
  if (s[0] == '-') s.replace(0, 1, "−");
  return s;
}

std::string p_value(double p) {
  if (p < 1e-4) return "&lt; 0.0001";
  return num(p, 2);
}

std::string shorten(const std::string& s, std::size_t n) {
  if (s.size() <= n || n < 2) return s;
  std::size_t cut = n - 1;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "…";
}

std::string tick_label(double v, double step) {
  if (v == 0.0) return "0";
  const double a = std::fabs(v);
  if (a < 1e-4 || a >= 1e9 || !(step > 0)) return num(v, 3);
  const int decimals =
      std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 10);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s[0] == '-') s.replace(0, 1, "−");
  return s;
}

std::vector<double> ticks(double lo, double hi, int target) {
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return {lo};
  const double raw = (hi - lo) / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  std::vector<double> out;
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step;
       k += 1.0) {
    const double v = k * step;
    out.push_back(std::fabs(v) < 1e-12 * step ? 0.0 : v);
  }
  return out;
}

std::string page_head(const std::string& title) {
  return R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>)" +
         escape(title) +
         R"(</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: #2d3748; background: #ffffff; margin: 0 auto; max-width: 1100px; padding: 24px; line-height: 1.45; }
h1 { font-size: 26px; margin: 0 0 8px; }
h2 { font-size: 20px; margin: 32px 0 8px; border-top: 1px solid #e2e8f0; padding-top: 20px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
p { margin: 6px 0; max-width: 820px; }
.lead { color: #4a5568; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 14px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e2e8f0; text-align: left; vertical-align: top; }
th { background: #f7fafc; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 10px; font-size: 13px; font-weight: 600; }
.badge.drift { background: #fed7d7; color: #9b2c2c; }
.badge.possible { background: #feebc8; color: #9c4221; }
.badge.none { background: #c6f6d5; color: #22543d; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 0; }
figcaption { font-size: 13px; color: #4a5568; max-width: 510px; margin-top: 2px; }
.small figcaption { max-width: 340px; }
.warn { color: #9c4221; }
.note { font-size: 13px; color: #4a5568; }
dt { font-weight: 600; margin-top: 8px; }
dd { margin: 2px 0 0 20px; max-width: 820px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
svg.chart { background: #ffffff; }
</style>
</head>
<body>
)";
}

std::string page_tail() {
  return "<p class=\"note\">Made by kldiv " + std::string(version()) +
         ". This page is self-contained: it needs no network and no "
         "scripts.</p>\n</body>\n</html>\n";
}

std::string px(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

double frame::px(double x) const {
  return left + (x1 > x0 ? (x - x0) / (x1 - x0) : 0.5) * inner_width();
}

double frame::py(double y) const {
  return top + (y1 > y0 ? (y1 - y) / (y1 - y0) : 0.5) * inner_height();
}

svg::svg(const frame& f, std::string_view kind, std::string_view label)
    : f_(f) {
  out_ = "<svg class=\"chart\" data-chart=\"" + escape(kind) +
         "\" role=\"img\" aria-label=\"" + escape(label) + "\" width=\"" +
         html::px(f.width) + "\" height=\"" + html::px(f.height) +
         "\" viewBox=\"0 0 " + html::px(f.width) + " " + html::px(f.height) +
         "\" font-family=\"system-ui, sans-serif\">\n<title>" + escape(label) +
         "</title>\n";
}

void svg::rect(double x, double y, double w, double h, std::string_view fill,
               double opacity, std::string_view extra) {
  if (w < 0) {
    x += w;
    w = -w;
  }
  if (h < 0) {
    y += h;
    h = -h;
  }
  out_ += "<rect x=\"" + html::px(x) + "\" y=\"" + html::px(y) + "\" width=\"" +
          html::px(w) + "\" height=\"" + html::px(h) + "\" fill=\"" +
          std::string(fill) + "\"";
  if (opacity < 1.0) out_ += " fill-opacity=\"" + num(opacity, 3) + "\"";
  if (!extra.empty()) (out_ += ' ') += extra;
  out_ += "/>\n";
}

void svg::line(double x1, double y1, double x2, double y2,
               std::string_view stroke, double width, std::string_view extra) {
  out_ += "<line x1=\"" + html::px(x1) + "\" y1=\"" + html::px(y1) +
          "\" x2=\"" + html::px(x2) + "\" y2=\"" + html::px(y2) +
          "\" stroke=\"" + std::string(stroke) + "\" stroke-width=\"" +
          num(width, 3) + "\"";
  if (!extra.empty()) (out_ += ' ') += extra;
  out_ += "/>\n";
}

void svg::text(double x, double y, std::string_view s, std::string_view anchor,
               double size, std::string_view extra) {
  out_ += "<text x=\"" + html::px(x) + "\" y=\"" + html::px(y) +
          "\" text-anchor=\"" + std::string(anchor) + "\" font-size=\"" +
          num(size, 3) + "\"";
  if (extra.find("fill=") == std::string_view::npos) {
    (out_ += " fill=\"") += kInk;
    out_ += '"';
  }
  if (!extra.empty()) (out_ += ' ') += extra;
  (out_ += '>') += escape(s);
  out_ += "</text>\n";
}

void svg::polyline(const std::vector<std::pair<double, double>>& points,
                   std::string_view stroke, double width,
                   std::string_view extra) {
  if (points.size() < 2) return;
  out_ += "<polyline fill=\"none\" stroke=\"" + std::string(stroke) +
          "\" stroke-width=\"" + num(width, 3) +
          "\" stroke-linejoin=\"round\" points=\"";
  for (const auto& [x, y] : points) {
    out_ += html::px(x) + "," + html::px(y) + " ";
  }
  out_ += "\"";
  if (!extra.empty()) (out_ += ' ') += extra;
  out_ += "/>\n";
}

void svg::circle(double x, double y, double r, std::string_view fill) {
  out_ += "<circle cx=\"" + html::px(x) + "\" cy=\"" + html::px(y) + "\" r=\"" +
          num(r, 3) + "\" fill=\"" + std::string(fill) + "\"/>\n";
}

void svg::y_axis(const std::vector<double>& t, std::string_view title) {
  const double step = t.size() > 1 ? t[1] - t[0] : 0.0;
  for (const double v : t) {
    const double y = f_.py(v);
    line(f_.left, y, f_.width - f_.right, y, kGrid);
    text(f_.left - 6, y + 4, tick_label(v, step), "end", 11);
  }
  const double cy = f_.top + f_.inner_height() / 2;
  text(12, cy, title, "middle", 12,
       "transform=\"rotate(-90 12 " + html::px(cy) + ")\"");
}

void svg::x_axis(const std::vector<double>& t, std::string_view title) {
  const double base = f_.height - f_.bottom;
  line(f_.left, base, f_.width - f_.right, base, kInk);
  for (const double v : t) {
    const double x = f_.px(v);
    if (x < f_.left - 0.5 || x > f_.width - f_.right + 0.5) continue;
    line(x, base, x, base + 4, kInk);
    text(x, base + 16, tick_label(v, t.size() > 1 ? t[1] - t[0] : 0.0),
         "middle", 11);
  }
  text(f_.left + f_.inner_width() / 2, f_.height - 8, title, "middle", 12);
}

std::string svg::clip(std::string_view id) {
  out_ += "<defs><clipPath id=\"" + escape(id) + "\"><rect x=\"" +
          html::px(f_.left) + "\" y=\"" + html::px(f_.top) + "\" width=\"" +
          html::px(f_.inner_width()) + "\" height=\"" +
          html::px(f_.inner_height()) + "\"/></clipPath></defs>\n";
  return "clip-path=\"url(#" + escape(id) + ")\"";
}

void svg::legend(
    const std::vector<std::pair<std::string, std::string>>& items) {
  // Right-aligned, measured roughly (8 px a character at 12 px); labels
  // shortened when the row would not fit the chart's width.
  auto width = [](const std::string& label) {
    return 24 + 8.0 * static_cast<double>(label.size());
  };
  const double room = f_.width - f_.right - f_.left;
  std::vector<std::string> labels;
  double w = 0;
  for (const auto& item : items) {
    labels.push_back(item.second);
    w += width(item.second);
  }
  if (w > room && !items.empty()) {
    const double each = room / static_cast<double>(items.size());
    const auto chars =
        static_cast<std::size_t>(std::max(6.0, (each - 24.0) / 8.0));
    w = 0;
    for (auto& label : labels) {
      label = shorten(label, chars);
      w += width(label);
    }
  }
  double x = std::max(f_.left, f_.width - f_.right - w);
  const double y = std::max(2.0, f_.top - 22);
  for (std::size_t i = 0; i < items.size(); ++i) {
    rect(x, y, 12, 12, items[i].first);
    text(x + 16, y + 10, labels[i], "start", 12);
    x += width(labels[i]);
  }
}

}  // namespace kldiv::detail::html
