#include "input.hpp"

#include <charconv>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <utility>

#include "kldiv/error.hpp"
#include "kldiv/estimators.hpp"

namespace kldiv::cli {

io::table load_input(const std::string& arg) {
  if (arg == "-") {
    const std::string bytes{std::istreambuf_iterator<char>(std::cin),
                            std::istreambuf_iterator<char>()};
    return io::parse(bytes, "<stdin>");
  }
  std::error_code ec;
  if (!std::filesystem::exists(arg, ec)) {
    if (auto inline_list = io::parse_inline_list(arg)) return *inline_list;
  }
  return io::read_table(arg);  // throws "cannot open ..." for a missing file
}

std::vector<double> pick_vector(const io::table& t, const std::string& what,
                                const std::optional<std::string>& column) {
  if (column) return t.column(t.column_index(*column));
  if (t.cols == 1) return t.column(0);
  if (t.rows == 1) return t.values;
  std::string names;
  for (const auto& n : t.names) names += (names.empty() ? "" : ", ") + n;
  throw InvalidArgument(
      what + " (" + t.source + ") has " + std::to_string(t.rows) +
      " rows and " + std::to_string(t.cols) +
      " columns: choose a column with --column" +
      (names.empty() ? std::string(" (0 to ") + std::to_string(t.cols - 1) + ")"
                     : " (" + names + ")") +
      ", or pass --rows to take each row as a distribution");
}

std::string describe_source(const io::table& t,
                            const std::optional<std::string>& column) {
  std::string s = t.source;
  if (column) {
    const std::size_t c = t.column_index(*column);
    s += ", column " + (t.names.empty() ? std::to_string(c) : t.names[c]);
  }
  return s;
}

log_base parse_base(const std::string& s) {
  if (s == "e" || s == "nats") return log_base::nats();
  if (s == "bits") return log_base::bits();
  if (s == "hartleys") return log_base::hartleys();
  double b = 0.0;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), b);
  if (res.ec != std::errc{} || res.ptr != s.data() + s.size()) {
    throw InvalidArgument("--base '" + s +
                          "': expected e, 2, 10, bits, nats, hartleys or a "
                          "number > 1");
  }
  return log_base(b);
}

histogram_options parse_bins(const std::string& s) {
  histogram_options o;
  const auto whole = [&](std::string_view v, std::size_t& out) {
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    return ec == std::errc() && end == v.data() + v.size() && out > 0;
  };
  static const std::vector<std::pair<std::string, bin_rule>> rules = {
      {"auto", bin_rule::automatic}, {"fd", bin_rule::freedman_diaconis},
      {"scott", bin_rule::scott},    {"sturges", bin_rule::sturges},
      {"doane", bin_rule::doane},    {"rice", bin_rule::rice},
      {"sqrt", bin_rule::sqrt}};
  for (const auto& [name, rule] : rules) {
    if (s == name) {
      o.rule = rule;
      return o;
    }
  }
  if (s == "quantiles" || s.starts_with("quantiles:")) {
    o.rule = bin_rule::quantiles;
    if (s.size() > 10 && !whole(std::string_view(s).substr(10), o.bins)) {
      throw InvalidArgument("--bins '" + s +
                            "': quantiles:N needs a whole number N >= 1");
    }
    return o;
  }
  if (whole(s, o.bins)) {
    o.rule = bin_rule::count;
    return o;
  }
  if (s.find(',') != std::string::npos) {
    const auto t = io::parse_inline_list(s);
    if (!t) {
      throw InvalidArgument("--bins '" + s +
                            "': edges must be numbers separated by commas");
    }
    o.rule = bin_rule::edges;
    o.edges = t->values;
    return o;
  }
  throw InvalidArgument(
      "--bins '" + s +
      "': choose auto, fd, scott, sturges, doane, rice, sqrt, a bin count, "
      "quantiles[:N] or comma-separated edges");
}

}  // namespace kldiv::cli
