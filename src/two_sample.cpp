// Two-sample tests. The Kolmogorov–Smirnov p-values follow the algorithms
// SciPy 1.10 uses, so that the numbers agree: the exact two-sided
// distribution of the two-sample D by lattice-path counting in the form of
// Viehmann (2021, arXiv:2102.08037: the fraction of paths that have left the
// band, a convex recursion with no cancellation), and the asymptotic one as
// the one-sample Kolmogorov distribution at the effective size, chosen among
// the algorithms of Simard & L'Ecuyer (2011, J. Stat. Softw. 39(11)):
// Ruben–Gambino at the ends, Durbin's matrix (Marsaglia, Tsang & Wang 2003),
// Pelz–Good's series, and twice the one-sided Smirnov tail.
#include "kldiv/two_sample.hpp"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "kldiv/error.hpp"

namespace kldiv {
namespace {

std::string format_value(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

// The sample checked (not empty, every value finite) and sorted.
std::vector<double> checked_sorted(std::span<const double> v,
                                   const char* name) {
  if (v.empty()) {
    throw InvalidArgument(std::string(name) +
                          " is empty: a sample needs at "
                          "least one value");
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) {
      throw InvalidArgument(std::string(name) + "[" + std::to_string(i) +
                            "] = " + format_value(v[i]) +
                            ": sample values must be finite");
    }
  }
  std::vector<double> s(v.begin(), v.end());
  std::sort(s.begin(), s.end());
  return s;
}

double clip01(double p) { return std::clamp(p, 0.0, 1.0); }

// ---------------------------------------------------------------------------
// The exact two-sided two-sample distribution: P(D >= h / lcm(n1, n2)).
//
// A path from (0, 0) to (n1, n2) steps +1 in a (a value of x) or in b (a
// value of y); it leaves the band when |a n2 - b n1| >= h g (g = gcd), i.e.
// |F_x - F_y| >= h / lcm. A(a, b), the fraction of the C(a + b, a) paths to
// (a, b) that have left it, is 1 outside the band and
//   A(a, b) = (a A(a - 1, b) + b A(a, b - 1)) / (a + b)
// inside (A(0, 0) = 0): convex combinations only, so small p-values keep
// their relative accuracy. One column in b is kept; only the band's window
// is updated, the entries below and above it being 1.
double ks_exact_outside(std::int64_t n1, std::int64_t n2, std::int64_t g,
                        std::int64_t h) {
  const std::int64_t hg = h * g;
  std::vector<double> col(static_cast<std::size_t>(n2) + 1);
  for (std::int64_t b = 0; b <= n2; ++b) col[b] = b * n1 < hg ? 0.0 : 1.0;
  std::int64_t lo_prev = 0;
  for (std::int64_t a = 1; a <= n1; ++a) {
    // inside: a n2 - hg < b n1 < a n2 + hg
    const std::int64_t below = a * n2 - hg;
    const std::int64_t lo = below < 0 ? 0 : below / n1 + 1;
    const std::int64_t hi = std::min((a * n2 + hg - 1) / n1, n2);
    if (lo > hi) return 1.0;  // every path leaves the band
    for (std::int64_t b = lo_prev; b < lo; ++b) col[b] = 1.0;
    const double da = static_cast<double>(a);
    for (std::int64_t b = lo; b <= hi; ++b) {
      const double left = b == 0 ? 0.0 : col[b - 1];
      const double db = static_cast<double>(b);
      col[b] = (da * col[b] + db * left) / (da + db);
    }
    lo_prev = lo;
  }
  return col[n2];
}

// ---------------------------------------------------------------------------
// The one-sample two-sided Kolmogorov distribution P(D_n >= x).

// ln(n! / n^n).
double log_factorial_over_power(int n) {
  const double dn = static_cast<double>(n);
  return std::lgamma(dn + 1.0) - dn * std::log(dn);
}

// The one-sided Smirnov tail P(D_n^+ >= x), 0 < x < 1, by Birnbaum &
// Tingey's finite sum x Σ_{j=0}^{⌊n(1-x)⌋} C(n, j) (1 - x - j/n)^(n-j)
// (x + j/n)^(j-1), every term positive, each taken through its logarithm.
double smirnov_sf(int n, double x) {
  const double dn = static_cast<double>(n);
  if (n > 1000000) {
    // Past 10^6 terms SciPy (scipy.special.smirnov) takes the asymptotic
    // exp(-(6 n x + 1)^2 / (18 n)) instead; so do we, to agree with it.
    const double a = 6.0 * dn * x + 1.0;
    return std::exp(-a * a / (18.0 * dn));
  }
  const double log_n_fact = std::lgamma(dn + 1.0);
  const int last = static_cast<int>(std::floor(dn * (1.0 - x)));
  double sum = 0.0;
  for (int j = 0; j <= last; ++j) {
    const double dj = static_cast<double>(j);
    const double rest = (dn - dj) / dn - x;  // 1 - x - j/n
    if (rest <= 0.0) break;
    const double log_term =
        log_n_fact - std::lgamma(dj + 1.0) - std::lgamma(dn - dj + 1.0) +
        (dn - dj) * std::log(rest) + (dj - 1.0) * std::log(x + dj / dn);
    sum += std::exp(log_term);
  }
  return x * sum;
}

// A square matrix of doubles with a binary exponent kept aside.
using matrix = std::vector<double>;

matrix multiply(const matrix& a, const matrix& b, int m) {
  matrix c(static_cast<std::size_t>(m) * m, 0.0);
  for (int i = 0; i < m; ++i) {
    for (int l = 0; l < m; ++l) {
      const double ail = a[i * m + l];
      if (ail == 0.0) continue;
      for (int j = 0; j < m; ++j) c[i * m + j] += ail * b[l * m + j];
    }
  }
  return c;
}

// Scales `a` by a power of 2 when its largest entry passes 2^128, adding the
// power to `exponent`.
void rescale(matrix& a, int& exponent) {
  double top = 0.0;
  for (const double v : a) top = std::max(top, std::fabs(v));
  if (top > 0x1p128) {
    for (double& v : a) v = std::ldexp(v, -128);
    exponent += 128;
  }
}

// P(D_n < x) by Durbin's matrix: with x = (k - t)/n, k a positive integer
// and 0 <= t < 1, it is n!/n^n (H^n)[k-1][k-1] for the (2k-1)-square H of
// Marsaglia, Tsang & Wang (2003). Exact; cost O(k^3 log n).
double durbin_cdf(int n, double x) {
  const double nx = static_cast<double>(n) * x;
  const int k = static_cast<int>(std::ceil(nx));
  const double t = k - nx;
  const int m = 2 * k - 1;
  matrix h(static_cast<std::size_t>(m) * m, 0.0);
  // 1/j! for j = 0..m
  std::vector<double> inv_fact(static_cast<std::size_t>(m) + 1, 1.0);
  for (int j = 1; j <= m; ++j) inv_fact[j] = inv_fact[j - 1] / j;
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < m; ++j) {
      if (i - j + 1 >= 0) h[i * m + j] = inv_fact[i - j + 1];
    }
  }
  for (int i = 0; i < m; ++i) {
    // first column and last row lose t^p / p!
    h[i * m + 0] -= std::pow(t, i + 1) * inv_fact[i + 1];
    h[(m - 1) * m + i] -= std::pow(t, m - i) * inv_fact[m - i];
  }
  if (2.0 * t - 1.0 > 0.0) {
    h[(m - 1) * m + 0] += std::pow(2.0 * t - 1.0, m) * inv_fact[m];
  }
  // H^n by squaring, with exponents kept aside.
  matrix power(static_cast<std::size_t>(m) * m, 0.0);
  for (int i = 0; i < m; ++i) power[i * m + i] = 1.0;
  int power_exp = 0, h_exp = 0;
  for (int e = n; e > 0; e >>= 1) {
    if (e & 1) {
      power = multiply(power, h, m);
      power_exp += h_exp;
      rescale(power, power_exp);
    }
    if (e > 1) {
      h = multiply(h, h, m);
      h_exp *= 2;
      rescale(h, h_exp);
    }
  }
  double p = power[(k - 1) * m + (k - 1)];
  // times n!/n^n, in steps i/n, rescaling away from underflow
  const double dn = static_cast<double>(n);
  for (int i = 1; i <= n; ++i) {
    p = p * i / dn;
    if (std::fabs(p) < 0x1p-128) {
      p = std::ldexp(p, 128);
      power_exp -= 128;
    }
  }
  return std::ldexp(p, power_exp);
}

// P(D_n <= x) by the series of Pelz & Good (1976) in z = sqrt(n) x:
// K0 + K1/sqrt(n) + K2/n + K3/n^(3/2), each a theta-type sum over odd
// (2k - 1) and, for K2 and K3, over all k. Accurate to about 5 digits
// against the exact distribution, and the value SciPy uses where it applies.
double pelz_good_cdf(int n, double x) {
  constexpr double pi = std::numbers::pi;
  constexpr double pi2 = pi * pi, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
  const double sqrt_2pi = std::sqrt(2.0 * pi);
  const double dn = static_cast<double>(n);
  const double z = std::sqrt(dn) * x;
  const double z2 = z * z, z4 = z2 * z2, z6 = z4 * z2, z8 = z4 * z4;
  if (-pi2 / (8.0 * z2) < -708.0) return 0.0;
  const int terms = static_cast<int>(std::ceil(16.0 * z / pi));
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  for (int k = 1; k <= terms; ++k) {
    const double odd = 2.0 * k - 1.0;  // m = 2k - 1; (k - 1/2)^2 = m^2 / 4
    const double m2 = odd * odd, m4 = m2 * m2, m6 = m4 * m2;
    const double e = std::exp(-m2 * pi2 / (8.0 * z2));
    s0 += e;
    s1 += (pi2 * m2 / 4.0 - z2) * e;
    s2 += (6.0 * z6 + 2.0 * z4 + pi2 * (2.0 * z4 - 5.0 * z2) * m2 / 4.0 +
           pi4 * (1.0 - 2.0 * z2) * m4 / 16.0) *
          e;
    s3 += (pi6 * (5.0 - 30.0 * z2) * m6 / 64.0 +
           pi4 * (212.0 * z4 - 60.0 * z2) * m4 / 16.0 +
           pi2 * (135.0 * z4 - 96.0 * z6) * m2 / 4.0 - 30.0 * z6 - 90.0 * z8) *
          e;
  }
  double t2 = 0.0, t3 = 0.0;
  for (int k = 1; k <= terms; ++k) {
    const double k2 = static_cast<double>(k) * k;
    const double e = std::exp(-pi2 * k2 / (2.0 * z2));
    t2 += k2 * e;
    t3 += (3.0 * z2 - pi2 * k2) * k2 * e;
  }
  const double k0 = sqrt_2pi / z * s0;
  const double k1 = sqrt_2pi / (6.0 * z4) * s1;
  const double k2 =
      sqrt_2pi / (72.0 * z6 * z) * s2 - pi2 * sqrt_2pi / (36.0 * z2 * z) * t2;
  const double k3 =
      sqrt_2pi / (6480.0 * z8 * z2) * s3 + pi2 * sqrt_2pi / (216.0 * z6) * t3;
  return k0 + k1 / std::sqrt(dn) + k2 / dn + k3 / (dn * std::sqrt(dn));
}

// P(D_n >= x) for the two-sided one-sample statistic (SciPy's kstwo.sf),
// choosing the algorithm as Simard & L'Ecuyer do (and SciPy with them).
double kolmogorov_sf(int n, double x) {
  if (x >= 1.0) return 0.0;
  if (x <= 0.0) return 1.0;
  const double dn = static_cast<double>(n);
  const double t = dn * x;
  if (t <= 1.0) {  // Ruben–Gambino: P(D_n < x) = n!/n^n (2t - 1)^n
    if (t <= 0.5) return 1.0;
    double cdf;
    if (n <= 140) {
      cdf = 1.0;
      for (int i = 1; i <= n; ++i) cdf *= i / dn * (2.0 * t - 1.0);
    } else {
      cdf =
          std::exp(log_factorial_over_power(n) + dn * std::log(2.0 * t - 1.0));
    }
    return clip01(1.0 - cdf);
  }
  if (t >= dn - 1.0) return clip01(2.0 * std::pow(1.0 - x, dn));
  if (x >= 0.5) return clip01(2.0 * smirnov_sf(n, x));
  const double nx2 = t * x;
  if (n <= 140) {
    // Durbin's matrix is exact; SciPy takes Pomeranz's recursion (also
    // exact) for 0.754693 < n x^2 <= 4.
    if (nx2 <= 4.0) return clip01(1.0 - durbin_cdf(n, x));
    return clip01(2.0 * smirnov_sf(n, x));
  }
  if (nx2 >= 370.0) return 0.0;
  if (nx2 >= 2.2) return clip01(2.0 * smirnov_sf(n, x));
  const double cdf = n <= 100000 && dn * std::pow(x, 1.5) <= 1.4
                         ? durbin_cdf(n, x)
                         : pelz_good_cdf(n, x);
  return clip01(1.0 - cdf);
}

// ---------------------------------------------------------------------------

struct moments {
  double mean = 0.0, variance = 0.0;  // variance with ddof 1
  std::size_t n = 0;
};

moments checked_moments(std::span<const double> v, const char* name) {
  if (v.size() < 2) {
    throw InvalidArgument(std::string(name) + " has " +
                          std::to_string(v.size()) +
                          " value(s): the test needs at least 2 per sample");
  }
  double sum = 0.0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) {
      throw InvalidArgument(std::string(name) + "[" + std::to_string(i) +
                            "] = " + format_value(v[i]) +
                            ": sample values must be finite");
    }
    sum += v[i];
  }
  moments m;
  m.n = v.size();
  m.mean = sum / static_cast<double>(m.n);
  double ss = 0.0;
  for (const double x : v) ss += (x - m.mean) * (x - m.mean);
  m.variance = ss / static_cast<double>(m.n - 1);
  return m;
}

struct welch_parts {
  double statistic, df;
};

welch_parts welch_statistic(std::span<const double> x,
                            std::span<const double> y) {
  const moments mx = checked_moments(x, "x");
  const moments my = checked_moments(y, "y");
  if (mx.variance == 0.0 && my.variance == 0.0) {
    throw InvalidArgument(
        "x and y are both constant (zero variance): the test of means is "
        "undefined");
  }
  const double vx = mx.variance / static_cast<double>(mx.n);
  const double vy = my.variance / static_cast<double>(my.n);
  const double se2 = vx + vy;
  const double df = se2 * se2 /
                    (vx * vx / static_cast<double>(mx.n - 1) +
                     vy * vy / static_cast<double>(my.n - 1));
  return {(mx.mean - my.mean) / std::sqrt(se2), df};
}

}  // namespace

test_result ks_2samp(std::span<const double> x, std::span<const double> y,
                     ks_method method) {
  const std::vector<double> xs = checked_sorted(x, "x");
  const std::vector<double> ys = checked_sorted(y, "y");
  const std::int64_t n1 = static_cast<std::int64_t>(xs.size());
  const std::int64_t n2 = static_cast<std::int64_t>(ys.size());

  // D n1 n2 = max |i n2 - j n1| over the merged values, i and j the counts
  // of x and y at or below each value; ties step both CDFs at once.
  std::int64_t best = 0, best_i = 0, best_j = 0;
  std::size_t tied = 0;
  {
    std::size_t i = 0, j = 0;
    while (i < xs.size() || j < ys.size()) {
      const double v = j == ys.size()   ? xs[i]
                       : i == xs.size() ? ys[j]
                                        : std::min(xs[i], ys[j]);
      std::size_t copies = 0;
      while (i < xs.size() && xs[i] == v) {
        ++i;
        ++copies;
      }
      while (j < ys.size() && ys[j] == v) {
        ++j;
        ++copies;
      }
      if (copies > 1) tied += copies;
      const std::int64_t diff =
          static_cast<std::int64_t>(i) * n2 - static_cast<std::int64_t>(j) * n1;
      if (std::llabs(diff) > best) {
        best = std::llabs(diff);
        best_i = static_cast<std::int64_t>(i);
        best_j = static_cast<std::int64_t>(j);
      }
    }
  }
  const double d_float =
      std::fabs(static_cast<double>(best_i) / static_cast<double>(n1) -
                static_cast<double>(best_j) / static_cast<double>(n2));

  test_result r;
  if (tied > 0) {
    r.warnings.push_back(
        std::to_string(tied) +
        " values are tied (within or across the samples): the p-value is "
        "that of continuous data, conservative with ties");
  }
  const std::int64_t g = std::gcd(n1, n2);
  const std::int64_t n1g = n1 / g, n2g = n2 / g;  // exact divisions
  bool exact = method == ks_method::exact ||
               (method == ks_method::automatic && std::max(n1, n2) <= 10000);
  // SciPy's test, in floating point: n1/g >= (2^31 - 1) / (n2/g).
  if (method == ks_method::exact &&
      static_cast<double>(n1g) >=
          static_cast<double>(std::numeric_limits<std::int32_t>::max()) /
              static_cast<double>(n2g)) {
    exact = false;
    r.warnings.push_back("exact p-value not possible with sample sizes " +
                         std::to_string(n1) + " and " + std::to_string(n2) +
                         " (lcm too large): asymptotic p-value given");
  }
  if (exact) {
    const std::int64_t lcm = n1g * n2;
    const std::int64_t h = best / g;  // D lcm, a whole number
    r.statistic = static_cast<double>(h) / static_cast<double>(lcm);
    r.p_value = h == 0 ? 1.0 : clip01(ks_exact_outside(n1, n2, g, h));
    r.method = "exact";
    return r;
  }
  const double en = static_cast<double>(n1) * static_cast<double>(n2) /
                    (static_cast<double>(n1) + static_cast<double>(n2));
  const double size = std::nearbyint(en);  // half to even, as NumPy rounds
  if (size < 1.0) {
    throw InvalidArgument(
        "ks_2samp: the asymptotic p-value needs n m / (n + m) >= 1/2 rounded "
        "to at least 1 (x and y have " +
        std::to_string(n1) + " and " + std::to_string(n2) +
        " values); use the exact method");
  }
  r.statistic = d_float;
  r.p_value = kolmogorov_sf(static_cast<int>(size), d_float);
  r.method = "asymptotic";
  return r;
}

test_result welch_t(std::span<const double> x, std::span<const double> y) {
  const welch_parts w = welch_statistic(x, y);
  const boost::math::students_t dist(w.df);
  test_result r;
  r.statistic = w.statistic;
  r.df = w.df;
  r.p_value = clip01(2.0 * boost::math::cdf(boost::math::complement(
                               dist, std::fabs(w.statistic))));
  r.method = "student t";
  return r;
}

test_result z_test_means(std::span<const double> x, std::span<const double> y) {
  const welch_parts w = welch_statistic(x, y);
  test_result r;
  r.statistic = w.statistic;
  // 2 P(Z > |z|) = erfc(|z| / sqrt 2)
  r.p_value = clip01(std::erfc(std::fabs(w.statistic) / std::numbers::sqrt2));
  r.method = "normal";
  return r;
}

test_result chi2_categories(std::span<const std::size_t> x_counts,
                            std::span<const std::size_t> y_counts) {
  if (x_counts.size() != y_counts.size()) {
    throw InvalidArgument("x_counts has " + std::to_string(x_counts.size()) +
                          " categories and y_counts " +
                          std::to_string(y_counts.size()) +
                          ": the counts must be of the same categories");
  }
  std::vector<double> ox, oy;
  double nx = 0.0, ny = 0.0;
  for (std::size_t k = 0; k < x_counts.size(); ++k) {
    if (x_counts[k] == 0 && y_counts[k] == 0) continue;
    ox.push_back(static_cast<double>(x_counts[k]));
    oy.push_back(static_cast<double>(y_counts[k]));
    nx += ox.back();
    ny += oy.back();
  }
  if (nx == 0.0) {
    throw InvalidArgument(
        "x_counts sum to 0: a sample needs at least one "
        "observation");
  }
  if (ny == 0.0) {
    throw InvalidArgument(
        "y_counts sum to 0: a sample needs at least one "
        "observation");
  }
  const std::size_t kept = ox.size();
  if (kept < 2) {
    throw InvalidArgument(
        "chi2_categories: " + std::to_string(kept) + " category observed (of " +
        std::to_string(x_counts.size()) +
        " given): the test needs at least 2 categories with counts");
  }
  test_result r;
  if (kept < x_counts.size()) {
    r.warnings.push_back(std::to_string(x_counts.size() - kept) +
                         " categories with no count in either sample dropped");
  }
  const double total = nx + ny;
  const double df = static_cast<double>(kept - 1);
  const bool yates = kept == 2;
  double chi2 = 0.0;
  for (std::size_t k = 0; k < kept; ++k) {
    const double column = ox[k] + oy[k];
    for (const auto& [observed, row] : {std::pair{ox[k], nx}, {oy[k], ny}}) {
      const double expected = row * column / total;
      double diff = observed - expected;
      if (yates) {
        // move the observed count toward the expected one by at most 1/2
        const double shift = std::min(0.5, std::fabs(diff));
        diff = diff > 0.0 ? diff - shift : diff + shift;
      }
      chi2 += diff * diff / expected;
    }
  }
  r.statistic = chi2;
  r.df = df;
  r.p_value = clip01(boost::math::cdf(
      boost::math::complement(boost::math::chi_squared(df), chi2)));
  r.method = yates ? "chi-square, Yates-corrected" : "chi-square";
  return r;
}

test_result chi2_goodness_of_fit(std::span<const std::size_t> observed,
                                 std::span<const double> expected,
                                 double tolerance) {
  if (observed.size() != expected.size()) {
    throw InvalidArgument("observed has " + std::to_string(observed.size()) +
                          " categories and expected " +
                          std::to_string(expected.size()) +
                          ": they must be of the same categories");
  }
  double n = 0.0, sum_q = 0.0;
  for (std::size_t k = 0; k < expected.size(); ++k) {
    const double q = expected[k];
    if (!(q >= 0.0 && q <= 1.0)) {
      throw InvalidArgument("expected[" + std::to_string(k) +
                            "] = " + format_value(q) +
                            ": proportions must be in [0, 1]");
    }
    sum_q += q;
    n += static_cast<double>(observed[k]);
  }
  if (n == 0.0) {
    throw InvalidArgument(
        "observed counts sum to 0: the test needs at least one observation");
  }
  if (std::fabs(sum_q - 1.0) > tolerance) {
    throw InvalidArgument("expected sums to " + format_value(sum_q) +
                          ": proportions must sum to 1 (within " +
                          format_value(tolerance) + ")");
  }
  std::size_t kept = 0;
  double chi2 = 0.0;
  for (std::size_t k = 0; k < expected.size(); ++k) {
    const double o = static_cast<double>(observed[k]);
    if (expected[k] == 0.0) {
      if (o == 0.0) continue;
      chi2 = std::numeric_limits<double>::infinity();
    } else {
      const double e = n * expected[k] / sum_q;
      chi2 += (o - e) * (o - e) / e;
    }
    ++kept;
  }
  if (kept < 2) {
    throw InvalidArgument("chi2_goodness_of_fit: " + std::to_string(kept) +
                          " category with a count or a proportion (of " +
                          std::to_string(expected.size()) +
                          " given): the test needs at least 2 categories");
  }
  test_result r;
  if (kept < expected.size()) {
    r.warnings.push_back(
        std::to_string(expected.size() - kept) +
        " categories with no count and a zero proportion dropped");
  }
  const double df = static_cast<double>(kept - 1);
  r.statistic = chi2;
  r.df = df;
  r.p_value = std::isinf(chi2)
                  ? 0.0
                  : clip01(boost::math::cdf(boost::math::complement(
                        boost::math::chi_squared(df), chi2)));
  r.method = "chi-square";
  return r;
}

double wasserstein_1(std::span<const double> x, std::span<const double> y) {
  const std::vector<double> xs = checked_sorted(x, "x");
  const std::vector<double> ys = checked_sorted(y, "y");
  const double n1 = static_cast<double>(xs.size());
  const double n2 = static_cast<double>(ys.size());
  // ∫ |F_x - F_y| over the merged values: between consecutive distinct
  // values both CDFs are constant.
  std::size_t i = 0, j = 0;
  double sum = 0.0;
  double prev = std::min(xs.front(), ys.front());
  while (i < xs.size() || j < ys.size()) {
    const double v = j == ys.size()   ? xs[i]
                     : i == xs.size() ? ys[j]
                                      : std::min(xs[i], ys[j]);
    sum +=
        std::fabs(static_cast<double>(i) / n1 - static_cast<double>(j) / n2) *
        (v - prev);
    while (i < xs.size() && xs[i] == v) ++i;
    while (j < ys.size() && ys[j] == v) ++j;
    prev = v;
  }
  return sum;
}

double psi(std::span<const double> p, std::span<const double> q,
           double tolerance) {
  if (p.size() != q.size()) {
    throw InvalidArgument("p has " + std::to_string(p.size()) + " bins and q " +
                          std::to_string(q.size()) +
                          ": the proportions must be of the same bins");
  }
  if (p.empty()) throw InvalidArgument("p and q are empty: no bins");
  double sum_p = 0.0, sum_q = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    for (const auto& [v, name] : {std::pair{p[i], "p"}, {q[i], "q"}}) {
      if (!(v >= 0.0 && v <= 1.0)) {
        throw InvalidArgument(std::string(name) + "[" + std::to_string(i) +
                              "] = " + format_value(v) +
                              ": proportions must be in [0, 1]");
      }
    }
    sum_p += p[i];
    sum_q += q[i];
  }
  for (const auto& [s, name] : {std::pair{sum_p, "p"}, {sum_q, "q"}}) {
    if (std::fabs(s - 1.0) > tolerance) {
      throw InvalidArgument(std::string(name) + " sums to " + format_value(s) +
                            ": proportions must sum to 1 (within " +
                            format_value(tolerance) + ")");
    }
  }
  double index = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == q[i]) continue;  // both 0 included
    if (p[i] == 0.0 || q[i] == 0.0) {
      return std::numeric_limits<double>::infinity();
    }
    index += (p[i] - q[i]) * std::log(p[i] / q[i]);
  }
  return index;
}

}  // namespace kldiv
