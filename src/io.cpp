// Readers for numeric tables: delimited text, NumPy .npy and JSON arrays.
//
// Every reader reports failures as IoError with the source name first, so the
// command line and the Python module can show the message as it is.

#include "kldiv/io.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

#include "kldiv/error.hpp"

namespace kldiv::io {
namespace {

constexpr std::string_view kNpyMagic("\x93NUMPY", 6);
constexpr std::string_view kUtf8Bom("\xEF\xBB\xBF", 3);

// ---- messages -----------------------------------------------------------

template <class T>
void append_part(std::string& out, const T& part) {
  if constexpr (std::is_integral_v<T>) {
    out += std::to_string(part);
  } else {
    out += std::string_view(part);
  }
}

template <class... Parts>
std::string cat(const Parts&... parts) {
  std::string out;
  (append_part(out, parts), ...);
  return out;
}

template <class... Parts>
[[noreturn]] void fail(std::string_view source, const Parts&... parts) {
  throw IoError(cat(source, ": ", parts...));
}

// Quotes text taken from the input for an error message. Control bytes are
// escaped and long text is cut, so that a binary or huge field cannot garble
// the one-line message.
std::string in_quotes(std::string_view s) {
  constexpr std::size_t kMaxShown = 40;
  std::size_t shown = s.size();
  if (shown > kMaxShown) {
    shown = kMaxShown;
    // Do not cut a UTF-8 sequence in half.
    while (shown > 0 && (static_cast<unsigned char>(s[shown]) & 0xC0) == 0x80) {
      --shown;
    }
  }
  std::string out = "'";
  for (std::size_t i = 0; i < shown; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) {
      constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += s[i];
    }
  }
  if (shown < s.size()) out += "...";
  out += '\'';
  return out;
}

// ---- numbers ------------------------------------------------------------

// Decides, for a decimal number that std::from_chars found out of range,
// whether it overflows (true) or underflows (false): the sign of the decimal
// exponent of its leading nonzero digit.
bool overflows(std::string_view s) {
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  const std::size_t e = std::min(s.find_first_of("eE"), s.size());
  const std::string_view mantissa = s.substr(0, e);
  const std::size_t point = std::min(mantissa.find('.'), mantissa.size());
  const std::string_view whole = mantissa.substr(0, point);
  const std::string_view fraction = mantissa.substr(std::min(point + 1, e));
  long long leading = 0;  // decimal exponent of the leading nonzero digit
  if (const auto k = whole.find_first_not_of('0'); k != whole.npos) {
    leading = static_cast<long long>(whole.size() - 1 - k);
  } else if (const auto m = fraction.find_first_not_of('0');
             m != fraction.npos) {
    leading = -static_cast<long long>(m + 1);
  } else {
    return false;
  }
  long long exponent = 0;
  std::size_t i = e + 1;
  if (i < s.size()) {
    const bool negative = s[i] == '-';
    if (s[i] == '-' || s[i] == '+') ++i;
    constexpr long long kCap = 1'000'000'000;  // far beyond any double
    for (; i < s.size() && exponent < kCap; ++i) {
      exponent = exponent * 10 + (s[i] - '0');
    }
    if (negative) exponent = -exponent;
  }
  return leading + exponent > 0;
}

// Parses a whole field as a double: std::from_chars syntax (which includes
// inf, infinity and nan in any case) plus an optional leading '+'. Values out
// of range become +-inf or +-0, as strtod would give; judging them is not the
// reader's job.
bool parse_number_text(std::string_view s, double& out) {
  if (!s.empty() && s.front() == '+') {
    s.remove_prefix(1);
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) return false;
  }
  if (s.empty()) return false;
  const char* last = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), last, out);
  if (ptr != last) return false;
  if (ec == std::errc()) return true;
  if (ec != std::errc::result_out_of_range) return false;
  const double sign = s.front() == '-' ? -1.0 : 1.0;
  out = overflows(s) ? sign * std::numeric_limits<double>::infinity()
                     : sign * 0.0;
  return true;
}

// ---- shared checks ------------------------------------------------------

void reject_utf16(std::string_view bytes, std::string_view source) {
  if (bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') ||
                            (bytes[0] == '\xFE' && bytes[1] == '\xFF'))) {
    fail(source, "UTF-16 text is not supported: save the file as UTF-8");
  }
}

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// ---- text ---------------------------------------------------------------

// One field of a text line. `text` is the content between the quotes of a
// quoted field, with any "" escapes still doubled.
struct field {
  std::string_view text;
  bool quoted = false;
  bool escapes = false;
};

std::string unescape(const field& f) {
  std::string out(f.text);
  if (f.escapes) {
    std::size_t w = 0;
    for (std::size_t r = 0; r < out.size(); ++r, ++w) {
      out[w] = out[r];
      if (out[r] == '"') ++r;  // the second quote of a "" pair
    }
    out.resize(w);
  }
  return out;
}

// Splits lines into fields. A delimiter of 0 means runs of blanks.
class line_splitter {
 public:
  line_splitter(std::string_view source, char delimiter)
      : source_(source), delimiter_(delimiter) {}

  void split(std::string_view line, std::size_t line_no,
             std::vector<field>& out) const {
    out.clear();
    std::size_t i = 0;
    const std::size_t n = line.size();
    if (delimiter_ == 0) {
      for (;;) {
        while (i < n && is_blank(line[i])) ++i;
        if (i == n) return;
        field f;
        if (line[i] == '"') {
          i = scan_quoted(line, i, line_no, out.size() + 1, f);
          if (i < n && !is_blank(line[i])) {
            text_after_quote(line_no, out.size() + 1);
          }
        } else {
          const std::size_t start = i;
          while (i < n && !is_blank(line[i])) ++i;
          f.text = line.substr(start, i - start);
        }
        out.push_back(f);
      }
    }
    for (;;) {
      while (i < n && blank(line[i])) ++i;
      field f;
      if (i < n && line[i] == '"') {
        i = scan_quoted(line, i, line_no, out.size() + 1, f);
        while (i < n && blank(line[i])) ++i;
        if (i < n && line[i] != delimiter_) {
          text_after_quote(line_no, out.size() + 1);
        }
      } else {
        const std::size_t start = i;
        while (i < n && line[i] != delimiter_) ++i;
        std::size_t end = i;
        while (end > start && blank(line[end - 1])) --end;
        f.text = line.substr(start, end - start);
      }
      out.push_back(f);
      if (i >= n) return;
      ++i;  // past the delimiter; a trailing one leaves an empty last field
    }
  }

 private:
  // Blanks around fields, except the delimiter itself when it is a tab.
  bool blank(char c) const { return c != delimiter_ && is_blank(c); }

  // Reads the quoted field that starts at line[open]; returns the index just
  // past its closing quote. Quoted fields cannot span lines.
  std::size_t scan_quoted(std::string_view line, std::size_t open,
                          std::size_t line_no, std::size_t column,
                          field& f) const {
    f.quoted = true;
    std::size_t i = open + 1;
    for (;;) {
      const std::size_t q = line.find('"', i);
      if (q == std::string_view::npos) {
        fail(source_, "line ", line_no, ", column ", column,
             ": the quoted field has no closing quote (quoted fields cannot "
             "span lines)");
      }
      if (q + 1 < line.size() && line[q + 1] == '"') {
        f.escapes = true;
        i = q + 2;
        continue;
      }
      f.text = line.substr(open + 1, q - open - 1);
      return q + 1;
    }
  }

  [[noreturn]] void text_after_quote(std::size_t line_no,
                                     std::size_t column) const {
    fail(source_, "line ", line_no, ", column ", column,
         ": unexpected text after the closing quote");
  }

  std::string_view source_;
  char delimiter_;
};

// The first of ',', '\t', ';' on the line outside quoted fields, else 0 (runs
// of blanks). A quote opens a quoted field only at the start of a field, as
// in line_splitter, so that a stray quote (5" screen) cannot hide the rest.
char sniff_delimiter(std::string_view line) {
  bool field_start = true;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == ',' || c == '\t' || c == ';') return c;
    if (c == '"' && field_start) {
      // Skip to the closing quote; "" pairs are skipped as two quotes.
      for (++i; i < line.size(); ++i) {
        if (line[i] != '"') continue;
        if (i + 1 < line.size() && line[i + 1] == '"') {
          ++i;
        } else {
          break;
        }
      }
      field_start = false;
      continue;
    }
    field_start = is_blank(c);
  }
  return 0;
}

std::string fields_phrase(std::size_t n) {
  return cat(n, n == 1 ? " field" : " fields");
}

// The hint for text that holds NUL bytes, which no text table has.
[[noreturn]] void fail_binary(std::string_view text, std::size_t nul,
                              std::string_view source) {
  if (text.starts_with(kNpyMagic)) {
    fail(source,
         "this is a NumPy .npy file, not text (name it *.npy to read it)");
  }
  if (text.starts_with("PK\x03\x04")) {
    fail(source,
         "this is a zip archive (an .npz file?), not text: extract the "
         "arrays from it first");
  }
  std::size_t line_no = 1;
  for (std::size_t i = 0; i < nul; ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && text[i + 1] != '\n')) {
      ++line_no;
    }
  }
  fail(source, "line ", line_no,
       " contains a NUL byte: this is binary data, not text (or UTF-16 "
       "without a byte order mark)");
}

}  // namespace

bool parse_number(std::string_view text, double& out) {
  return parse_number_text(text, out);
}

namespace {

// Calls f(line_no, fields) for every line of delimited text that is not
// blank or a comment, the delimiter sniffed on the first such line; returns
// whether there were comments.
template <class F>
bool for_each_record(std::string_view text, std::string_view source, F&& f) {
  reject_utf16(text, source);
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    fail_binary(text, nul, source);
  }
  std::optional<line_splitter> splitter;
  std::vector<field> fields;
  bool comments = false;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    // Lines end at "\n", "\r\n" or a lone "\r".
    const std::size_t end = text.find_first_of("\r\n", pos);
    std::string_view line;
    if (end == std::string_view::npos) {
      line = text.substr(pos);
      pos = text.size();
    } else {
      line = text.substr(pos, end - pos);
      const bool crlf =
          text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n';
      pos = end + (crlf ? 2 : 1);
    }
    ++line_no;

    const std::string_view content = trim(line);
    if (content.empty()) continue;
    if (content.front() == '#') {
      comments = true;
      continue;
    }
    if (!splitter) splitter.emplace(source, sniff_delimiter(line));
    splitter->split(line, line_no, fields);
    f(line_no, fields);
  }
  return comments;
}

}  // namespace

table parse_text(std::string_view text, std::string_view source) {
  table t;
  t.source = std::string(source);
  std::size_t expected = 0;  // fields per line, from the header or first line
  bool first = true;
  bool header = false;
  const bool comments = for_each_record(
      text, source, [&](std::size_t line_no, const std::vector<field>& fields) {
        if (first) {
          first = false;
          expected = fields.size();
          double ignored = 0;
          for (const field& f : fields) {
            if (!f.text.empty() && !parse_number_text(trim(f.text), ignored)) {
              header = true;
            }
          }
          if (header) {
            t.names.reserve(fields.size());
            for (const field& f : fields) t.names.push_back(unescape(f));
            return;
          }
        }
        if (fields.size() != expected) {
          fail(source, "line ", line_no, " has ", fields_phrase(fields.size()),
               ", but the ", header ? "header" : "first data line", " has ",
               expected);
        }
        for (std::size_t c = 0; c < fields.size(); ++c) {
          const field& f = fields[c];
          if (f.text.empty()) {
            fail(source, "line ", line_no, ", column ", c + 1, ": empty field");
          }
          double value = 0;
          if (f.escapes || !parse_number_text(trim(f.text), value)) {
            fail(source, "line ", line_no, ", column ", c + 1, ": ",
                 in_quotes(f.escapes ? unescape(f) : std::string(f.text)),
                 " is not a number");
          }
          t.values.push_back(value);
        }
        ++t.rows;
      });

  if (t.rows == 0) {
    if (header) fail(source, "no numbers in the file (it has only a header)");
    if (comments) {
      fail(source,
           "no numbers in the file (it has only comments and blank lines)");
    }
    fail(source, "no numbers in the file (it is empty)");
  }
  t.cols = expected;
  return t;
}

text_table parse_text_cells(std::string_view text, std::string_view source) {
  text_table t;
  t.source = std::string(source);
  for_each_record(
      text, source, [&](std::size_t line_no, const std::vector<field>& fields) {
        if (t.names.empty()) {
          for (const field& f : fields) t.names.push_back(unescape(f));
          t.cols = t.names.size();
          return;
        }
        if (fields.size() != t.cols) {
          fail(source, "line ", line_no, " has ", fields_phrase(fields.size()),
               ", but the header has ", t.cols);
        }
        for (const field& f : fields) {
          t.cells.push_back(f.escapes ? unescape(f)
                                      : std::string(trim(f.text)));
        }
        t.lines.push_back(line_no);
        ++t.rows;
      });
  if (t.names.empty()) fail(source, "no header line (the file is empty)");
  if (t.rows == 0) fail(source, "no rows below the header");
  return t;
}

// ---- npy ------------------------------------------------------------------

namespace {

// A value of the Python literal subset that .npy headers are written in.
struct py_value {
  enum class kind { string, boolean, none, integer, sequence, dict };
  kind type = kind::none;
  std::string text;  // string
  bool truth = false;
  bool negative = false;  // integer
  bool huge = false;      // integer beyond kMaxInteger
  std::uint64_t number = 0;
  std::vector<py_value> items;    // sequence, or the values of a dict
  std::vector<std::string> keys;  // dict, parallel to items

  static constexpr std::uint64_t kMaxInteger = std::uint64_t{1} << 62;

  const py_value* find(std::string_view key) const {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == key) return &items[i];
    }
    return nullptr;
  }
};

class py_literal_parser {
 public:
  py_literal_parser(std::string_view text, std::string_view source)
      : text_(text), source_(source) {}

  py_value parse_header() {
    py_value v = parse_value(0);
    // Padding: spaces and a newline; be lenient about NULs as well.
    while (pos_ < text_.size() && (is_space(text_[pos_]) || text_[pos_] == 0)) {
      ++pos_;
    }
    if (pos_ != text_.size()) error("unexpected text after the dictionary");
    return v;
  }

 private:
  // Deeper nesting than this is no .npy header, and recursion must stay
  // bounded whatever the input.
  static constexpr int kMaxDepth = 16;

  static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  bool take(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  [[noreturn]] void error(std::string_view what) const {
    fail(source_, "malformed header: ", what, " at byte ", pos_,
         " of the header dictionary");
  }

  py_value parse_value(int depth) {
    if (depth > kMaxDepth) error("nesting too deep");
    skip_space();
    if (pos_ == text_.size()) error("unexpected end");
    const char c = text_[pos_];
    py_value v;
    if (c == '\'' || c == '"') {
      v.type = py_value::kind::string;
      v.text = parse_string();
    } else if (c == '(' || c == '[') {
      v.type = py_value::kind::sequence;
      ++pos_;
      const char close = c == '(' ? ')' : ']';
      while (!take(close)) {
        v.items.push_back(parse_value(depth + 1));
        if (!take(',')) {
          if (!take(close))
            error(cat("expected ',' or '", std::string(1, close), "'"));
          break;
        }
      }
    } else if (c == '{') {
      v.type = py_value::kind::dict;
      ++pos_;
      while (!take('}')) {
        skip_space();
        if (pos_ == text_.size() ||
            (text_[pos_] != '\'' && text_[pos_] != '"')) {
          error("expected a quoted key");
        }
        v.keys.push_back(parse_string());
        if (!take(':')) error("expected ':'");
        v.items.push_back(parse_value(depth + 1));
        if (!take(',')) {
          if (!take('}')) error("expected ',' or '}'");
          break;
        }
      }
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      v.type = py_value::kind::integer;
      if (c == '-') {
        v.negative = true;
        ++pos_;
      }
      const std::size_t start = pos_;
      for (; pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9';
           ++pos_) {
        if (v.number > py_value::kMaxInteger / 10) {
          v.huge = true;
        } else {
          v.number = v.number * 10 + static_cast<unsigned>(text_[pos_] - '0');
        }
      }
      if (pos_ == start) error("expected digits");
      // Python 2 wrote long integers with an L suffix.
      if (pos_ < text_.size() && (text_[pos_] == 'L' || text_[pos_] == 'l')) {
        ++pos_;
      }
    } else if (take_word("True")) {
      v.type = py_value::kind::boolean;
      v.truth = true;
    } else if (take_word("False")) {
      v.type = py_value::kind::boolean;
    } else if (take_word("None")) {
      v.type = py_value::kind::none;
    } else {
      error("unexpected character");
    }
    return v;
  }

  bool take_word(std::string_view word) {
    if (text_.substr(pos_).starts_with(word)) {
      pos_ += word.size();
      return true;
    }
    return false;
  }

  std::string parse_string() {
    const char close = text_[pos_++];
    std::string out;
    for (;;) {
      if (pos_ >= text_.size()) error("unterminated string");
      char c = text_[pos_++];
      if (c == close) return out;
      if (c == '\\') {
        if (pos_ >= text_.size()) error("unterminated string");
        c = text_[pos_++];
      }
      out += c;
    }
  }

  std::string_view text_;
  std::string_view source_;
  std::size_t pos_ = 0;
};

std::string shape_string(const std::vector<std::uint64_t>& shape) {
  std::string out = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(shape[i]);
  }
  if (shape.size() == 1) out += ',';
  out += ')';
  return out;
}

std::uint64_t read_le(std::string_view bytes, std::size_t at, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    v |= std::uint64_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
  }
  return v;
}

template <class U>
U byte_swapped(U u) {
  U out = 0;
  for (std::size_t i = 0; i < sizeof(U); ++i) {
    out = static_cast<U>((out << 8) | (u & 0xFF));
    u = static_cast<U>(u >> 8);
  }
  return out;
}

// Element i of the data as a double; U is the same-sized unsigned integer.
template <class Float, class U>
double load(const char* data, std::size_t i, bool swap) {
  U u;
  std::memcpy(&u, data + i * sizeof(U), sizeof(U));
  if (swap) u = byte_swapped(u);
  return static_cast<double>(std::bit_cast<Float>(u));
}

// What an .npy header says: where the data starts and how to read it.
struct npy_header {
  std::size_t data_offset = 0;
  std::size_t item_size = 0;  // 2, 4 or 8
  bool swap = false;          // the data's byte order is not the machine's
  bool fortran = false;
  std::vector<std::uint64_t> shape;
  std::uint64_t rows = 0, cols = 0;
  std::string_view type_name;  // "float16", "float32", "float64"
};

// Parses and checks the header of `bytes` (the whole file, or at least its
// header and data); float16 only when `allow_half`.
npy_header read_npy_header(std::string_view bytes, std::string_view source,
                           bool allow_half) {
  if (!bytes.starts_with(kNpyMagic)) {
    fail(source,
         "not a NumPy .npy file: it does not start with the magic string "
         "\"\\x93NUMPY\"");
  }
  if (bytes.size() < 8) {
    fail(source, "truncated: the header needs at least 10 bytes, the file has ",
         bytes.size());
  }
  const int major = static_cast<unsigned char>(bytes[6]);
  const int minor = static_cast<unsigned char>(bytes[7]);
  if ((major != 1 && major != 2 && major != 3) || minor != 0) {
    fail(source, "format version ", major, ".", minor,
         " is not supported: expected 1.0, 2.0 or 3.0");
  }
  const std::size_t length_bytes = major == 1 ? 2 : 4;
  const std::size_t preamble = 8 + length_bytes;
  if (bytes.size() < preamble) {
    fail(source, "truncated: the header needs at least ", preamble,
         " bytes, the file has ", bytes.size());
  }
  const std::uint64_t header_length = read_le(bytes, 8, length_bytes);
  if (header_length > bytes.size() - preamble) {
    fail(source, "truncated: the header needs ", preamble + header_length,
         " bytes, the file has ", bytes.size());
  }
  const std::string_view header = bytes.substr(preamble, header_length);
  const std::string_view data = bytes.substr(preamble + header_length);

  const py_value dict = py_literal_parser(header, source).parse_header();
  if (dict.type != py_value::kind::dict) {
    fail(source, "malformed header: it is not a Python dictionary");
  }
  const auto entry = [&](std::string_view key) {
    const py_value* v = dict.find(key);
    if (v == nullptr) fail(source, "malformed header: no '", key, "' entry");
    return v;
  };
  const py_value* descr = entry("descr");
  const py_value* fortran = entry("fortran_order");
  const py_value* shape_value = entry("shape");

  const std::string_view kExpected =
      allow_half
          ? "expected float64 ('<f8'), float32 ('<f4') or float16 ('<f2')"
          : "expected float64 ('<f8') or float32 ('<f4')";
  if (descr->type != py_value::kind::string) {
    fail(source, "structured dtypes are not supported: ", kExpected);
  }
  const std::string& dtype = descr->text;
  if (dtype.size() != 3 ||
      (dtype[0] != '<' && dtype[0] != '>' && dtype[0] != '=') ||
      dtype[1] != 'f' ||
      (dtype[2] != '4' && dtype[2] != '8' &&
       !(allow_half && dtype[2] == '2'))) {
    fail(source, "dtype ", in_quotes(dtype), " is not supported: ", kExpected);
  }
  const std::size_t item_size = static_cast<std::size_t>(dtype[2] - '0');
  const std::string_view type_name = item_size == 8   ? "float64"
                                     : item_size == 4 ? "float32"
                                                      : "float16";
  const bool little =
      dtype[0] == '<' ||
      (dtype[0] == '=' && std::endian::native == std::endian::little);
  const bool swap = little != (std::endian::native == std::endian::little);

  if (fortran->type != py_value::kind::boolean) {
    fail(source, "malformed header: 'fortran_order' is not True or False");
  }
  if (shape_value->type != py_value::kind::sequence) {
    fail(source, "malformed header: 'shape' is not a tuple");
  }
  std::vector<std::uint64_t> shape;
  for (const py_value& d : shape_value->items) {
    if (d.type != py_value::kind::integer || d.negative) {
      fail(source,
           "malformed header: 'shape' holds something other than sizes");
    }
    if (d.huge) fail(source, "the shape is too large");
    shape.push_back(d.number);
  }
  if (shape.empty()) {
    fail(source,
         "a 0-d array (a single number) is not supported: expected a 1-D or "
         "2-D array");
  }
  if (shape.size() > 2) {
    fail(source, "a ", shape.size(), "-D array, shape ", shape_string(shape),
         ", is not supported: expected a 1-D or 2-D array");
  }
  const std::uint64_t rows = shape[0];
  const std::uint64_t cols = shape.size() == 2 ? shape[1] : 1;
  if (rows == 0 || cols == 0) {
    fail(source, "no numbers in the file (shape ", shape_string(shape), ")");
  }
  constexpr std::uint64_t kMax = std::numeric_limits<std::size_t>::max();
  if (cols > kMax / rows || rows * cols > kMax / item_size) {
    fail(source, "shape ", shape_string(shape), " is too large");
  }
  const std::uint64_t needed = rows * cols * item_size;
  if (data.size() < needed) {
    fail(source, "truncated: shape ", shape_string(shape), " of ", type_name,
         " needs ", needed, " bytes of data, the file has ", data.size());
  }

  npy_header h;
  h.data_offset = preamble + header_length;
  h.item_size = item_size;
  h.swap = swap;
  h.fortran = fortran->truth;
  h.shape = shape;
  h.rows = rows;
  h.cols = cols;
  h.type_name = type_name;
  return h;
}

}  // namespace

table parse_npy(std::string_view bytes, std::string_view source) {
  const npy_header h = read_npy_header(bytes, source, false);
  const std::string_view data = bytes.substr(h.data_offset);
  const std::size_t item_size = h.item_size;
  const bool swap = h.swap;
  const std::uint64_t rows = h.rows, cols = h.cols;
  const auto* fortran = &h;
  table t;
  t.source = std::string(source);
  t.rows = static_cast<std::size_t>(rows);
  t.cols = static_cast<std::size_t>(cols);
  const std::size_t count = t.rows * t.cols;
  t.values.resize(count);
  const auto element = [&](std::size_t i) {
    return item_size == 8 ? load<double, std::uint64_t>(data.data(), i, swap)
                          : load<float, std::uint32_t>(data.data(), i, swap);
  };
  if (fortran->fortran && t.cols > 1) {
    // Column-major on disk: element (r, c) is at c * rows + r.
    for (std::size_t c = 0; c < t.cols; ++c) {
      for (std::size_t r = 0; r < t.rows; ++r) {
        t.values[r * t.cols + c] = element(c * t.rows + r);
      }
    }
  } else if (item_size == 8 && !swap) {
    std::memcpy(t.values.data(), data.data(), count * sizeof(double));
  } else {
    for (std::size_t i = 0; i < count; ++i) t.values[i] = element(i);
  }
  return t;
}

// ---- json -----------------------------------------------------------------

namespace {

std::string describe(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "a number";
    default:
      return "not a number";
  }
}

// nlohmann's messages start with "[json.exception.parse_error.101] parse
// error at line 1, column 4: ..."; keep what a user can act on.
std::string json_error(std::string_view what) {
  if (what.starts_with("[json.exception.")) {
    if (const auto end = what.find("] "); end != std::string_view::npos) {
      what.remove_prefix(end + 2);
    }
  }
  constexpr std::string_view kAt = "parse error at ";
  if (what.starts_with(kAt)) {
    what.remove_prefix(kAt.size());
    return cat("invalid JSON at ", what);
  }
  return cat("invalid JSON: ", what);
}

}  // namespace

table parse_json(std::string_view text, std::string_view source) {
  reject_utf16(text, source);
  nlohmann::json doc;
  {
    std::string_view rest = text;
    if (rest.starts_with(kUtf8Bom)) rest.remove_prefix(kUtf8Bom.size());
    if (rest.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      fail(source, "no numbers in the file (it is empty)");
    }
  }
  try {
    doc = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    fail(source, json_error(e.what()));
  }

  if (!doc.is_array()) {
    fail(source, "the top level is ", describe(doc),
         ", expected an array of numbers or an array of rows (arrays of "
         "numbers)");
  }
  if (doc.empty()) fail(source, "no numbers in the file (the array is empty)");

  table t;
  t.source = std::string(source);
  const nlohmann::json& first = doc.front();
  if (first.is_number()) {
    t.values.reserve(doc.size());
    for (std::size_t i = 0; i < doc.size(); ++i) {
      const nlohmann::json& e = doc[i];
      if (!e.is_number()) {
        fail(source, "element [", i, "] is ", describe(e),
             ", expected a number");
      }
      t.values.push_back(e.get<double>());
    }
    t.rows = doc.size();
    t.cols = 1;
    return t;
  }
  if (!first.is_array()) {
    fail(source, "element [0] is ", describe(first),
         ", expected a number or an array of numbers");
  }
  t.rows = doc.size();
  t.cols = first.size();
  if (t.cols == 0) {
    fail(source, "element [0] is an empty array, expected a row of numbers");
  }
  t.values.reserve(t.rows * t.cols);
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const nlohmann::json& row = doc[i];
    if (!row.is_array()) {
      fail(source, "element [", i, "] is ", describe(row),
           ", expected an array (a row of numbers)");
    }
    if (row.size() != t.cols) {
      fail(source, "element [", i, "] has ", row.size(),
           row.size() == 1 ? " element" : " elements", ", but element [0] has ",
           t.cols);
    }
    for (std::size_t j = 0; j < row.size(); ++j) {
      const nlohmann::json& e = row[j];
      if (!e.is_number()) {
        fail(source, "element [", i, "][", j, "] is ", describe(e),
             ", expected a number");
      }
      t.values.push_back(e.get<double>());
    }
  }
  return t;
}

// ---- dispatch and files -----------------------------------------------------

table parse(std::string_view bytes, std::string_view source, format f) {
  switch (f) {
    case format::text:
      return parse_text(bytes, source);
    case format::npy:
      return parse_npy(bytes, source);
    case format::json:
      return parse_json(bytes, source);
    case format::automatic:
      break;
  }
  if (bytes.starts_with(kNpyMagic)) return parse_npy(bytes, source);
  reject_utf16(bytes, source);
  std::string_view rest = bytes;
  if (rest.starts_with(kUtf8Bom)) rest.remove_prefix(kUtf8Bom.size());
  const std::size_t first = rest.find_first_not_of(" \t\r\n");
  // '{' is never a number or a header either; calling it JSON gives the
  // clearer message.
  if (first != std::string_view::npos &&
      (rest[first] == '[' || rest[first] == '{')) {
    return parse_json(bytes, source);
  }
  return parse_text(bytes, source);
}

namespace {

format format_from_extension(const std::string& path) {
  const std::size_t dot = path.rfind('.');
  const std::size_t slash = path.find_last_of("/\\");
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
    return format::automatic;
  }
  std::string ext = path.substr(dot + 1);
  for (char& c : ext) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (ext == "npy") return format::npy;
  if (ext == "json") return format::json;
  if (ext == "csv" || ext == "tsv" || ext == "txt") return format::text;
  return format::automatic;
}

struct file_closer {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

std::string read_file(const std::string& path) {
  // std::generic_category().message is strerror without its thread-safety
  // problem.
  const std::unique_ptr<std::FILE, file_closer> file(
      std::fopen(path.c_str(), "rb"));
  if (!file) {
    const int error = errno;
    throw IoError(cat("cannot open '", path,
                      "': ", std::generic_category().message(error)));
  }
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    const std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get());
    bytes.append(buffer, n);
    if (n < sizeof buffer) break;
  }
  if (std::ferror(file.get())) {
    const int error = errno;
    throw IoError(cat("cannot read '", path,
                      "': ", std::generic_category().message(error)));
  }
  return bytes;
}

// Describes the columns a key can name (names, or the index range), for
// column_index's errors.
std::string columns_hint(const std::vector<std::string>& names,
                         std::size_t cols) {
  if (cols == 0) return "the table has no columns";
  const std::string indices =
      cols == 1 ? std::string("index 0") : cat("indices 0 to ", cols - 1);
  if (names.empty()) {
    return cat("the table has no column names; its ", cols,
               cols == 1 ? " column has " : " columns have ", indices);
  }
  constexpr std::size_t kMaxListed = 20;
  std::string out = names.size() == 1 ? "the column is " : "the columns are ";
  for (std::size_t i = 0; i < names.size() && i < kMaxListed; ++i) {
    if (i > 0) out += ", ";
    out += in_quotes(names[i]);
  }
  if (names.size() > kMaxListed) {
    out += cat(" and ", names.size() - kMaxListed, " more");
  }
  out += cat(" (", indices, ")");
  return out;
}

}  // namespace

table read_table(const std::string& path, format f) {
  const std::string bytes = read_file(path);
  if (f == format::automatic) f = format_from_extension(path);
  return parse(bytes, path, f);
}

text_table read_text_table(const std::string& path) {
  return parse_text_cells(read_file(path), path);
}

std::optional<table> parse_inline_list(std::string_view arg) {
  table t;
  t.source = "<inline>";
  std::size_t pos = 0;
  for (;;) {
    const std::size_t comma = arg.find(',', pos);
    const std::string_view item = trim(
        arg.substr(pos, comma == std::string_view::npos ? std::string_view::npos
                                                        : comma - pos));
    double value = 0;
    if (!parse_number_text(item, value)) return std::nullopt;
    t.values.push_back(value);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  t.rows = t.values.size();
  t.cols = 1;
  return t;
}

std::vector<double> table::column(std::size_t c) const {
  if (c >= cols) {
    throw IoError(cat(source, ": column index ", c,
                      " is out of range: ", columns_hint(names, cols)));
  }
  std::vector<double> out(rows);
  for (std::size_t r = 0; r < rows; ++r) out[r] = values[r * cols + c];
  return out;
}

namespace {

// The index of column `key` by name, or by 0-based index when no column has
// that name and `key` is a whole number.
std::size_t find_column(const std::vector<std::string>& names, std::size_t cols,
                        const std::string& source, std::string_view key) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == key) return i;
  }
  const bool whole_number =
      !key.empty() &&
      key.find_first_not_of("0123456789") == std::string_view::npos;
  if (whole_number) {
    std::size_t index = 0;
    const auto [ptr, ec] =
        std::from_chars(key.data(), key.data() + key.size(), index);
    if (ec == std::errc() && index < cols) return index;
    throw IoError(cat(source, ": column index ", key,
                      " is out of range: ", columns_hint(names, cols)));
  }
  throw IoError(cat(source, ": no column named ", in_quotes(key), ": ",
                    columns_hint(names, cols)));
}

}  // namespace

std::size_t table::column_index(std::string_view key) const {
  return find_column(names, cols, source, key);
}

std::size_t text_table::column_index(std::string_view key) const {
  return find_column(names, cols, source, key);
}

// ---- array_file -------------------------------------------------------------

namespace {

// IEEE binary16 to float, exactly (subnormals, infinities and NaN included).
float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exponent = (h >> 10) & 0x1Fu;
  std::uint32_t mantissa = h & 0x3FFu;
  std::uint32_t bits = 0;
  if (exponent == 0x1F) {
    bits = sign | 0x7F800000u | (mantissa << 13);
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa != 0) {
    // Subnormal half: normalise into a float.
    int e = -1;
    do {
      ++e;
      mantissa <<= 1;
    } while ((mantissa & 0x400u) == 0);
    bits = sign | (static_cast<std::uint32_t>(112 - e) << 23) |
           ((mantissa & 0x3FFu) << 13);
  } else {
    bits = sign;
  }
  return std::bit_cast<float>(bits);
}

}  // namespace

array_file::array_file(const std::string& path,
                       std::optional<std::size_t> raw_cols)
    : source_(path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) {
    fail(source_, "cannot open: ", std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    fail(source_, "not a regular file");
  }
  map_size_ = static_cast<std::size_t>(st.st_size);
  if (map_size_ == 0) {
    ::close(fd);
    fail(source_, "the file is empty");
  }
  void* m = ::mmap(nullptr, map_size_, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) fail(source_, "cannot map: ", std::strerror(errno));
  map_ = static_cast<const unsigned char*>(m);
  ::madvise(m, map_size_, MADV_SEQUENTIAL);
  try {
    const std::string_view bytes(reinterpret_cast<const char*>(map_),
                                 map_size_);
    if (raw_cols) {
      if (*raw_cols == 0) fail(source_, "--vocab must be at least 1");
      const std::size_t row_bytes = *raw_cols * sizeof(float);
      if (map_size_ % row_bytes != 0) {
        fail(source_, "raw float32 of ", *raw_cols,
             " columns needs a multiple of ", row_bytes,
             " bytes, the file has ", map_size_);
      }
      cols_ = *raw_cols;
      rows_ = map_size_ / row_bytes;
      data_ = map_;
      swap_ = std::endian::native != std::endian::little;
      return;
    }
    if (!bytes.starts_with(kNpyMagic)) {
      fail(source_,
           "not a NumPy .npy file (give --vocab N to read raw float32)");
    }
    const npy_header h = read_npy_header(bytes, source_, true);
    if (h.shape.size() == 1) {
      rows_ = 1;
      cols_ = static_cast<std::size_t>(h.rows);
    } else {
      rows_ = static_cast<std::size_t>(h.rows);
      cols_ = static_cast<std::size_t>(h.cols);
    }
    data_ = map_ + h.data_offset;
    item_size_ = h.item_size;
    swap_ = h.swap;
    fortran_ = h.fortran && h.shape.size() == 2;
    type_name_ = h.type_name;
  } catch (...) {
    ::munmap(const_cast<unsigned char*>(map_), map_size_);
    throw;
  }
}

array_file::array_file(array_file&& o) noexcept
    : source_(std::move(o.source_)),
      map_(std::exchange(o.map_, nullptr)),
      map_size_(o.map_size_),
      data_(o.data_),
      rows_(o.rows_),
      cols_(o.cols_),
      item_size_(o.item_size_),
      swap_(o.swap_),
      fortran_(o.fortran_),
      type_name_(o.type_name_) {}

array_file::~array_file() {
  if (map_) ::munmap(const_cast<unsigned char*>(map_), map_size_);
}

template <class T>
void array_file::read_as(std::size_t first, std::size_t count,
                         std::vector<T>& out) const {
  if (first > rows_ || count > rows_ - first) {
    fail(source_, "rows ", first, " to ", first + count, " are beyond its ",
         rows_, " rows");
  }
  out.resize(count * cols_);
  const char* data = reinterpret_cast<const char*>(data_);
  // Element i of the file (in its own order) as T.
  const auto element = [&](std::size_t i) -> T {
    if (item_size_ == 8)
      return static_cast<T>(load<double, std::uint64_t>(data, i, swap_));
    if (item_size_ == 4)
      return static_cast<T>(load<float, std::uint32_t>(data, i, swap_));
    std::uint16_t u;
    std::memcpy(&u, data + i * 2, 2);
    if (swap_) u = byte_swapped(u);
    return static_cast<T>(half_to_float(u));
  };
  if (fortran_) {
    for (std::size_t r = 0; r < count; ++r) {
      for (std::size_t c = 0; c < cols_; ++c) {
        out[r * cols_ + c] = element(c * rows_ + first + r);
      }
    }
    return;
  }
  const std::size_t start = first * cols_, n = count * cols_;
  if (item_size_ == sizeof(T) && !swap_) {
    std::memcpy(out.data(), data + start * sizeof(T), n * sizeof(T));
    return;
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = element(start + i);
}

void array_file::read(std::size_t first, std::size_t count,
                      std::vector<float>& out) const {
  if (item_size_ == 8) {
    fail(source_, "holds float64: read it as double");
  }
  read_as(first, count, out);
}
void array_file::read(std::size_t first, std::size_t count,
                      std::vector<double>& out) const {
  read_as(first, count, out);
}

}  // namespace kldiv::io
