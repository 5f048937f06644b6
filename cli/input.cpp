#include "input.hpp"

#include <charconv>
#include <filesystem>
#include <iostream>
#include <iterator>

#include "kldiv/error.hpp"

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

}  // namespace kldiv::cli
