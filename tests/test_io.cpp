// Tests of kldiv/io.hpp: the text, .npy and JSON readers, dispatch, files,
// inline lists and column lookup. Binary fixtures in tests/data/io come from
// tools/make_io_fixtures.py (NumPy writes the .npy files).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "kldiv/error.hpp"
#include "kldiv/io.hpp"

namespace {

using kldiv::IoError;
using kldiv::io::format;
using kldiv::io::parse;
using kldiv::io::parse_inline_list;
using kldiv::io::parse_json;
using kldiv::io::parse_npy;
using kldiv::io::parse_text;
using kldiv::io::read_table;
using kldiv::io::table;
using testing::ElementsAre;
using testing::HasSubstr;
using testing::StrEq;
using testing::ThrowsMessage;

std::string fixture(const std::string& name) {
  return KLDIV_TEST_DATA_DIR "/io/" + name;
}

// Expects `read_table(fixture(name))` to throw IoError with exactly
// "<path>: <message>".
void expect_file_error(const std::string& name, const std::string& message) {
  const std::string path = fixture(name);
  EXPECT_THAT([&] { read_table(path); },
              ThrowsMessage<IoError>(StrEq(path + ": " + message)))
      << name;
}

void expect_text_error(std::string_view text, const std::string& message) {
  EXPECT_THAT([&] { parse_text(text, "p.csv"); },
              ThrowsMessage<IoError>(StrEq("p.csv: " + message)))
      << text;
}

// ---- text -------------------------------------------------------------------

TEST(ParseText, CsvWithHeader) {
  const table t = read_table(fixture("header.csv"));
  EXPECT_EQ(t.source, fixture("header.csv"));
  EXPECT_THAT(t.names, ElementsAre("p", "q"));
  EXPECT_EQ(t.rows, 3u);
  EXPECT_EQ(t.cols, 2u);
  EXPECT_THAT(t.values, ElementsAre(0.1, 0.9, 0.2, 0.8, 0.7, -0.7));
  EXPECT_EQ(t.at(2, 1), -0.7);
}

TEST(ParseText, CsvWithoutHeader) {
  const table t = parse_text("1,2\n3,4\n", "p.csv");
  EXPECT_TRUE(t.names.empty());
  EXPECT_EQ(t.rows, 2u);
  EXPECT_EQ(t.cols, 2u);
  EXPECT_THAT(t.values, ElementsAre(1, 2, 3, 4));
}

TEST(ParseText, Tsv) {
  const table t = read_table(fixture("plain.tsv"));
  EXPECT_THAT(t.names, ElementsAre("x", "y"));
  EXPECT_EQ(t.cols, 2u);
  EXPECT_THAT(t.values, ElementsAre(1, 2, 3, 4));
}

TEST(ParseText, TsvKeepsSpacesInNamesAndTrimsFields) {
  const table t = parse_text("a b\t c \n 1 \t2\n", "p.tsv");
  EXPECT_THAT(t.names, ElementsAre("a b", "c"));
  EXPECT_THAT(t.values, ElementsAre(1, 2));
}

TEST(ParseText, Whitespace) {
  const table t = read_table(fixture("whitespace.txt"));
  EXPECT_TRUE(t.names.empty());
  EXPECT_EQ(t.rows, 3u);
  EXPECT_EQ(t.cols, 2u);
  EXPECT_THAT(t.values, ElementsAre(1.5, 2, 3, 4e-3, 5,
                                    -std::numeric_limits<double>::infinity()));
}

TEST(ParseText, Semicolons) {
  const table t = read_table(fixture("semicolon.csv"));
  EXPECT_THAT(t.names, ElementsAre("p", "q"));
  EXPECT_THAT(t.values, ElementsAre(0.5, 0.25, 0.5, 0.75));
}

TEST(ParseText, DelimiterIsTheFirstOneOnTheLine) {
  // A ';'-separated header whose names hold commas inside quotes.
  const table t = parse_text("\"a,b\";c\n1;2\n", "p.csv");
  EXPECT_THAT(t.names, ElementsAre("a,b", "c"));
  EXPECT_THAT(t.values, ElementsAre(1, 2));
}

TEST(ParseText, StrayQuoteInsideAFieldIsText) {
  const table t = parse_text("5\" screen,10\" screen\n1,2\n", "p.csv");
  EXPECT_THAT(t.names, ElementsAre("5\" screen", "10\" screen"));
}

TEST(ParseText, SingleColumn) {
  const table t = parse_text("p\n0.5\n0.5\n", "p.csv");
  EXPECT_THAT(t.names, ElementsAre("p"));
  EXPECT_EQ(t.cols, 1u);
  EXPECT_THAT(t.values, ElementsAre(0.5, 0.5));
}

TEST(ParseText, ByteOrderMark) {
  const table t = read_table(fixture("bom.csv"));
  EXPECT_THAT(t.names, ElementsAre("p", "q"));
  EXPECT_THAT(t.values, ElementsAre(0.25, 0.75));
}

TEST(ParseText, Crlf) {
  const table t = read_table(fixture("crlf.csv"));
  EXPECT_THAT(t.names, ElementsAre("p", "q"));
  EXPECT_THAT(t.values, ElementsAre(0.25, 0.75, 0.5, 0.5));
}

TEST(ParseText, LoneCarriageReturns) {
  const table t = read_table(fixture("cr.csv"));
  EXPECT_THAT(t.names, ElementsAre("p", "q"));
  EXPECT_THAT(t.values, ElementsAre(0.25, 0.75, 0.5, 0.5));
}

TEST(ParseText, LineNumbersCountCrlfOnce) {
  expect_text_error("p,q\r\n1,2\r\n3,x\r\n",
                    "line 3, column 2: 'x' is not a number");
  expect_text_error("p,q\r1,2\r3,x\r", "line 3, column 2: 'x' is not a number");
}

TEST(ParseText, CommentsAndBlankLines) {
  const table t = read_table(fixture("comments.csv"));
  EXPECT_THAT(t.names, ElementsAre("p", "q"));
  EXPECT_EQ(t.rows, 2u);
  EXPECT_THAT(t.values, ElementsAre(1, 2, 3, 4));
}

TEST(ParseText, QuotedHeader) {
  const table t = read_table(fixture("quoted_header.csv"));
  EXPECT_THAT(t.names, ElementsAre("name, with comma", "say \"hi\"", "plain"));
  EXPECT_EQ(t.cols, 3u);
  EXPECT_THAT(t.values, ElementsAre(1, 2, 3, 4, 5, 6));
}

TEST(ParseText, QuotedHeaderInWhitespaceMode) {
  const table t = parse_text("\"first p\"  \"\"\n1 2\n", "p.txt");
  EXPECT_THAT(t.names, ElementsAre("first p", ""));
}

TEST(ParseText, EmptyHeaderNameAsPandasWritesIt) {
  const table t = parse_text(",p\n0,0.5\n", "p.csv");
  EXPECT_THAT(t.names, ElementsAre("", "p"));
  EXPECT_THAT(t.values, ElementsAre(0, 0.5));
}

TEST(ParseText, SpecialValuesAndSigns) {
  const table t = read_table(fixture("special_values.csv"));
  ASSERT_EQ(t.cols, 8u);
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(t.values[0], inf);
  EXPECT_EQ(t.values[1], -inf);
  EXPECT_TRUE(std::isnan(t.values[2]));
  EXPECT_EQ(t.values[3], inf);
  EXPECT_EQ(t.values[4], 1.5);
  // Out of range: the IEEE result of rounding, as strtod gives.
  EXPECT_EQ(t.values[5], inf);
  EXPECT_EQ(t.values[6], -inf);
  EXPECT_EQ(t.values[7], 0.0);
}

TEST(ParseText, NumberSyntax) {
  const double inf = std::numeric_limits<double>::infinity();
  const table t = parse_text(
      ".5,5.,1E3,-0.25e-2,0.1e+1,1e-320,100000e305,-0.001e-321,1e+0400",
      "p.csv");
  EXPECT_THAT(t.values,
              ElementsAre(0.5, 5, 1000, -0.0025, 1, 1e-320, inf, 0.0, inf));
  EXPECT_TRUE(std::signbit(t.values[7]));
}

TEST(ParseText, QuotedNumbers) {
  const table t = parse_text("\"1\",\" 2 \"\n", "p.csv");
  EXPECT_THAT(t.values, ElementsAre(1, 2));
}

TEST(ParseText, RaggedRows) {
  expect_file_error("ragged.csv", "line 4 has 2 fields, but the header has 3");
  expect_file_error("ragged_no_header.csv",
                    "line 4 has 2 fields, but the first data line has 3");
  // One field on the first line means blank-separated columns.
  expect_text_error("1\n2,3\n", "line 2, column 1: '2,3' is not a number");
  expect_text_error("1,2\n3\n",
                    "line 2 has 1 field, but the first data line has 2");
}

TEST(ParseText, EmptyFile) {
  expect_file_error("empty.csv", "no numbers in the file (it is empty)");
  expect_text_error(" \n\t\r\n", "no numbers in the file (it is empty)");
  expect_text_error("\xEF\xBB\xBF", "no numbers in the file (it is empty)");
}

TEST(ParseText, OnlyComments) {
  expect_file_error(
      "only_comments.csv",
      "no numbers in the file (it has only comments and blank lines)");
}

TEST(ParseText, OnlyHeader) {
  expect_file_error("only_header.csv",
                    "no numbers in the file (it has only a header)");
}

TEST(ParseText, UnparsableNumber) {
  expect_file_error("bad_number.csv",
                    "line 3, column 2: 'abc' is not a number");
  expect_text_error("1,2\n3,1.5.2\n",
                    "line 2, column 2: '1.5.2' is not a number");
  expect_text_error("1,2\n3,0x10\n",
                    "line 2, column 2: '0x10' is not a number");
  expect_text_error("1;2\n3;0,5\n", "line 2, column 2: '0,5' is not a number");
  expect_text_error("1,2\n1,+-2\n", "line 2, column 2: '+-2' is not a number");
  expect_text_error("1 2\n3 4 # note\n",
                    "line 2 has 4 fields, but the first data line has 2");
  expect_text_error("a\n\"1\"\"\"\n",
                    "line 2, column 1: '1\"' is not a number");
}

TEST(ParseText, NonNumberAfterTheFirstLineIsNotAHeader) {
  expect_text_error("1,2\np,q\n", "line 2, column 1: 'p' is not a number");
}

TEST(ParseText, LongOrBinaryFieldsAreShownSafely) {
  expect_text_error("1\n\x01\x1b[2J\n",
                    "line 2, column 1: '\\x01\\x1b[2J' is not a number");
  expect_text_error(
      "1\n" + std::string(100, 'x') + "\n",
      "line 2, column 1: '" + std::string(40, 'x') + "...' is not a number");
}

TEST(ParseText, EmptyField) {
  expect_file_error("empty_field.csv", "line 2, column 3: empty field");
  expect_text_error("1,,3\n", "line 1, column 2: empty field");
  expect_text_error("p\tq\n1\t\n", "line 2, column 2: empty field");
  expect_text_error("1 \"\"\n", "line 1, column 2: empty field");
}

TEST(ParseText, QuoteErrors) {
  expect_file_error("unterminated_quote.csv",
                    "line 2, column 1: the quoted field has no closing quote "
                    "(quoted fields cannot span lines)");
  expect_text_error(
      "\"a\"b,c\n",
      "line 1, column 1: unexpected text after the closing quote");
  expect_text_error(
      "\"a\"b c\n",
      "line 1, column 1: unexpected text after the closing quote");
}

TEST(ParseText, Utf16) {
  expect_file_error("utf16le.csv",
                    "UTF-16 text is not supported: save the file as UTF-8");
  expect_file_error("utf16be.csv",
                    "UTF-16 text is not supported: save the file as UTF-8");
}

TEST(ParseText, BinaryData) {
  expect_file_error("nul.csv",
                    "line 2 contains a NUL byte: this is binary data, not text "
                    "(or UTF-16 without a byte order mark)");
  expect_file_error(
      "npy_as_text.csv",
      "this is a NumPy .npy file, not text (name it *.npy to read it)");
  expect_text_error(std::string_view("PK\x03\x04\x00", 5),
                    "this is a zip archive (an .npz file?), not text: extract "
                    "the arrays from it first");
}

// ---- npy --------------------------------------------------------------------

// An .npy v1.0 file with the given header dictionary and data bytes.
std::string npy(std::string dict, std::string_view data,
                std::uint8_t major = 1) {
  const std::size_t length_bytes = major == 1 ? 2 : 4;
  std::string out("\x93NUMPY", 6);
  out += static_cast<char>(major);
  out += '\0';
  dict += '\n';
  for (std::size_t i = 0; i < length_bytes; ++i) {
    out += static_cast<char>((dict.size() >> (8 * i)) & 0xFF);
  }
  out += dict;
  out += data;
  return out;
}

std::string f8_bytes(const std::vector<double>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()),
                     values.size() * sizeof(double));
}

void expect_npy_error(std::string_view bytes, const std::string& message) {
  EXPECT_THAT([&] { parse_npy(bytes, "x.npy"); },
              ThrowsMessage<IoError>(StrEq("x.npy: " + message)));
}

TEST(ParseNpy, Float64Vector) {
  const table t = read_table(fixture("vec_f8.npy"));
  EXPECT_EQ(t.rows, 3u);
  EXPECT_EQ(t.cols, 1u);
  EXPECT_TRUE(t.names.empty());
  EXPECT_THAT(t.values, ElementsAre(0.1, 0.2, 0.7));
}

TEST(ParseNpy, Float32Matrix) {
  const table t = read_table(fixture("mat_f4.npy"));
  EXPECT_EQ(t.rows, 2u);
  EXPECT_EQ(t.cols, 3u);
  EXPECT_THAT(t.values, ElementsAre(0.5, 0.25, 0.25, 0.125, 0.375, 0.5));
}

TEST(ParseNpy, BigEndian) {
  EXPECT_THAT(read_table(fixture("big_endian_f8.npy")).values,
              ElementsAre(0.1, 0.2, 0.7));
  const table t = read_table(fixture("big_endian_f4.npy"));
  EXPECT_EQ(t.cols, 3u);
  EXPECT_THAT(t.values, ElementsAre(0.5, 0.25, 0.25, 0.125, 0.375, 0.5));
}

TEST(ParseNpy, FortranOrderIsTransposedToRowMajor) {
  const table t = read_table(fixture("fortran.npy"));
  EXPECT_EQ(t.rows, 3u);
  EXPECT_EQ(t.cols, 2u);
  EXPECT_THAT(t.values, ElementsAre(1, 2, 3, 4, 5, 6));
}

TEST(ParseNpy, FormatVersions2And3) {
  EXPECT_THAT(read_table(fixture("v2.npy")).values, ElementsAre(0.1, 0.2, 0.7));
  const table t = read_table(fixture("v3.npy"));
  EXPECT_EQ(t.cols, 3u);
  EXPECT_THAT(t.values, ElementsAre(0.5, 0.25, 0.25, 0.125, 0.375, 0.5));
  EXPECT_THAT(
      parse_npy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)}",
                    f8_bytes({1, 2}), 2),
                "x.npy")
          .values,
      ElementsAre(1, 2));
}

TEST(ParseNpy, HeaderVariants) {
  const std::string data = f8_bytes({1, 2, 3, 4, 5, 6});
  // Key order, double quotes, Python 2 longs, '=' byte order, a list shape.
  const table t = parse_npy(
      npy("{\"shape\": [3L, 2L], \"fortran_order\": True, \"descr\": \"=f8\","
          " 'extra': None, }",
          data),
      "x.npy");
  EXPECT_EQ(t.rows, 3u);
  EXPECT_EQ(t.cols, 2u);
  EXPECT_THAT(t.values, ElementsAre(1, 4, 2, 5, 3, 6));
  // Trailing data beyond the array is ignored, as numpy.load does.
  EXPECT_THAT(parse_npy(npy("{'descr':'<f8','fortran_order':False,'shape':(1,"
                            ")}",
                            data),
                        "x.npy")
                  .values,
              ElementsAre(1));
}

TEST(ParseNpy, Truncated) {
  expect_file_error("truncated.npy",
                    "truncated: shape (10,) of float64 needs 80 bytes of data, "
                    "the file has 40");
  expect_npy_error(
      npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}", "abc"),
      "truncated: shape (2, 3) of float32 needs 24 bytes of data, the file "
      "has 3");
  const std::string whole =
      npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", "");
  expect_npy_error(whole.substr(0, 30), "truncated: the header needs " +
                                            std::to_string(whole.size()) +
                                            " bytes, the file has 30");
  expect_npy_error(whole.substr(0, 9),
                   "truncated: the header needs at least 10 bytes, the file "
                   "has 9");
  expect_npy_error(whole.substr(0, 7),
                   "truncated: the header needs at least 10 bytes, the file "
                   "has 7");
}

TEST(ParseNpy, WrongDtype) {
  expect_file_error("int64.npy",
                    "dtype '<i8' is not supported: expected float64 ('<f8') or "
                    "float32 ('<f4')");
  expect_npy_error(
      npy("{'descr': '<f2', 'fortran_order': False, 'shape': (1,)}", "xx"),
      "dtype '<f2' is not supported: expected float64 ('<f8') or float32 "
      "('<f4')");
  expect_npy_error(npy("{'descr': [('a', '<f8')], 'fortran_order': False, "
                       "'shape': (1,)}",
                       "12345678"),
                   "structured dtypes are not supported: expected float64 "
                   "('<f8') or float32 ('<f4')");
}

TEST(ParseNpy, BadMagic) {
  expect_file_error("bad_magic.npy",
                    "not a NumPy .npy file: it does not start with the magic "
                    "string \"\\x93NUMPY\"");
  expect_npy_error("",
                   "not a NumPy .npy file: it does not start with the "
                   "magic string \"\\x93NUMPY\"");
}

TEST(ParseNpy, UnsupportedVersion) {
  std::string bytes = npy(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", f8_bytes({1}));
  bytes[6] = 4;
  expect_npy_error(bytes,
                   "format version 4.0 is not supported: expected 1.0, 2.0 or "
                   "3.0");
}

TEST(ParseNpy, Shapes) {
  expect_file_error("scalar.npy",
                    "a 0-d array (a single number) is not supported: expected "
                    "a 1-D or 2-D array");
  expect_file_error("cube.npy",
                    "a 3-D array, shape (2, 3, 4), is not supported: expected "
                    "a 1-D or 2-D array");
  expect_file_error("empty.npy", "no numbers in the file (shape (0,))");
  expect_npy_error(
      npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 0)}", ""),
      "no numbers in the file (shape (4, 0))");
  expect_npy_error(npy("{'descr': '<f8', 'fortran_order': False, 'shape': "
                       "(4294967296, 4294967296)}",
                       ""),
                   "shape (4294967296, 4294967296) is too large");
  expect_npy_error(npy("{'descr': '<f8', 'fortran_order': False, 'shape': "
                       "(99999999999999999999999,)}",
                       ""),
                   "the shape is too large");
}

TEST(ParseNpy, MalformedHeader) {
  expect_npy_error(npy("{'descr': '<f8', 'shape': (1,)}", f8_bytes({1})),
                   "malformed header: no 'fortran_order' entry");
  expect_npy_error(npy("{'descr': '<f8' 'shape': (1,)}", f8_bytes({1})),
                   "malformed header: expected ',' or '}' at byte 16 of the "
                   "header dictionary");
  expect_npy_error(npy("('descr', '<f8')", f8_bytes({1})),
                   "malformed header: it is not a Python dictionary");
  expect_npy_error(
      npy("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}", f8_bytes({1})),
      "malformed header: 'fortran_order' is not True or False");
  expect_npy_error(
      npy("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}", ""),
      "malformed header: 'shape' holds something other than sizes");
  expect_npy_error(
      npy("{'descr': '<f8', 'fortran_order': False, 'shape': 3}", ""),
      "malformed header: 'shape' is not a tuple");
  expect_npy_error(npy(std::string(100, '(') + std::string(100, ')'), ""),
                   "malformed header: nesting too deep at byte 17 of the "
                   "header dictionary");
  expect_npy_error(npy("{'descr': '<f8'} x", ""),
                   "malformed header: unexpected text after the dictionary at "
                   "byte 17 of the header dictionary");
}

// ---- json -------------------------------------------------------------------

TEST(ParseJson, Vector) {
  const table t = read_table(fixture("vector.json"));
  EXPECT_EQ(t.rows, 3u);
  EXPECT_EQ(t.cols, 1u);
  EXPECT_THAT(t.values, ElementsAre(0.1, 0.2, 0.7));
}

TEST(ParseJson, Matrix) {
  const table t = read_table(fixture("matrix.json"));
  EXPECT_EQ(t.rows, 2u);
  EXPECT_EQ(t.cols, 3u);
  EXPECT_TRUE(t.names.empty());
  EXPECT_THAT(t.values, ElementsAre(1, 2, 3, 4, 5.5, -0.6));
}

TEST(ParseJson, IntegersAndByteOrderMark) {
  EXPECT_THAT(
      parse_json("\xEF\xBB\xBF[1, -2, 18446744073709551615]", "x.json").values,
      ElementsAre(1, -2, 18446744073709551615.0));
}

TEST(ParseJson, Ragged) {
  expect_file_error("ragged.json",
                    "element [3] has 2 elements, but element [0] has 3");
}

TEST(ParseJson, WrongElements) {
  expect_file_error("string.json",
                    "element [2] is a string, expected a number");
  expect_file_error("null.json", "element [1][1] is null, expected a number");
  auto expect_json_error = [](std::string_view text, const std::string& m) {
    EXPECT_THAT([&] { parse_json(text, "x.json"); },
                ThrowsMessage<IoError>(StrEq("x.json: " + m)));
  };
  expect_json_error("[1, true]", "element [1] is a boolean, expected a number");
  expect_json_error("[1, [2]]", "element [1] is an array, expected a number");
  expect_json_error("[[1], 2]",
                    "element [1] is a number, expected an array (a row of "
                    "numbers)");
  expect_json_error("[[[1]]]", "element [0][0] is an array, expected a number");
  expect_json_error("[{}]",
                    "element [0] is an object, expected a number or an array "
                    "of numbers");
  expect_json_error("[[]]",
                    "element [0] is an empty array, expected a row of numbers");
  expect_json_error("[1, 2] 3",
                    "invalid JSON at line 1, column 8: syntax error while "
                    "parsing value - unexpected number literal; expected end "
                    "of input");
  expect_json_error("[1e400]", "invalid JSON: number overflow parsing '1e400'");
  expect_json_error("\"text\"",
                    "the top level is a string, expected an array of numbers "
                    "or an array of rows (arrays of numbers)");
}

TEST(ParseJson, ObjectEmptyAndInvalid) {
  expect_file_error("object.json",
                    "the top level is an object, expected an array of numbers "
                    "or an array of rows (arrays of numbers)");
  expect_file_error("empty.json",
                    "no numbers in the file (the array is empty)");
  const std::string path = fixture("invalid.json");
  EXPECT_THAT([&] { read_table(path); },
              ThrowsMessage<IoError>(
                  HasSubstr(path + ": invalid JSON at line 2, column 1: ")));
  EXPECT_THAT([&] { parse_json(" \n", "x.json"); },
              ThrowsMessage<IoError>(
                  StrEq("x.json: no numbers in the file (it is empty)")));
  EXPECT_THAT([&] { parse_json("\xFF\xFE[", "x.json"); },
              ThrowsMessage<IoError>(
                  StrEq("x.json: UTF-16 text is not supported: save the file "
                        "as UTF-8")));
}

// ---- dispatch and files -----------------------------------------------------

TEST(Parse, SniffsTheFormat) {
  const std::string npy_bytes =
      npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)}",
          f8_bytes({0.25, 0.75}));
  EXPECT_THAT(parse(npy_bytes, "<stdin>").values, ElementsAre(0.25, 0.75));
  EXPECT_THAT(parse(" \n[0.25, 0.75]", "<stdin>").values,
              ElementsAre(0.25, 0.75));
  EXPECT_THAT(parse("0.25\n0.75\n", "<stdin>").values, ElementsAre(0.25, 0.75));
  EXPECT_EQ(parse("1", "<stdin>").source, "<stdin>");
  EXPECT_THAT([] { parse("{\"p\": 1}", "<stdin>"); },
              ThrowsMessage<IoError>(HasSubstr("<stdin>: the top level is an "
                                               "object")));
}

TEST(Parse, ExplicitFormatWins) {
  EXPECT_THAT([] { parse("[1]", "x", format::text); },
              ThrowsMessage<IoError>(
                  StrEq("x: no numbers in the file (it has only a header)")));
  EXPECT_THAT(
      [] { parse("1", "x", format::json); },
      ThrowsMessage<IoError>(HasSubstr("x: the top level is a number")));
  EXPECT_THAT([] { parse("1", "x", format::npy); },
              ThrowsMessage<IoError>(HasSubstr("x: not a NumPy .npy file")));
}

TEST(ReadTable, ExtensionOrContent) {
  EXPECT_THAT(read_table(fixture("npy_content.bin")).values,
              ElementsAre(0.1, 0.2, 0.7));
  EXPECT_THAT(read_table(fixture("json_content.dat")).values,
              ElementsAre(0.25, 0.75, 0.5, 0.5));
  const table t = read_table(fixture("table.dat"));
  EXPECT_EQ(t.cols, 2u);
  EXPECT_THAT(t.values, ElementsAre(0.25, 0.75, 0.5, 0.5));
  // The extension decides even when the content looks like another format.
  EXPECT_EQ(read_table(fixture("vec_f8.npy"), format::automatic).cols, 1u);
  const std::string path = fixture("vector.json");
  EXPECT_THAT([&] { read_table(path, format::text); },
              ThrowsMessage<IoError>(StrEq(
                  path + ": no numbers in the file (it has only a header)")));
}

TEST(ReadTable, MissingFile) {
  EXPECT_THAT([] { read_table("no/such/x.csv"); },
              ThrowsMessage<IoError>(StrEq(
                  "cannot open 'no/such/x.csv': No such file or directory")));
}

TEST(ReadTable, Directory) {
  EXPECT_THAT([] { read_table(KLDIV_TEST_DATA_DIR "/io"); },
              ThrowsMessage<IoError>(StrEq("cannot read '" KLDIV_TEST_DATA_DIR
                                           "/io': Is a directory")));
}

// ---- inline lists -----------------------------------------------------------

TEST(ParseInlineList, Lists) {
  const auto t = parse_inline_list("0.1,0.4,0.5");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->source, "<inline>");
  EXPECT_EQ(t->rows, 3u);
  EXPECT_EQ(t->cols, 1u);
  EXPECT_TRUE(t->names.empty());
  EXPECT_THAT(t->values, ElementsAre(0.1, 0.4, 0.5));
  EXPECT_THAT(parse_inline_list(" 0.1, 0.4 ,+0.5 ")->values,
              ElementsAre(0.1, 0.4, 0.5));
  EXPECT_THAT(parse_inline_list("0.5")->values, ElementsAre(0.5));
  EXPECT_THAT(parse_inline_list("1e-3,inf")->values,
              ElementsAre(1e-3, std::numeric_limits<double>::infinity()));
}

TEST(ParseInlineList, NotALists) {
  EXPECT_FALSE(parse_inline_list("").has_value());
  EXPECT_FALSE(parse_inline_list(" ").has_value());
  EXPECT_FALSE(parse_inline_list("p.csv").has_value());
  EXPECT_FALSE(parse_inline_list("0.1,,0.5").has_value());
  EXPECT_FALSE(parse_inline_list("0.1,0.5,").has_value());
  EXPECT_FALSE(parse_inline_list("0.1;0.5").has_value());
  EXPECT_FALSE(parse_inline_list("0.1 0.5").has_value());
  EXPECT_FALSE(parse_inline_list("1,2,x").has_value());
}

// ---- columns ----------------------------------------------------------------

table named_table() { return parse_text("p,q,r\n1,2,3\n4,5,6\n", "p.csv"); }

TEST(Table, Column) {
  const table t = named_table();
  EXPECT_THAT(t.column(0), ElementsAre(1, 4));
  EXPECT_THAT(t.column(2), ElementsAre(3, 6));
  EXPECT_THAT([&] { t.column(3); },
              ThrowsMessage<IoError>(
                  StrEq("p.csv: column index 3 is out of range: the columns "
                        "are 'p', 'q', 'r' (indices 0 to 2)")));
}

TEST(Table, ColumnIndexByNameThenIndex) {
  const table t = named_table();
  EXPECT_EQ(t.column_index("p"), 0u);
  EXPECT_EQ(t.column_index("r"), 2u);
  EXPECT_EQ(t.column_index("1"), 1u);
  // A name wins over an index.
  const table numbered = parse_text("a,0\n1,2\n", "n.csv");
  EXPECT_EQ(numbered.column_index("0"), 1u);
  EXPECT_EQ(numbered.column_index("1"), 1u);
}

TEST(Table, ColumnIndexErrors) {
  const table t = named_table();
  EXPECT_THAT([&] { t.column_index("x"); },
              ThrowsMessage<IoError>(
                  StrEq("p.csv: no column named 'x': the columns are 'p', "
                        "'q', 'r' (indices 0 to 2)")));
  EXPECT_THAT([&] { t.column_index("3"); },
              ThrowsMessage<IoError>(
                  StrEq("p.csv: column index 3 is out of range: the columns "
                        "are 'p', 'q', 'r' (indices 0 to 2)")));
  EXPECT_THAT([&] { t.column_index("-1"); },
              ThrowsMessage<IoError>(HasSubstr("no column named '-1'")));
  EXPECT_THAT([&] { t.column_index("99999999999999999999999"); },
              ThrowsMessage<IoError>(HasSubstr(
                  "column index 99999999999999999999999 is out of range")));

  const table plain = parse_text("1,2,3\n", "plain.csv");
  EXPECT_EQ(plain.column_index("2"), 2u);
  EXPECT_THAT([&] { plain.column_index("p"); },
              ThrowsMessage<IoError>(
                  StrEq("plain.csv: no column named 'p': the table has no "
                        "column names; its 3 columns have indices 0 to 2")));
  const table one = parse_text("1\n", "one.csv");
  EXPECT_THAT([&] { one.column_index("1"); },
              ThrowsMessage<IoError>(
                  StrEq("one.csv: column index 1 is out of range: the table "
                        "has no column names; its 1 column has index 0")));
  const table single = parse_text("p\n1\n", "s.csv");
  EXPECT_THAT([&] { single.column_index("q"); },
              ThrowsMessage<IoError>(StrEq(
                  "s.csv: no column named 'q': the column is 'p' (index 0)")));
}

TEST(Table, ManyColumnNamesAreCut) {
  std::string header;
  std::string row;
  for (int i = 0; i < 25; ++i) {
    header += (i > 0 ? ",c" : "c") + std::to_string(i);
    row += i > 0 ? ",1" : "1";
  }
  const table t = parse_text(header + "\n" + row + "\n", "w.csv");
  EXPECT_THAT([&] { t.column_index("x"); },
              ThrowsMessage<IoError>(
                  HasSubstr("'c18', 'c19' and 5 more (indices 0 to 24)")));
}

}  // namespace

// ---- array_file: logits files read in chunks (tools/make_logits_fixtures.py)

namespace {

std::string logits_file(const std::string& name) {
  return KLDIV_TEST_DATA_DIR "/logits/" + name;
}

}  // namespace

TEST(ArrayFile, EveryLayoutGivesTheSameNumbers) {
  const kldiv::io::array_file f32(logits_file("base_f32.npy"));
  const kldiv::io::array_file be(logits_file("base_f8_be.npy"));
  const kldiv::io::array_file raw(logits_file("base.f32"), 11);
  EXPECT_EQ(f32.rows(), 37u);
  EXPECT_EQ(f32.cols(), 11u);
  EXPECT_EQ(f32.dtype(), "float32");
  EXPECT_EQ(be.dtype(), "float64");
  EXPECT_EQ(raw.rows(), 37u);
  std::vector<double> a, b, c;
  f32.read(3, 30, a);
  be.read(3, 30, b);
  raw.read(3, 30, c);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, c);
  // Fortran order: the same rows as the C-order file.
  const kldiv::io::array_file c_order(logits_file("test_f32.npy"));
  const kldiv::io::array_file fortran(logits_file("test_fortran_f32.npy"));
  std::vector<float> x, y;
  c_order.read(10, 7, x);
  fortran.read(10, 7, y);
  EXPECT_EQ(x, y);
}

TEST(ArrayFile, HalfPrecisionWidensExactly) {
  // A float16 subnormal (2^-24, NumPy's value of float16(6e-8)), a large
  // value and -inf, as written by tools/make_logits_fixtures.py.
  const kldiv::io::array_file h(logits_file("test_f16.npy"));
  EXPECT_EQ(h.dtype(), "float16");
  std::vector<float> v;
  h.read(0, 2, v);
  EXPECT_EQ(v[0], 5.960464477539063e-08f);
  EXPECT_EQ(v[1], 60000.0f);
  EXPECT_EQ(v[11], -std::numeric_limits<float>::infinity());  // row 1, col 0
}

TEST(ArrayFile, ErrorsNameTheFile) {
  const kldiv::io::array_file be(logits_file("base_f8_be.npy"));
  std::vector<float> v;
  EXPECT_THAT([&] { be.read(0, 1, v); },
              ThrowsMessage<IoError>(testing::EndsWith(
                  "base_f8_be.npy: holds float64: read it as double")));
  std::vector<double> d;
  EXPECT_THAT([&] { be.read(30, 8, d); },
              ThrowsMessage<IoError>(testing::EndsWith(
                  "base_f8_be.npy: rows 30 to 38 are beyond its 37 rows")));
  EXPECT_THAT(
      [] { kldiv::io::array_file f(logits_file("expected.json")); },
      ThrowsMessage<IoError>(testing::HasSubstr("not a NumPy .npy file")));
}

// ---- text cells (categorical data) ------------------------------------------

TEST(ParseTextCells, HeaderQuotesEmptyFieldsAndLines) {
  const auto t = kldiv::io::parse_text_cells(
      "# colours\ncolour,size\nred, S\n\n\"dark, blue\",\ngreen,L\n", "c.csv");
  EXPECT_THAT(t.names, ElementsAre("colour", "size"));
  EXPECT_EQ(t.rows, 3u);
  EXPECT_EQ(t.cols, 2u);
  EXPECT_THAT(t.cells, ElementsAre("red", "S", "dark, blue", "", "green", "L"));
  EXPECT_THAT(t.lines, ElementsAre(3, 5, 6));
  EXPECT_EQ(t.at(2, 1), "L");
  EXPECT_EQ(t.column_index("size"), 1u);
  EXPECT_EQ(t.column_index("0"), 0u);
  EXPECT_THAT([&] { (void)t.column_index("weight"); },
              ThrowsMessage<IoError>(testing::HasSubstr(
                  "c.csv: no column named 'weight': the columns are")));
}

TEST(ParseTextCells, NumbersAreTextToo) {
  const auto t = kldiv::io::parse_text_cells("n\n1\n01\n", "n.csv");
  EXPECT_THAT(t.cells, ElementsAre("1", "01"));
}

TEST(ParseTextCells, Errors) {
  EXPECT_THAT([] { kldiv::io::parse_text_cells("a,b\nx,y\nz\n", "r.csv"); },
              ThrowsMessage<IoError>(testing::HasSubstr(
                  "r.csv: line 3 has 1 field, but the header has 2")));
  EXPECT_THAT([] { kldiv::io::parse_text_cells("a,b\n", "h.csv"); },
              ThrowsMessage<IoError>(
                  testing::HasSubstr("h.csv: no rows below the header")));
  EXPECT_THAT([] { kldiv::io::parse_text_cells("", "e.csv"); },
              ThrowsMessage<IoError>(testing::HasSubstr("e.csv: no header")));
}
