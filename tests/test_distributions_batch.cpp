// The batched Gaussian KLs (kl_normal, kl_diag_normal, vae_kl) against
// mpmath (tools/gen_gauss_batch_reference.py) on every SIMD target, with
// broadcasting, identical inputs, thread-count identity and every message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kldiv/distributions.hpp"
#include "kldiv/error.hpp"
#include "kldiv/simd.hpp"
#include "support/test_support.hpp"

namespace {

using kldiv::matrix_view;
using json = nlohmann::json;

constexpr double kInf = std::numeric_limits<double>::infinity();

const json& reference() {
  return kldiv_test::reference_file("gauss_batch_reference.json");
}

std::vector<double> numbers(const json& a) {
  std::vector<double> v;
  for (const auto& x : a) v.push_back(x.is_string() ? kInf : x.get<double>());
  return v;
}

void expect_close(double got, double want, double rel,
                  const std::string& what) {
  if (std::isinf(want)) {
    EXPECT_EQ(got, want) << what;
  } else {
    EXPECT_NEAR(got, want, rel * std::fabs(want) + 1e-300) << what;
  }
}

template <class Fn>
void on_every_target(Fn check) {
  for (const auto& t : kldiv::simd_targets()) {
    kldiv::limit_simd_target(t);
    SCOPED_TRACE("target " + t);
    check();
  }
  kldiv::limit_simd_target("");
}

TEST(BatchNormal, AgainstMpmathOnEveryTarget) {
  const auto& p = reference()["pairs"];
  const auto mp = numbers(p["loc_p"]), sp = numbers(p["scale_p"]);
  const auto mq = numbers(p["loc_q"]), sq = numbers(p["scale_q"]);
  const auto want = numbers(p["kl"]);
  on_every_target([&] {
    std::vector<double> out(want.size());
    kldiv::kl_normal(mp, sp, mq, sq, out);
    for (std::size_t i = 0; i < out.size(); ++i) {
      expect_close(out[i], want[i], 4e-15, "pair " + std::to_string(i));
    }
  });
}

TEST(BatchNormal, IdenticalIsZeroAndBroadcasting) {
  const std::vector<double> loc{0.5, -3.0, 1e10}, scale{2.0, 1e-300, 7.0};
  std::vector<double> out(3, -1.0);
  kldiv::kl_normal(loc, scale, loc, scale, out);
  for (double v : out) EXPECT_EQ(v, 0.0);
  // One q for every p: KL(N(m, 1) || N(0, 1)) = m^2 / 2, by hand.
  const std::vector<double> m{0.0, 1.0, 2.0, 3.0}, one{1.0}, zero{0.0};
  std::vector<double> o(4);
  kldiv::kl_normal(m, one, zero, one, o);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(o[i], m[i] * m[i] / 2);
}

TEST(BatchNormal, BitIdenticalForAnyThreadCount) {
  const std::size_t n = 100'003;
  std::vector<double> mp(n), sp(n), mq(n), sq(n);
  for (std::size_t i = 0; i < n; ++i) {
    mp[i] = std::sin(0.1 * static_cast<double>(i));
    sp[i] = 1.0 + 0.5 * std::cos(0.37 * static_cast<double>(i));
    mq[i] = std::cos(0.05 * static_cast<double>(i));
    sq[i] = 1.2 + 0.3 * std::sin(0.11 * static_cast<double>(i));
  }
  std::vector<double> one(n), other(n);
  kldiv::kl_normal(mp, sp, mq, sq, one, 1);
  for (int t : {2, 7}) {
    kldiv::kl_normal(mp, sp, mq, sq, other, t);
    EXPECT_EQ(other, one);
  }
}

TEST(BatchNormal, ErrorsNameTheInputAndIndex) {
  const std::vector<double> good{0.0, 1.0, 2.0}, scale{1.0, 1.0, 1.0};
  std::vector<double> bad_scale{1.0, 2.0, -1.0}, out(3);
  const auto message = [&](auto fn) {
    try {
      fn();
    } catch (const kldiv::InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(
      message([&] { kldiv::kl_normal(good, scale, good, bad_scale, out); }),
      "scale_q[2] = -1, but must be > 0 and finite");
  bad_scale[0] = std::nan("");
  EXPECT_EQ(
      message([&] { kldiv::kl_normal(good, bad_scale, good, scale, out); }),
      "scale_p[0] = nan, but must be > 0 and finite");
  const std::vector<double> inf_loc{kInf};
  EXPECT_EQ(
      message([&] { kldiv::kl_normal(inf_loc, scale, good, scale, out); }),
      "loc_p[0] = inf, but must be finite");
  // Each bad value alone (the kernel must not lose a NaN), and negative
  // scales on both sides (whose ratio looks fine).
  for (std::size_t i = 0; i < 3; ++i) {
    std::vector<double> s = scale, l = good;
    s[i] = std::nan("");
    EXPECT_EQ(message([&] { kldiv::kl_normal(good, scale, good, s, out); }),
              "scale_q[" + std::to_string(i) +
                  "] = nan, but must be > 0 and "
                  "finite");
    l[i] = -kInf;
    EXPECT_EQ(message([&] { kldiv::kl_normal(good, scale, l, scale, out); }),
              "loc_q[" + std::to_string(i) + "] = -inf, but must be finite");
  }
  const std::vector<double> neg{-1.0, -1.0, -2.0};
  EXPECT_EQ(message([&] { kldiv::kl_normal(good, neg, good, neg, out); }),
            "scale_p[0] = -1, but must be > 0 and finite");
  const std::vector<double> two{1.0, 2.0};
  EXPECT_EQ(message([&] { kldiv::kl_normal(good, two, good, scale, out); }),
            "scale_p has 2 entries for 3 pairs: it needs that many, or 1 for "
            "all");
}

TEST(BatchDiagNormal, AgainstMpmathOnEveryTarget) {
  const auto& r = reference()["diag"];
  const auto rows = r["rows"].get<std::size_t>(), d = r["d"].get<std::size_t>();
  const auto mp = numbers(r["loc_p"]), sp = numbers(r["scale_p"]);
  const auto mq = numbers(r["loc_q"]), sq = numbers(r["scale_q"]);
  const auto want = numbers(r["kl"]);
  const auto m = [&](const std::vector<double>& v) {
    return matrix_view<double>::dense(v.data(), rows, d);
  };
  on_every_target([&] {
    std::vector<double> out(rows);
    kldiv::kl_diag_normal(m(mp), m(sp), m(mq), m(sq), out);
    for (std::size_t i = 0; i < rows; ++i) {
      expect_close(out[i], want[i], 1e-14, "row " + std::to_string(i));
    }
  });
  // A standard normal q as one row for all: the same as repeating it.
  std::vector<double> zeros(d, 0.0), ones(d, 1.0), z(rows * d, 0.0),
      o(rows * d, 1.0), a(rows), b(rows);
  kldiv::kl_diag_normal(m(mp), m(sp),
                        matrix_view<double>::dense(zeros.data(), 1, d),
                        matrix_view<double>::dense(ones.data(), 1, d), a);
  kldiv::kl_diag_normal(m(mp), m(sp), m(z), m(o), b);
  EXPECT_EQ(a, b);
}

TEST(BatchVae, ValuesAndGradientsAgainstMpmath) {
  const auto& r = reference()["vae"];
  const auto rows = r["rows"].get<std::size_t>(), d = r["d"].get<std::size_t>();
  const auto mu = numbers(r["mu"]), lv = numbers(r["logvar"]);
  const auto want = numbers(r["kl"]), want_g = numbers(r["grad_logvar"]);
  on_every_target([&] {
    std::vector<double> out(rows), gm(rows * d), gl(rows * d);
    kldiv::vae_kl(matrix_view<double>::dense(mu.data(), rows, d),
                  matrix_view<double>::dense(lv.data(), rows, d), out, gm, gl);
    for (std::size_t i = 0; i < rows; ++i) {
      expect_close(out[i], want[i], 1e-14, "row " + std::to_string(i));
    }
    for (std::size_t i = 0; i < rows * d; ++i) {
      EXPECT_EQ(gm[i], mu[i]);
      expect_close(gl[i], want_g[i], 4e-16 * 8, "grad " + std::to_string(i));
    }
  });
}

TEST(BatchVae, BadValuesAreNamed) {
  std::vector<double> mu(6, 0.5), lv(6, 0.1), out(2);
  lv[4] = std::nan("");
  const auto m = [&](const std::vector<double>& v) {
    return matrix_view<double>::dense(v.data(), 2, 3);
  };
  try {
    kldiv::vae_kl(m(mu), m(lv), out);
    FAIL();
  } catch (const kldiv::InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "logvar[1, 1] = nan, but must be finite");
  }
  lv[4] = 0.0;
  mu[0] = kInf;
  try {
    kldiv::vae_kl(m(mu), m(lv), out);
    FAIL();
  } catch (const kldiv::InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "mu[0, 0] = inf, but must be finite");
  }
}

}  // namespace
