// Batches of Gaussian pairs: sizes and broadcasting, blocks over OpenMP
// threads (each block or row computed by one thread, so any thread count
// gives the same bits), and the messages for bad parameters (found by a
// scalar scan once a kernel reports one).
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "format_number.hpp"
#include "kldiv/distributions.hpp"
#include "kldiv/error.hpp"
#include "simd/gauss_kernels.hpp"

namespace kldiv {
namespace {

using detail::format_number;

constexpr std::size_t kBlock = 8192;

int thread_count(int threads, std::size_t tasks, std::size_t work) {
  if (tasks < 2 || work < (std::size_t{1} << 15)) return 1;
  const int wanted = threads > 0 ? threads : omp_get_max_threads();
  return static_cast<int>(
      std::min<std::size_t>(static_cast<std::size_t>(wanted), tasks));
}

void check_threads(int threads) {
  if (threads < 0) {
    throw InvalidArgument("threads = " + std::to_string(threads) +
                          ": must be >= 0 (0: OpenMP's default)");
  }
}

// The message for a bad value, or "" for a good one.
std::string bad_scale(const std::string& where, double v) {
  if (v > 0.0 && v < std::numeric_limits<double>::infinity()) return {};
  return where + " = " + format_number(v) + ", but must be > 0 and finite";
}
std::string bad_loc(const std::string& where, double v) {
  if (std::isfinite(v)) return {};
  return where + " = " + format_number(v) + ", but must be finite";
}

std::size_t checked_size(std::span<const double> x, const char* name,
                         std::size_t n) {
  if (x.size() == n) return 1;
  if (x.size() == 1) return 0;
  throw InvalidArgument(std::string(name) + " has " + std::to_string(x.size()) +
                        " entries for " + std::to_string(n) +
                        " pairs: it needs that many, or 1 for all");
}

}  // namespace

void kl_normal(std::span<const double> loc_p, std::span<const double> scale_p,
               std::span<const double> loc_q, std::span<const double> scale_q,
               std::span<double> out, int threads) {
  check_threads(threads);
  const std::size_t n = out.size();
  if (n == 0) return;
  const detail::gauss_inputs in{loc_p.data(),
                                scale_p.data(),
                                loc_q.data(),
                                scale_q.data(),
                                checked_size(loc_p, "loc_p", n),
                                checked_size(scale_p, "scale_p", n),
                                checked_size(loc_q, "loc_q", n),
                                checked_size(scale_q, "scale_q", n)};
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<unsigned char> bad(blocks, 0);
  const int t = thread_count(threads, blocks, n);
  const auto nb = static_cast<std::ptrdiff_t>(blocks);
#pragma omp parallel for schedule(static) num_threads(t) if (t > 1)
  for (std::ptrdiff_t b = 0; b < nb; ++b) {
    const std::size_t begin = static_cast<std::size_t>(b) * kBlock;
    detail::gauss_inputs part = in;
    part.loc_p += begin * in.stride_loc_p;
    part.scale_p += begin * in.stride_scale_p;
    part.loc_q += begin * in.stride_loc_q;
    part.scale_q += begin * in.stride_scale_q;
    double sum = 0.0;
    bool wrong = false;
    detail::gauss_kl_run(part, std::min(kBlock, n - begin), out.data() + begin,
                         &sum, &wrong);
    bad[static_cast<std::size_t>(b)] = wrong;
  }
  if (std::find(bad.begin(), bad.end(), 1) == bad.end()) return;
  for (std::size_t i = 0; i < n; ++i) {
    const auto at = [i](const char* name, std::size_t stride) {
      return std::string(name) + "[" + std::to_string(i * stride) + "]";
    };
    for (const std::string& m :
         {bad_loc(at("loc_p", in.stride_loc_p), loc_p[i * in.stride_loc_p]),
          bad_scale(at("scale_p", in.stride_scale_p),
                    scale_p[i * in.stride_scale_p]),
          bad_loc(at("loc_q", in.stride_loc_q), loc_q[i * in.stride_loc_q]),
          bad_scale(at("scale_q", in.stride_scale_q),
                    scale_q[i * in.stride_scale_q])}) {
      if (!m.empty()) throw InvalidArgument(m);
    }
  }
}

namespace {

// Row r of a rows x d matrix (or its only row), contiguous: a pointer into
// it, or a copy in buf.
const double* row_of(const matrix_view<double>& m, std::size_t r,
                     std::vector<double>& buf) {
  const std::size_t row = m.rows == 1 ? 0 : r;
  const double* start = m.data + row * m.row_stride;
  if (m.col_stride == 1) return start;
  buf.resize(m.cols);
  for (std::size_t c = 0; c < m.cols; ++c) buf[c] = start[c * m.col_stride];
  return buf.data();
}

void check_matrix(const matrix_view<double>& m, const char* name,
                  std::size_t rows, std::size_t cols) {
  if ((m.rows != rows && m.rows != 1) || m.cols != cols) {
    throw InvalidArgument(std::string(name) + " is " + std::to_string(m.rows) +
                          " x " + std::to_string(m.cols) + ", but must be " +
                          std::to_string(rows) + " x " + std::to_string(cols) +
                          " (or 1 x " + std::to_string(cols) +
                          " for all rows)");
  }
}

// The first bad entry of row r of m, as a message (or "").
template <class Check>
std::string first_bad(const matrix_view<double>& m, const char* name,
                      std::size_t r, Check check) {
  const std::size_t row = m.rows == 1 ? 0 : r;
  for (std::size_t c = 0; c < m.cols; ++c) {
    auto msg = check(std::string(name) + "[" + std::to_string(row) + ", " +
                         std::to_string(c) + "]",
                     m(row, c));
    if (!msg.empty()) return msg;
  }
  return {};
}

}  // namespace

void kl_diag_normal(const matrix_view<double>& loc_p,
                    const matrix_view<double>& scale_p,
                    const matrix_view<double>& loc_q,
                    const matrix_view<double>& scale_q, std::span<double> out,
                    int threads) {
  check_threads(threads);
  const std::size_t rows = out.size(), d = loc_p.cols;
  check_matrix(loc_p, "loc_p", rows, d);
  check_matrix(scale_p, "scale_p", rows, d);
  check_matrix(loc_q, "loc_q", rows, d);
  check_matrix(scale_q, "scale_q", rows, d);
  if (rows == 0) return;
  std::vector<unsigned char> bad(rows, 0);
  const int t = thread_count(threads, rows, rows * d);
  const auto dense = [rows, d](const matrix_view<double>& m) {
    return m.rows == rows && m.col_stride == 1 && m.row_stride == d;
  };
  if (dense(loc_p) && dense(scale_p) && dense(loc_q) && dense(scale_q)) {
    // One kernel run over many rows at once (short rows would spend their
    // time in per-row calls), each component's KL into a buffer, then each
    // row's sum in order: the same bits for any thread count and block.
    const std::size_t block = std::max<std::size_t>(1, 4096 / d);
    const auto blocks = static_cast<std::ptrdiff_t>((rows + block - 1) / block);
#pragma omp parallel num_threads(t) if (t > 1)
    {
      std::vector<double> buf(block * d);
#pragma omp for schedule(static)
      for (std::ptrdiff_t b = 0; b < blocks; ++b) {
        const std::size_t r0 = static_cast<std::size_t>(b) * block;
        const std::size_t n = std::min(block, rows - r0);
        const std::size_t off = r0 * d;
        const detail::gauss_inputs in{loc_p.data + off,
                                      scale_p.data + off,
                                      loc_q.data + off,
                                      scale_q.data + off,
                                      1,
                                      1,
                                      1,
                                      1};
        double ignored = 0.0;
        bool wrong = false;
        detail::gauss_kl_run(in, n * d, buf.data(), &ignored, &wrong);
        for (std::size_t r = 0; r < n; ++r) {
          double s = 0.0;
          for (std::size_t j = 0; j < d; ++j) s += buf[r * d + j];
          out[r0 + r] = s;
          bad[r0 + r] = wrong;
        }
      }
    }
  } else {
#pragma omp parallel num_threads(t) if (t > 1)
    {
      std::vector<double> b0, b1, b2, b3, elems;
#pragma omp for schedule(static)
      for (std::size_t r = 0; r < rows; ++r) {
        const detail::gauss_inputs in{row_of(loc_p, r, b0),
                                      row_of(scale_p, r, b1),
                                      row_of(loc_q, r, b2),
                                      row_of(scale_q, r, b3),
                                      1,
                                      1,
                                      1,
                                      1};
        bool wrong = false;
        double ignored = 0.0;
        // Each component into a buffer and the row summed in order, as in
        // the dense path above: broadcast rows give the same bits.
        elems.resize(d);
        detail::gauss_kl_run(in, d, elems.data(), &ignored, &wrong);
        double sum = 0.0;
        for (std::size_t j = 0; j < d; ++j) sum += elems[j];
        out[r] = sum;
        bad[r] = wrong;
      }
    }
  }
  for (std::size_t r = 0; r < rows; ++r) {
    if (!bad[r]) continue;
    for (const auto& m : {first_bad(loc_p, "loc_p", r, bad_loc),
                          first_bad(scale_p, "scale_p", r, bad_scale),
                          first_bad(loc_q, "loc_q", r, bad_loc),
                          first_bad(scale_q, "scale_q", r, bad_scale)}) {
      if (!m.empty()) throw InvalidArgument(m);
    }
  }
}

void vae_kl(const matrix_view<double>& mu, const matrix_view<double>& logvar,
            std::span<double> out, std::span<double> grad_mu,
            std::span<double> grad_logvar, int threads) {
  check_threads(threads);
  const std::size_t rows = mu.rows, d = mu.cols;
  if (logvar.rows != rows || logvar.cols != d) {
    throw InvalidArgument(
        "mu is " + std::to_string(rows) + " x " + std::to_string(d) +
        " but logvar is " + std::to_string(logvar.rows) + " x " +
        std::to_string(logvar.cols) + ": they must have the same shape");
  }
  if (out.size() != rows) {
    throw InvalidArgument("out has " + std::to_string(out.size()) +
                          " entries for " + std::to_string(rows) + " rows");
  }
  for (const auto& [g, name] :
       {std::pair{grad_mu, "grad_mu"}, std::pair{grad_logvar, "grad_logvar"}}) {
    if (!g.empty() && g.size() != rows * d) {
      throw InvalidArgument(std::string(name) + " has room for " +
                            std::to_string(g.size()) + " values, not " +
                            std::to_string(rows) + " x " + std::to_string(d));
    }
  }
  std::vector<unsigned char> bad(rows, 0);
  const int t = thread_count(threads, rows, rows * d);
#pragma omp parallel num_threads(t) if (t > 1)
  {
    std::vector<double> b0, b1;
#pragma omp for schedule(static)
    for (std::size_t r = 0; r < rows; ++r) {
      bool wrong = false;
      detail::vae_run(
          row_of(mu, r, b0), row_of(logvar, r, b1), d,
          grad_mu.empty() ? nullptr : grad_mu.data() + r * d,
          grad_logvar.empty() ? nullptr : grad_logvar.data() + r * d, &out[r],
          &wrong);
      bad[r] = wrong;
    }
  }
  for (std::size_t r = 0; r < rows; ++r) {
    if (!bad[r]) continue;
    for (const auto& m : {first_bad(mu, "mu", r, bad_loc),
                          first_bad(logvar, "logvar", r, bad_loc)}) {
      if (!m.empty()) throw InvalidArgument(m);
    }
  }
}

}  // namespace kldiv
