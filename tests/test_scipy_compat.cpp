// kldiv/scipy_compat.hpp: the error paths of the C++ API (its values are
// checked against SciPy itself in python/tests/test_scipy_compat.py), and
// SciPy's edge values worked by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "kldiv/error.hpp"
#include "kldiv/scipy_compat.hpp"

namespace {

using vec = std::vector<double>;

template <class Fn>
void expect_error(Fn call, const std::string& msg) {
  try {
    call();
    ADD_FAILURE() << "no exception; expected: " << msg;
  } catch (const kldiv::InvalidArgument& e) {
    EXPECT_EQ(std::string(e.what()), msg);
  }
}

TEST(ScipyCompat, ElementwiseEdgeValuesAsScipy) {
  const double inf = std::numeric_limits<double>::infinity();
  const vec x{0.5, 0.0, 0.0, -1.0, 1.0, NAN};
  const vec y{0.25, 0.3, 0.0, 1.0, 0.0, 1.0};
  vec r(6), k(6);
  kldiv::scipy_compat::rel_entr(x, y, r);
  kldiv::scipy_compat::kl_div(x, y, k);
  EXPECT_DOUBLE_EQ(r[0], 0.5 * std::log(2.0));
  EXPECT_EQ(r[1], 0.0);
  EXPECT_EQ(r[2], 0.0);
  EXPECT_EQ(r[3], inf);  // negative x: inf, not an error
  EXPECT_EQ(r[4], inf);
  EXPECT_TRUE(std::isnan(r[5]));
  EXPECT_DOUBLE_EQ(k[0], 0.5 * std::log(2.0) - 0.25);
  EXPECT_DOUBLE_EQ(k[1], 0.3);
  EXPECT_EQ(k[3], inf);
}

TEST(ScipyCompat, Errors) {
  vec out(2);
  expect_error(
      [&] {
        kldiv::scipy_compat::rel_entr(vec{1, 2}, vec{1}, out);
      },
      "x, y and out must have the same length");
  const vec a{0.5, 0.5, 0.5, 0.5}, b{1, 1, 1};
  const auto pa = kldiv::matrix_view<double>::dense(a.data(), 2, 2);
  const auto qb = kldiv::matrix_view<double>::dense(b.data(), 1, 3);
  expect_error([&] { kldiv::scipy_compat::entropy(pa, &qb, std::nullopt); },
               "pk and qk must have the same shape");
  expect_error([&] { kldiv::scipy_compat::entropy(pa, nullptr, -1.0); },
               "`base` must be a positive number or `None`.");
  expect_error(
      [&] { kldiv::scipy_compat::jensenshannon(pa, qb, std::nullopt); },
      "p and q must have the same shape");
}

}  // namespace
