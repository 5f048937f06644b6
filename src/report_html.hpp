// The pieces the HTML reports are built from: escaping, numbers for people,
// axis ticks, the page's head and style, and a small SVG writer with linear
// axes. Private to the library (src/report_compare.cpp, src/report_fit.cpp).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kldiv::detail::html {

// The report's colours (kldiv/report.hpp lists them for readers of charts).
inline constexpr const char* kReference = "#2b6cb0";
inline constexpr const char* kCurrent = "#dd6b20";
inline constexpr const char* kMore = "#c53030";  // KL part > 0
inline constexpr const char* kLess = "#2f855a";  // KL part < 0
inline constexpr const char* kData = "#a0aec0";
inline constexpr const char* kInk = "#2d3748";
inline constexpr const char* kGrid = "#e2e8f0";

/// &, <, >, " and ' as entities.
std::string escape(std::string_view s);

/// A number for people: `digits` significant digits, no trailing zeros,
/// "∞" / "−∞" for infinities, "—" for NaN; p-values below 1e-4 as "< 0.0001"
/// when `p_value`.
std::string num(double x, int digits = 4);
std::string p_value(double p);

/// A tick's label: as many decimals as the step between ticks needs, no
/// exponent between 1e-4 and 1e9 ("20000", "0.25").
std::string tick_label(double v, double step);

/// At most about n bytes of s, cut at a character boundary, with "…" when
/// cut.
std::string shorten(const std::string& s, std::size_t n);

/// About `target` round tick values (1, 2 or 5 times a power of ten) in
/// [lo, hi].
std::vector<double> ticks(double lo, double hi, int target = 5);

/// <!DOCTYPE html> ... <body>, with the title and the page's style sheet;
/// and the closing tags, with a line saying what made the page.
std::string page_head(const std::string& title);
std::string page_tail();

/// A chart's plotting area: the data rectangle [x0, x1] x [y0, y1] drawn in a
/// width x height box with the given margins (pixels).
struct frame {
  double width = 640, height = 260;
  double left = 68, right = 14, top = 14, bottom = 46;
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  double px(double x) const;
  double py(double y) const;
  double inner_width() const { return width - left - right; }
  double inner_height() const { return height - top - bottom; }
};

/// An <svg class="chart"> being written.
class svg {
 public:
  svg(const frame& f, std::string_view kind, std::string_view label);
  const frame& area() const { return f_; }
  /// A rectangle in pixels (width or height < 0 flipped).
  void rect(double x, double y, double w, double h, std::string_view fill,
            double opacity = 1.0, std::string_view extra = "");
  void line(double x1, double y1, double x2, double y2, std::string_view stroke,
            double width = 1.0, std::string_view extra = "");
  void text(double x, double y, std::string_view s,
            std::string_view anchor = "middle", double size = 11,
            std::string_view extra = "");
  /// A polyline through pixel points; empty or single points are skipped.
  void polyline(const std::vector<std::pair<double, double>>& points,
                std::string_view stroke, double width = 2.0,
                std::string_view extra = "");
  void circle(double x, double y, double r, std::string_view fill);
  /// Grid lines and tick labels of the y axis, the axis' title (rotated).
  void y_axis(const std::vector<double>& ticks, std::string_view title);
  /// Tick marks and labels of the x axis at data values, and its title.
  void x_axis(const std::vector<double>& ticks, std::string_view title);
  /// A clip path for the plotting area, with an id unique in the page;
  /// returns the attribute that applies it (clip-path="url(#id)").
  std::string clip(std::string_view id);
  /// Legend entries (colour, text) in a row at the top right.
  void legend(const std::vector<std::pair<std::string, std::string>>& items);
  void raw(std::string_view s) { out_ += s; }
  /// The finished element.
  std::string str() const { return out_ + "</svg>\n"; }

 private:
  frame f_;
  std::string out_;
};

/// An <svg> element's number attribute ("12.3").
std::string px(double v);

}  // namespace kldiv::detail::html
