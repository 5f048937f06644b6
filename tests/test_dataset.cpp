// Typed columns for `kldiv compare`: numeric and categorical told apart,
// missing markers counted, overrides, NPY, and the errors naming file,
// column and line. The expected values are the fixtures' own, read by eye.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "kldiv/dataset.hpp"
#include "kldiv/error.hpp"
#include "support/test_support.hpp"

namespace {

using kldiv::column_kind;
using testing::ElementsAre;
using testing::HasSubstr;
using testing::ThrowsMessage;

TEST(Dataset, KindsAndMissingValues) {
  const auto c = kldiv::parse_columns(
      "age,colour,zip,empty\n"
      "31,red,02139,\n"
      "NA,blue,10001,NA\n"
      "27.5,,94110,\n"
      "40,red,NaN,null\n",
      "people.csv");
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0].name, "age");
  EXPECT_EQ(c[0].kind, column_kind::numeric);
  EXPECT_THAT(c[0].numbers, ElementsAre(31, 27.5, 40));
  EXPECT_EQ(c[0].missing, 1u);
  EXPECT_EQ(c[1].kind, column_kind::categorical);
  EXPECT_THAT(c[1].labels, ElementsAre("red", "blue", "red"));
  EXPECT_EQ(c[1].missing, 1u);
  EXPECT_EQ(c[1].why_categorical, "line 2 has 'red', not a number");
  EXPECT_EQ(c[0].why_categorical, "");
  EXPECT_EQ(c[2].kind, column_kind::numeric);  // numbers, unless told
  EXPECT_THAT(c[2].numbers, ElementsAre(2139, 10001, 94110));
  EXPECT_EQ(c[2].missing, 1u);
  EXPECT_EQ(c[3].kind, column_kind::numeric);  // nothing present
  EXPECT_EQ(c[3].size(), 0u);
  EXPECT_EQ(c[3].missing, 4u);
  for (const char* m :
       {"", "NA", "N/A", "NaN", "nan", "null", "NULL", "None"}) {
    EXPECT_TRUE(kldiv::is_missing(m)) << m;
  }
  EXPECT_FALSE(kldiv::is_missing("0"));
  EXPECT_FALSE(kldiv::is_missing("na"));
}

TEST(Dataset, OverridesAndTheirErrors) {
  kldiv::column_types t;
  t.categorical = {"zip"};
  const auto c = kldiv::parse_columns("zip,n\n02139,1\n10001,2\n", "z.csv", t);
  EXPECT_EQ(c[0].kind, column_kind::categorical);
  EXPECT_THAT(c[0].labels, ElementsAre("02139", "10001"));
  EXPECT_EQ(c[1].kind, column_kind::numeric);
  kldiv::column_types n;
  n.numeric = {"v"};
  EXPECT_THAT(
      [&] { kldiv::parse_columns("v\n1\n2\nthree\n", "v.csv", n); },
      ThrowsMessage<kldiv::InvalidArgument>(
          "v.csv: line 4, column 'v': 'three' is not a finite number, but "
          "the column is named numeric"));
  kldiv::column_types bad;
  bad.numeric = {"w"};
  EXPECT_THAT([&] { kldiv::parse_columns("v\n1\n", "v.csv", bad); },
              ThrowsMessage<kldiv::InvalidArgument>(
                  "v.csv: no column 'w' (named as numeric)"));
  // An infinite value makes a column categorical unless it is named numeric.
  EXPECT_EQ(kldiv::parse_columns("v\n1\ninf\n", "i.csv")[0].kind,
            column_kind::categorical);
}

TEST(Dataset, RaggedFilesNameTheLine) {
  EXPECT_THAT([] { kldiv::parse_columns("a,b\n1,2\n3\n", "r.csv"); },
              ThrowsMessage<kldiv::IoError>(HasSubstr(
                  "r.csv: line 3 has 1 field, but the header has 2")));
}

TEST(Dataset, ReadsTextAndNpyFiles) {
  const auto c = kldiv::read_columns(KLDIV_TEST_DATA_DIR "/cli/colours_y.csv");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[1].name, "colour");
  EXPECT_THAT(c[1].labels, ElementsAre("red", "blue", "blue", "yellow"));
  // NPY: numeric columns named by index (fixture values as in test_io).
  const auto npy =
      kldiv::read_columns(KLDIV_TEST_DATA_DIR "/io/big_endian_f8.npy");
  ASSERT_EQ(npy.size(), 1u);
  EXPECT_EQ(npy[0].name, "0");
  EXPECT_THAT(npy[0].numbers, ElementsAre(0.1, 0.2, 0.7));
  EXPECT_EQ(npy[0].missing, 0u);
  EXPECT_THROW(kldiv::read_columns(KLDIV_TEST_DATA_DIR "/no_such_file.csv"),
               kldiv::IoError);
}

}  // namespace
