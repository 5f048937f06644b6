// kldiv._kldiv: the C++ library as a Python extension. A thin layer: arrays
// in (float32 or float64, any non-negative element strides: no copy), the
// library called with the GIL released, arrays or floats out. Shape handling
// (axis, broadcasting, keepdims) is in kldiv/__init__.py; no maths is here.
#include <omp.h>
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kldiv/compare.hpp"
#include "kldiv/fit.hpp"
#include "kldiv/kldiv.hpp"
#include "kldiv/report.hpp"

namespace py = pybind11;

namespace {

// A 2-D array (rows x cols) of T, viewed without copying. The Python side
// guarantees the dtype, two dimensions and non-negative strides that are
// multiples of the item size.
template <class T>
kldiv::matrix_view<T> view(const py::array& a) {
  if (a.ndim() != 2) throw std::invalid_argument("expected a 2-D array");
  const auto item = static_cast<py::ssize_t>(sizeof(T));
  return {static_cast<const T*>(a.data()), static_cast<std::size_t>(a.shape(0)),
          static_cast<std::size_t>(a.shape(1)),
          static_cast<std::size_t>(a.strides(0) / item),
          static_cast<std::size_t>(a.strides(1) / item)};
}

bool is_float32(const py::array& a) {
  return a.dtype().is(py::dtype::of<float>());
}

kldiv::discrete_options make_options(std::optional<double> base,
                                     const std::string& kind,
                                     const std::string& smooth_kind,
                                     double smooth_amount,
                                     std::optional<double> tolerance,
                                     bool validate, int threads) {
  kldiv::discrete_options opt;
  if (base) opt.base = kldiv::log_base(*base);
  if (kind == "weights") {
    opt.kind = kldiv::input_kind::weights;
  } else if (kind == "counts") {
    opt.kind = kldiv::input_kind::counts;
  }
  if (smooth_kind == "additive") {
    opt.smooth = kldiv::smoothing::additive(smooth_amount);
  } else if (smooth_kind == "uniform_mix") {
    opt.smooth = kldiv::smoothing::uniform_mix(smooth_amount);
  }
  opt.tolerance = tolerance;
  opt.validate = validate;
  opt.threads = threads;
  return opt;
}

kldiv::measure measure_named(const std::string& name) {
  if (auto m = kldiv::measure_from_name(name)) return *m;
  throw kldiv::InvalidArgument("'" + name + "' is not a measure");
}

py::array_t<double> to_array(std::vector<double>&& v) {
  py::array_t<double> out(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

// One measure for each row pair of p and q (2-D, same dtype). With `single`,
// p and q hold one row each and the vector form runs, so that errors name
// "p[17]" rather than "p[0][17]".
py::object measure_rows(const std::string& name, const py::array& p,
                        const py::array& q, bool single,
                        const kldiv::discrete_options& opt, double alpha,
                        double pi1, double pi2) {
  const kldiv::measure m = measure_named(name);
  kldiv::measure_params params;
  params.alpha = alpha;
  params.weights = {pi1, pi2};
  std::vector<double> result;
  {
    py::gil_scoped_release release;
    const auto run = [&](auto tag) {
      using T = decltype(tag);
      const auto pv = view<T>(p), qv = view<T>(q);
      if (single && pv.contiguous_rows() && qv.contiguous_rows()) {
        result = {kldiv::evaluate(m, std::span<const T>(pv.data, pv.cols),
                                  std::span<const T>(qv.data, qv.cols), opt,
                                  params)};
      } else {
        result = kldiv::evaluate(m, pv, qv, opt, params);
      }
    };
    if (is_float32(p)) {
      run(float{});
    } else {
      run(double{});
    }
  }
  return to_array(std::move(result));
}

// rel_entr for each row pair, into a new rows x cols array of the inputs'
// dtype.
py::array rel_entr_rows(const py::array& p, const py::array& q,
                        const kldiv::discrete_options& opt) {
  const auto run = [&](auto tag) -> py::array {
    using T = decltype(tag);
    const auto pv = view<T>(p), qv = view<T>(q);
    py::array_t<T> out(
        {static_cast<py::ssize_t>(pv.rows), static_cast<py::ssize_t>(pv.cols)});
    std::span<T> o(out.mutable_data(), pv.rows * pv.cols);
    py::gil_scoped_release release;
    kldiv::rel_entr(pv, qv, o, opt);
    return out;
  };
  if (is_float32(p)) return run(float{});
  return run(double{});
}

// f_divergence calls back into Python, so it keeps the GIL.
py::array_t<double> f_divergence_rows(const py::array& p, const py::array& q,
                                      const std::function<double(double)>& f,
                                      double slope,
                                      const kldiv::discrete_options& opt) {
  const kldiv::convex_function cf{f, slope};
  if (is_float32(p)) {
    return to_array(
        kldiv::f_divergence(view<float>(p), view<float>(q), cf, opt));
  }
  return to_array(
      kldiv::f_divergence(view<double>(p), view<double>(q), cf, opt));
}

py::dict summary(const py::array& p, const py::array& q,
                 const kldiv::discrete_options& opt) {
  const auto pv = view<double>(p), qv = view<double>(q);
  std::vector<double> pb(pv.cols), qb(qv.cols);
  for (std::size_t i = 0; i < pv.cols; ++i) pb[i] = pv(0, i);
  for (std::size_t i = 0; i < qv.cols; ++i) qb[i] = qv(0, i);
  kldiv::discrete_summary s;
  {
    py::gil_scoped_release release;
    s = kldiv::summarize(pb, qb, opt);
  }
  py::dict d;
  d["size"] = s.size;
  d["unit"] = s.options.base.unit();
  d["kind"] = std::string(kldiv::to_string(s.options.kind));
  d["smoothing"] = s.options.smooth.describe();
  d["p_total"] = s.p_total;
  d["q_total"] = s.q_total;
  d["kl"] = s.kl;
  d["reverse_kl"] = s.reverse_kl;
  d["jeffreys"] = s.jeffreys;
  d["js_divergence"] = s.js_divergence;
  d["js_distance"] = s.js_distance;
  d["cross_entropy"] = s.cross_entropy;
  d["reverse_cross_entropy"] = s.reverse_cross_entropy;
  d["entropy_p"] = s.entropy_p;
  d["entropy_q"] = s.entropy_q;
  d["renyi_half"] = s.renyi_half;
  d["renyi_2"] = s.renyi_2;
  d["renyi_inf"] = s.renyi_inf;
  d["hellinger"] = s.hellinger;
  d["bhattacharyya_coefficient"] = s.bhattacharyya_coefficient;
  d["bhattacharyya_distance"] = s.bhattacharyya_distance;
  d["total_variation"] = s.total_variation;
  d["chi2_pearson"] = s.chi2_pearson;
  d["chi2_neyman"] = s.chi2_neyman;
  d["p_mass_where_q_zero"] = s.support.p_mass_where_q_zero;
  d["entries_where_q_zero"] = s.support.bins_where_q_zero;
  d["q_mass_where_p_zero"] = s.support.q_mass_where_p_zero;
  d["entries_where_p_zero"] = s.support.bins_where_p_zero;
  return d;
}

// SciPy-compatible elementwise functions on flat arrays of one dtype.
template <class Fn>
py::array scipy_elementwise(const py::array& x, const py::array& y, Fn fn) {
  const auto run = [&](auto tag) -> py::array {
    using T = decltype(tag);
    const auto n = static_cast<std::size_t>(x.size());
    py::array_t<T> out(static_cast<py::ssize_t>(n));
    std::span<const T> xs(static_cast<const T*>(x.data()), n);
    std::span<const T> ys(static_cast<const T*>(y.data()), n);
    std::span<T> os(out.mutable_data(), n);
    py::gil_scoped_release release;
    fn(xs, ys, os);
    return out;
  };
  if (is_float32(x)) return run(float{});
  return run(double{});
}

py::tuple read_table(const std::string& path) {
  kldiv::io::table t;
  {
    py::gil_scoped_release release;
    t = kldiv::io::read_table(path);
  }
  py::array_t<double> values(
      {static_cast<py::ssize_t>(t.rows), static_cast<py::ssize_t>(t.cols)});
  std::copy(t.values.begin(), t.values.end(), values.mutable_data());
  return py::make_tuple(values, t.names);
}

kldiv::logits_options make_logits_options(
    double temperature, bool t_squared, double beta, const std::string& reduce,
    std::optional<double> base, bool log_probs, std::optional<double> tolerance,
    int threads) {
  kldiv::logits_options opt;
  opt.temperature = temperature;
  opt.scale_by_t_squared = t_squared;
  opt.beta = beta;
  opt.reduce = kldiv::reduction_from_name(reduce);
  if (base) opt.base = kldiv::log_base(*base);
  if (log_probs) opt.kind = kldiv::logits_kind::log_probabilities;
  opt.tolerance = tolerance;
  opt.threads = threads;
  return opt;
}

// A row mask from a contiguous bool array (one byte per row), or none.
kldiv::row_mask mask_of(const std::optional<py::array>& mask) {
  if (!mask) return {};
  return {static_cast<const std::uint8_t*>(mask->data()),
          static_cast<std::size_t>(mask->size())};
}

// (row values, reduced value, valid rows, gradient or None) of a logits
// measure on 2-D a and b of one dtype.
py::tuple logits_rows(const std::string& measure, const py::array& a,
                      const py::array& b, const kldiv::logits_options& opt,
                      const std::optional<py::array>& mask, bool want_grad) {
  const auto m = kldiv::logits_measure_from_name(measure);
  const auto run = [&](auto tag) -> py::tuple {
    using T = decltype(tag);
    const auto av = view<T>(a), bv = view<T>(b);
    py::object grad = py::none();
    std::span<T> g;
    if (want_grad) {
      py::array_t<T> arr({static_cast<py::ssize_t>(av.rows),
                          static_cast<py::ssize_t>(av.cols)});
      g = std::span<T>(arr.mutable_data(), av.rows * av.cols);
      grad = arr;
    }
    kldiv::logits_result r;
    {
      py::gil_scoped_release release;
      r = kldiv::divergence_from_logits(m, av, bv, opt, mask_of(mask), g);
    }
    return py::make_tuple(to_array(std::move(r.rows)), r.value, r.valid_rows,
                          grad);
  };
  if (is_float32(a)) return run(float{});
  return run(double{});
}

py::tuple cross_entropy_rows(const py::array& x,
                             const py::array_t<std::int64_t>& labels,
                             std::optional<std::int64_t> ignore_index,
                             const kldiv::logits_options& opt,
                             const std::optional<py::array>& mask,
                             bool want_grad) {
  const std::span<const std::int64_t> ls(
      labels.data(), static_cast<std::size_t>(labels.size()));
  const auto run = [&](auto tag) -> py::tuple {
    using T = decltype(tag);
    const auto xv = view<T>(x);
    py::object grad = py::none();
    std::span<T> g;
    if (want_grad) {
      py::array_t<T> arr({static_cast<py::ssize_t>(xv.rows),
                          static_cast<py::ssize_t>(xv.cols)});
      g = std::span<T>(arr.mutable_data(), xv.rows * xv.cols);
      grad = arr;
    }
    kldiv::logits_result r;
    {
      py::gil_scoped_release release;
      r = kldiv::cross_entropy_from_logits(xv, ls, opt, ignore_index,
                                           mask_of(mask), g);
    }
    return py::make_tuple(to_array(std::move(r.rows)), r.value, r.valid_rows,
                          grad);
  };
  if (is_float32(x)) return run(float{});
  return run(double{});
}

// kl_normal on four equally long float64 arrays (or of length 1).
py::array_t<double> kl_normal_flat(const py::array_t<double>& mp,
                                   const py::array_t<double>& sp,
                                   const py::array_t<double>& mq,
                                   const py::array_t<double>& sq, std::size_t n,
                                   int threads) {
  const auto span_of = [](const py::array_t<double>& a) {
    return std::span<const double>(a.data(),
                                   static_cast<std::size_t>(a.size()));
  };
  py::array_t<double> out(static_cast<py::ssize_t>(n));
  std::span<double> o(out.mutable_data(), n);
  {
    py::gil_scoped_release release;
    kldiv::kl_normal(span_of(mp), span_of(sp), span_of(mq), span_of(sq), o,
                     threads);
  }
  return out;
}

// ---- parametric distributions, batched ------------------------------------
// A batch of one family: per parameter a C-contiguous float64 array of shape
// (n, k) (k = 1 for a number, k = the length of a vector parameter), or
// (1, k) for a value shared by the batch.
struct batch {
  std::string family;
  std::vector<py::array_t<double, py::array::c_style>> params;
  // When every parameter is a number: the family resolved once.
  std::optional<kldiv::distribution_builder> builder = std::nullopt;
  std::size_t size() const {
    std::size_t n = 1;
    for (const auto& a : params) {
      n = std::max(n, static_cast<std::size_t>(a.shape(0)));
    }
    return n;
  }
  // Element i's parameter values (without the GIL: plain reads).
  std::vector<std::vector<double>> values(std::size_t i) const {
    std::vector<std::vector<double>> v;
    for (const auto& a : params) {
      const auto k = static_cast<std::size_t>(a.shape(1));
      const std::size_t row = a.shape(0) == 1 ? 0 : i;
      v.emplace_back(a.data() + row * k, a.data() + (row + 1) * k);
    }
    return v;
  }
  kldiv::distribution at(std::size_t i) const {
    try {
      if (builder && params.size() <= 4) {
        double v[4];
        for (std::size_t j = 0; j < params.size(); ++j) {
          v[j] = params[j].data()[params[j].shape(0) == 1 ? 0 : i];
        }
        return (*builder)(std::span<const double>(v, params.size()));
      }
      return kldiv::make_distribution(family, values(i));
    } catch (const kldiv::InvalidArgument& e) {
      if (size() == 1) throw;
      throw kldiv::InvalidArgument(std::string(e.what()) + " (at flat index " +
                                   std::to_string(i) + ")");
    }
  }
};

batch make_batch(const std::string& family, const py::list& params) {
  batch b{family, {}};
  bool numbers = true;
  for (const auto& p : params) {
    b.params.push_back(p.cast<py::array_t<double, py::array::c_style>>());
    numbers =
        numbers && b.params.back().ndim() == 2 && b.params.back().shape(1) == 1;
  }
  const auto& names = kldiv::distribution_families();
  const bool vector_family = family == "categorical" || family == "dirichlet" ||
                             family == "multivariate_normal";
  if (numbers && !vector_family &&
      std::find(names.begin(), names.end(), family) != names.end()) {
    b.builder.emplace(family);
  }
  return b;
}

// Checks every element (the constructors' messages, with the index).
void check_batch(const std::string& family, const py::list& params) {
  const batch b = make_batch(family, params);
  py::gil_scoped_release release;
  for (std::size_t i = 0; i < b.size(); ++i) b.at(i);
}

// KL for n pairs: (values, standard errors). method: "exact" (closed form or
// support, else NotSupported), "auto" (Monte Carlo where there is neither),
// "quadrature" (numerical integration where there is neither) or
// "monte_carlo" (always). A side with one element is built once; exact
// pairs run on `threads` threads (0: OpenMP's default), each pair's result
// the same for any number.
py::tuple kl_batch(const std::string& fp, const py::list& pp,
                   const std::string& fq, const py::list& pq,
                   const std::string& method, std::size_t samples,
                   std::uint64_t seed, int threads) {
  const batch p = make_batch(fp, pp), q = make_batch(fq, pq);
  const std::size_t n = std::max(p.size(), q.size());
  std::vector<double> values(n), errors(n);
  {
    py::gil_scoped_release release;
    const std::optional<kldiv::distribution> p1 =
        p.size() == 1 ? std::optional(p.at(0)) : std::nullopt;
    const std::optional<kldiv::distribution> q1 =
        q.size() == 1 ? std::optional(q.at(0)) : std::nullopt;
    // Closed forms are cheap and run a pair per thread; Monte Carlo pairs
    // use the threads themselves, and quadrature runs one pair at a time
    // (its integrators are shared).
    const bool per_pair = method == "exact";
    const kldiv::monte_carlo mc{samples, seed, per_pair ? 1 : threads};
    const int t =
        per_pair ? (threads > 0 ? threads : omp_get_max_threads()) : 1;
    std::exception_ptr failure;
    std::size_t failed_at = n;
    const auto count = static_cast<std::ptrdiff_t>(n);
#pragma omp parallel for num_threads(t) schedule(static) if (t > 1 && n > 256)
    for (std::ptrdiff_t ii = 0; ii < count; ++ii) {
      const auto i = static_cast<std::size_t>(ii);
      try {
        std::optional<kldiv::distribution> pi, qi;
        const kldiv::distribution& a = p1 ? *p1 : pi.emplace(p.at(i));
        const kldiv::distribution& b = q1 ? *q1 : qi.emplace(q.at(i));
        kldiv::kl_result r;
        if (method == "exact") {
          r = kldiv::kl(a, b);
        } else if (method == "auto") {
          r = kldiv::kl(a, b, mc);
        } else if (method == "quadrature") {
          try {
            r = kldiv::kl(a, b);
          } catch (const kldiv::NotSupported&) {
            r = kldiv::kl_integrate(a, b);
          }
        } else {
          r = kldiv::kl_monte_carlo(a, b, mc);
        }
        values[i] = r.value;
        errors[i] = r.standard_error;
      } catch (...) {
        // The first failing pair's error, whatever the thread order.
#pragma omp critical(kl_batch_failure)
        if (i < failed_at) {
          failed_at = i;
          failure = std::current_exception();
        }
      }
    }
    if (failure) std::rethrow_exception(failure);
  }
  return py::make_tuple(to_array(std::move(values)),
                        to_array(std::move(errors)));
}

// Entropy of each element of a batch (NotSupported where there is none).
py::array_t<double> entropy_batch(const std::string& family,
                                  const py::list& params) {
  const batch b = make_batch(family, params);
  std::vector<double> out(b.size());
  {
    py::gil_scoped_release release;
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i] =
          std::visit([](const auto& x) { return kldiv::entropy(x); }, b.at(i));
    }
  }
  return to_array(std::move(out));
}

// ---- multivariate normals, batched -----------------------------------------
// n multivariate normals of one form from C-contiguous float64 arrays: mean
// (n, d); "full": a = covariance (n, d, d); "diagonal": a = variances (n, d);
// "low_rank": a = W (n, d, r), b = D (n, d).
using carray = py::array_t<double, py::array::c_style>;

std::vector<kldiv::multivariate_normal> make_mvns(const std::string& form,
                                                  const carray& mean,
                                                  const carray& a,
                                                  const carray& b) {
  const auto n = static_cast<std::size_t>(mean.shape(0));
  const auto d = static_cast<std::size_t>(mean.shape(1));
  std::vector<kldiv::multivariate_normal> out;
  out.reserve(n);
  const double* m = mean.data();
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> mu(m + i * d, m + (i + 1) * d);
    try {
      if (form == "full") {
        out.push_back(kldiv::multivariate_normal::full(
            std::move(mu),
            kldiv::matrix_view<double>::dense(a.data() + i * d * d, d, d)));
      } else if (form == "diagonal") {
        out.push_back(kldiv::multivariate_normal::diagonal(
            std::move(mu),
            std::vector<double>(a.data() + i * d, a.data() + (i + 1) * d)));
      } else {
        const auto r = static_cast<std::size_t>(a.shape(2));
        out.push_back(kldiv::multivariate_normal::low_rank(
            std::move(mu),
            kldiv::matrix_view<double>::dense(a.data() + i * d * r, d, r),
            std::vector<double>(b.data() + i * d, b.data() + (i + 1) * d)));
      }
    } catch (const kldiv::InvalidArgument& e) {
      if (n == 1) throw;
      throw kldiv::InvalidArgument(std::string(e.what()) + " (at flat index " +
                                   std::to_string(i) + ")");
    }
  }
  return out;
}

struct mvn_batch {
  std::vector<kldiv::multivariate_normal> items;
};

mvn_batch mvn_make(const std::string& form, const carray& mean, const carray& a,
                   const carray& b) {
  py::gil_scoped_release release;
  return {make_mvns(form, mean, a, b)};
}

// measure: kl, bhattacharyya, hellinger, renyi, wasserstein2.
py::array_t<double> mvn_measure(const std::string& measure, const mvn_batch& p,
                                const mvn_batch& q, double alpha, int threads) {
  const std::size_t n = std::max(p.items.size(), q.items.size());
  std::vector<double> out(n);
  {
    py::gil_scoped_release release;
    if (measure == "kl") {
      kldiv::kl(p.items, q.items, out, threads);
    } else {
      for (std::size_t i = 0; i < n; ++i) {
        const auto& a = p.items[p.items.size() == 1 ? 0 : i];
        const auto& b = q.items[q.items.size() == 1 ? 0 : i];
        if (measure == "bhattacharyya") {
          out[i] = kldiv::bhattacharyya_distance(a, b);
        } else if (measure == "hellinger") {
          out[i] = kldiv::hellinger(a, b);
        } else if (measure == "renyi") {
          out[i] = kldiv::renyi(a, b, alpha);
        } else {
          out[i] = kldiv::wasserstein2(a, b);
        }
      }
    }
  }
  return to_array(std::move(out));
}

py::array_t<double> mvn_entropy(const mvn_batch& p) {
  std::vector<double> out;
  for (const auto& m : p.items) out.push_back(kldiv::entropy(m));
  return to_array(std::move(out));
}

// vae_kl on rows x d float64 arrays: (values, grad_mu, grad_logvar) with the
// gradients None unless asked for.
py::tuple vae_rows(const py::array& mu, const py::array& logvar, bool want_grad,
                   int threads) {
  const auto mv = view<double>(mu), lv = view<double>(logvar);
  std::vector<double> out(mv.rows);
  py::object gm = py::none(), gl = py::none();
  std::span<double> gms, gls;
  if (want_grad) {
    py::array_t<double> a(
        {static_cast<py::ssize_t>(mv.rows), static_cast<py::ssize_t>(mv.cols)});
    py::array_t<double> b(
        {static_cast<py::ssize_t>(mv.rows), static_cast<py::ssize_t>(mv.cols)});
    gms = std::span<double>(a.mutable_data(), mv.rows * mv.cols);
    gls = std::span<double>(b.mutable_data(), mv.rows * mv.cols);
    gm = a;
    gl = b;
  }
  {
    py::gil_scoped_release release;
    kldiv::vae_kl(mv, lv, out, gms, gls, threads);
  }
  return py::make_tuple(to_array(std::move(out)), gm, gl);
}

// ---- Gaussian mixtures ------------------------------------------------------
// A mixture from C-contiguous float64 arrays: weights (k), means (k, d) and,
// for form "full", covariances (k, d * d), for "diagonal", variances (k, d).
// The Python side guarantees the number of dimensions; the library checks
// everything else.
kldiv::gaussian_mixture gmm_make(const std::string& form, const carray& weights,
                                 const carray& means, const carray& a) {
  std::vector<double> w(
      weights.data(),
      weights.data() + static_cast<std::size_t>(weights.size()));
  const auto mv = view<double>(means), av = view<double>(a);
  py::gil_scoped_release release;
  if (form == "full") {
    return kldiv::gaussian_mixture::full(std::move(w), mv, av);
  }
  return kldiv::gaussian_mixture::diagonal(std::move(w), mv, av);
}

// log f(x): a float for one point x (d), an array for the rows of x (n, d).
py::object gmm_log_pdf(const kldiv::gaussian_mixture& f, const carray& x,
                       int threads) {
  if (x.ndim() == 1) {
    const std::span<const double> point(x.data(),
                                        static_cast<std::size_t>(x.size()));
    double value = 0.0;
    {
      py::gil_scoped_release release;
      value = kldiv::log_pdf(f, point);
    }
    return py::float_(value);
  }
  const auto xv = view<double>(x);
  std::vector<double> out(xv.rows);
  {
    py::gil_scoped_release release;
    kldiv::log_pdf(f, xv, out, threads);
  }
  return to_array(std::move(out));
}

// n draws (n x d) from one stream of `seed`.
py::array_t<double> gmm_sample(const kldiv::gaussian_mixture& f, std::size_t n,
                               std::uint64_t seed) {
  const std::size_t d = f.dim();
  py::array_t<double> out(
      {static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(d)});
  {
    py::gil_scoped_release release;
    kldiv::random_stream rs(seed);
    const auto x = kldiv::sample(f, rs, n);
    std::copy(x.begin(), x.end(), out.mutable_data());
  }
  return out;
}

// The moment-matched Gaussian as (mean (d), covariance (d, d)).
py::tuple gmm_moment_match(const kldiv::gaussian_mixture& f) {
  const auto m = kldiv::moment_match(f);
  const auto d = static_cast<py::ssize_t>(f.dim());
  const auto cov = kldiv::covariance_matrix(m);
  py::array_t<double> c({d, d});
  std::copy(cov.begin(), cov.end(), c.mutable_data());
  return py::make_tuple(to_array(std::vector<double>(m.mean())), c);
}

kldiv::gmm_options gmm_options_of(std::size_t samples, std::uint64_t seed,
                                  int threads) {
  kldiv::gmm_options o;
  o.samples = samples;
  o.seed = seed;
  o.threads = threads;
  return o;
}

py::dict gmm_result_dict(const kldiv::gmm_result& r) {
  py::dict d;
  d["method"] = std::string(kldiv::gmm_method_name(r.method));
  d["value"] = r.value;
  d["standard_error"] = r.standard_error;
  d["kind"] = r.kind;
  d["seconds"] = r.seconds;
  return d;
}

py::dict gmm_kl(const kldiv::gaussian_mixture& f,
                const kldiv::gaussian_mixture& g, const std::string& method,
                std::size_t samples, std::uint64_t seed, int threads) {
  const auto m = kldiv::gmm_method_named(method);
  kldiv::gmm_result r;
  {
    py::gil_scoped_release release;
    r = kldiv::kl(f, g, m, gmm_options_of(samples, seed, threads));
  }
  return gmm_result_dict(r);
}

py::list gmm_kl_summary(const kldiv::gaussian_mixture& f,
                        const kldiv::gaussian_mixture& g, std::size_t samples,
                        std::uint64_t seed, int threads) {
  std::vector<kldiv::gmm_result> rs;
  {
    py::gil_scoped_release release;
    rs = kldiv::kl_summary(f, g, gmm_options_of(samples, seed, threads));
  }
  py::list out;
  for (const auto& r : rs) out.append(gmm_result_dict(r));
  return out;
}

py::tuple gmm_js(const kldiv::gaussian_mixture& f,
                 const kldiv::gaussian_mixture& g, std::size_t samples,
                 std::uint64_t seed, int threads) {
  kldiv::gmm_result r;
  {
    py::gil_scoped_release release;
    r = kldiv::js_monte_carlo(f, g, gmm_options_of(samples, seed, threads));
  }
  return py::make_tuple(r.value, r.standard_error);
}

// ---- estimators from samples ------------------------------------------------
kldiv::tie_policy tie_policy_named(const std::string& name) {
  if (name == "error") return kldiv::tie_policy::error;
  if (name == "jitter") return kldiv::tie_policy::jitter;
  if (name == "distinct") return kldiv::tie_policy::distinct;
  if (name == "exclude") return kldiv::tie_policy::exclude;
  throw kldiv::InvalidArgument("ties = '" + name +
                               "': expected error, jitter, distinct or "
                               "exclude");
}

kldiv::knn_search knn_search_named(const std::string& name) {
  if (name == "auto") return kldiv::knn_search::automatic;
  if (name == "tree") return kldiv::knn_search::tree;
  if (name == "brute") return kldiv::knn_search::brute;
  throw kldiv::InvalidArgument("search = '" + name +
                               "': expected auto, tree or brute");
}

// The fields of kldiv::sample_estimate as a dict (ci_low, ci_high None
// without a bootstrap), for every estimator that returns one.
py::dict sample_estimate_dict(const kldiv::sample_estimate& r) {
  py::dict d;
  d["value"] = r.value;
  d["k"] = r.k;
  d["ci_low"] = r.ci_low;
  d["ci_high"] = r.ci_high;
  d["n"] = r.n;
  d["m"] = r.m;
  d["d"] = r.d;
  d["ties"] = r.ties;
  d["tie_handling"] = r.tie_handling;
  d["warnings"] = r.warnings;
  return d;
}

// kl_knn on float64 x (n, d) and y (m, d): one dict per k, in order, with
// the fields of kldiv::sample_estimate (ci_low, ci_high None without a
// bootstrap).
py::list kl_knn_rows(const py::array& x, const py::object& y,
                     const std::vector<int>& k, const std::string& ties,
                     double jitter_scale, std::uint64_t seed, int threads,
                     const std::string& search, std::size_t bootstrap,
                     double confidence) {
  kldiv::knn_options o;
  o.k = k;
  o.ties = tie_policy_named(ties);
  o.jitter_scale = jitter_scale;
  o.seed = seed;
  o.threads = threads;
  o.search = knn_search_named(search);
  o.bootstrap = bootstrap;
  o.confidence = confidence;
  // y None: the entropy of x (Kozachenko-Leonenko) instead of KL.
  const auto xv = view<double>(x);
  std::vector<kldiv::sample_estimate> rs;
  if (y.is_none()) {
    py::gil_scoped_release release;
    rs = kldiv::entropy_knn(xv, o);
  } else {
    const auto yv = view<double>(y.cast<py::array>());
    py::gil_scoped_release release;
    rs = kldiv::kl_knn(xv, yv, o);
  }
  py::list out;
  for (const auto& r : rs) out.append(sample_estimate_dict(r));
  return out;
}

std::span<const double> span_of(const carray& a) {
  return {a.data(), static_cast<std::size_t>(a.size())};
}

py::array_t<std::int64_t> to_int64_array(const std::vector<std::size_t>& v) {
  py::array_t<std::int64_t> out(static_cast<py::ssize_t>(v.size()));
  std::transform(v.begin(), v.end(), out.mutable_data(),
                 [](std::size_t c) { return static_cast<std::int64_t>(c); });
  return out;
}

// kl_1d on C-contiguous float64 x (n) and y (m).
py::dict kl_1d_flat(const carray& x, const carray& y, const std::string& ties,
                    double jitter_scale, std::uint64_t seed,
                    std::size_t bootstrap, double confidence) {
  kldiv::kl_1d_options o;
  o.ties = tie_policy_named(ties);
  o.jitter_scale = jitter_scale;
  o.seed = seed;
  o.bootstrap = bootstrap;
  o.confidence = confidence;
  kldiv::sample_estimate r;
  {
    py::gil_scoped_release release;
    r = kldiv::kl_1d(span_of(x), span_of(y), o);
  }
  return sample_estimate_dict(r);
}

kldiv::data_kind data_kind_named(const std::string& name) {
  if (name == "auto") return kldiv::data_kind::automatic;
  if (name == "discrete") return kldiv::data_kind::discrete;
  if (name == "continuous") return kldiv::data_kind::continuous;
  throw kldiv::InvalidArgument("kind = '" + name +
                               "': expected auto, discrete or continuous");
}

kldiv::bin_rule bin_rule_named(const std::string& name) {
  if (name == "auto") return kldiv::bin_rule::automatic;
  if (name == "fd") return kldiv::bin_rule::freedman_diaconis;
  if (name == "scott") return kldiv::bin_rule::scott;
  if (name == "sturges") return kldiv::bin_rule::sturges;
  if (name == "doane") return kldiv::bin_rule::doane;
  if (name == "rice") return kldiv::bin_rule::rice;
  if (name == "sqrt") return kldiv::bin_rule::sqrt;
  if (name == "count") return kldiv::bin_rule::count;
  if (name == "quantiles") return kldiv::bin_rule::quantiles;
  if (name == "edges") return kldiv::bin_rule::edges;
  throw kldiv::InvalidArgument(
      "bins = '" + name +
      "': expected auto, fd, scott, sturges, doane, rice, sqrt, count, "
      "quantiles or edges");
}

// Histogram options: a rule by name, the bin count for count and quantiles,
// the edges (C-contiguous float64) for edges.
kldiv::histogram_options histogram_options_of(
    const std::string& rule, std::size_t bins, const carray& edges,
    double smoothing, std::uint64_t seed, std::size_t bootstrap,
    double confidence) {
  kldiv::histogram_options o;
  o.rule = bin_rule_named(rule);
  o.bins = bins;
  o.edges.assign(edges.data(), edges.data() + edges.size());
  o.smoothing = smoothing;
  o.seed = seed;
  o.bootstrap = bootstrap;
  o.confidence = confidence;
  return o;
}

// kldiv::fit (counts None) or kldiv::fit_counts on C-contiguous float64
// data (and counts), as a dict of the fit_result's fields; each model a dict
// of the fitted_model's fields, its parameters a dict in the constructor's
// order. kl: auto, knn or histogram; rule, bins and edges: the histogram's
// bins, as bin_edges_flat takes them.
// A fit with the data it was made from, for its HTML report.
struct fit_core {
  kldiv::fit_result result;
  std::vector<double> values, counts;
};

py::dict fit_flat(const carray& data, const std::optional<carray>& counts,
                  const std::vector<std::string>& families,
                  const std::string& kind,
                  std::optional<std::int64_t> binomial_n, const std::string& kl,
                  const std::string& rule, std::size_t bins,
                  const carray& edges, bool align_to_grid) {
  kldiv::fit_options o;
  o.kind = data_kind_named(kind);
  for (const auto& f : families) {
    o.families.push_back(kldiv::fit_family_from_name(f));
  }
  o.binomial_n = binomial_n;
  if (kl == "auto") {
    o.continuous_kl = kldiv::continuous_kl_method::automatic;
  } else if (kl == "knn") {
    o.continuous_kl = kldiv::continuous_kl_method::knn;
  } else if (kl == "histogram") {
    o.continuous_kl = kldiv::continuous_kl_method::histogram;
  } else {
    throw kldiv::InvalidArgument("kl = '" + kl +
                                 "': expected auto, knn or histogram");
  }
  o.bins = histogram_options_of(rule, bins, edges, 0.0, 0, 0, 0.95);
  o.align_to_grid = align_to_grid;
  kldiv::fit_result r;
  {
    py::gil_scoped_release release;
    r = counts ? kldiv::fit_counts(span_of(data), span_of(*counts), o)
               : kldiv::fit(span_of(data), o);
  }
  py::list models;
  for (const auto& m : r.models) {
    py::dict params;
    for (const auto& p : m.parameters) params[py::str(p.name)] = p.value;
    py::dict d;
    d["family"] = m.name;
    d["fitted"] = m.fitted;
    d["reason"] = m.reason;
    d["parameters"] = params;
    d["log_likelihood"] = m.log_likelihood;
    d["k"] = m.k;
    d["aic"] = m.aic;
    d["bic"] = m.bic;
    d["kl"] = m.kl;
    d["kl_method"] = m.kl_method;
    models.append(d);
  }
  py::dict out;
  out["models"] = models;
  out["discrete"] = r.discrete;
  out["n"] = r.n;
  out["entropy"] = r.entropy;
  out["kl_estimator"] = r.kl_estimator;
  out["warnings"] = r.warnings;
  auto core = std::make_shared<fit_core>();
  core->values.assign(data.data(), data.data() + data.size());
  if (counts)
    core->counts.assign(counts->data(), counts->data() + counts->size());
  out["kl_edges"] = to_array(std::vector<double>(r.kl_edges));
  core->result = std::move(r);
  out["core"] = core;
  return out;
}

py::array_t<double> bin_edges_flat(const carray& reference,
                                   const std::string& rule, std::size_t bins,
                                   const carray& edges) {
  const auto o = histogram_options_of(rule, bins, edges, 0.0, 0, 0, 0.95);
  std::vector<double> e;
  {
    py::gil_scoped_release release;
    e = kldiv::bin_edges(span_of(reference), o);
  }
  return to_array(std::move(e));
}

// The fields a histogram_estimate and a categorical_estimate share (value,
// interval, counts, proportions, terms, sizes, smoothing, warnings).
template <class Estimate>
py::dict binned_dict(Estimate& r) {
  py::dict d;
  d["value"] = r.value;
  d["ci_low"] = r.ci_low;
  d["ci_high"] = r.ci_high;
  d["x_counts"] = to_int64_array(r.x_counts);
  d["y_counts"] = to_int64_array(r.y_counts);
  d["p"] = to_array(std::move(r.p));
  d["q"] = to_array(std::move(r.q));
  d["terms"] = to_array(std::move(r.terms));
  d["n"] = r.n;
  d["m"] = r.m;
  d["smoothing"] = r.smoothing;
  d["warnings"] = r.warnings;
  return d;
}

// kl_histogram on C-contiguous float64 x and y: a dict of the fields of
// kldiv::histogram_estimate (arrays for the bins).
py::dict kl_histogram_flat(const carray& x, const carray& y,
                           const std::string& rule, std::size_t bins,
                           const carray& edges, double smoothing,
                           std::uint64_t seed, std::size_t bootstrap,
                           double confidence) {
  const auto o = histogram_options_of(rule, bins, edges, smoothing, seed,
                                      bootstrap, confidence);
  kldiv::histogram_estimate r;
  {
    py::gil_scoped_release release;
    r = kldiv::kl_histogram(span_of(x), span_of(y), o);
  }
  py::dict d = binned_dict(r);
  d["edges"] = to_array(std::move(r.edges));
  d["rule"] = r.rule;
  return d;
}

// kl_categorical on labels already turned into strings.
py::dict kl_categorical_labels(const std::vector<std::string>& x,
                               const std::vector<std::string>& y,
                               double smoothing, std::uint64_t seed,
                               std::size_t bootstrap, double confidence) {
  kldiv::categorical_options o;
  o.smoothing = smoothing;
  o.seed = seed;
  o.bootstrap = bootstrap;
  o.confidence = confidence;
  kldiv::categorical_estimate r;
  {
    py::gil_scoped_release release;
    r = kldiv::kl_categorical(x, y, o);
  }
  py::dict d = binned_dict(r);
  d["categories"] = r.categories;
  d["unseen"] = r.unseen;
  return d;
}

kldiv::column_kind column_kind_named(const std::string& name) {
  if (name == "numeric") return kldiv::column_kind::numeric;
  if (name == "categorical") return kldiv::column_kind::categorical;
  throw kldiv::InvalidArgument("column kind = '" + name +
                               "': expected numeric or categorical");
}

// A table's columns from (name, kind, values, missing) tuples: values a
// C-contiguous float64 array (numeric) or a list of str (categorical), the
// missing values already left out.
std::vector<kldiv::data_column> data_columns_of(const py::list& columns) {
  std::vector<kldiv::data_column> out;
  out.reserve(columns.size());
  for (const auto& item : columns) {
    const auto t = item.cast<py::tuple>();
    kldiv::data_column c;
    c.name = t[0].cast<std::string>();
    c.kind = column_kind_named(t[1].cast<std::string>());
    if (c.kind == kldiv::column_kind::numeric) {
      const auto a = t[2].cast<carray>();
      c.numbers.assign(a.data(), a.data() + a.size());
    } else {
      c.labels = t[2].cast<std::vector<std::string>>();
    }
    c.missing = t[3].cast<std::size_t>();
    out.push_back(std::move(c));
  }
  return out;
}

// kldiv::compare on two tables' columns (see data_columns_of): one dict per
// compared column, worst first, with every field of column_comparison;
// tests a dict name -> {statistic, p_value, df, method, warnings}. With it,
// the comparison itself (for its HTML report).
py::tuple compare_columns(const py::list& reference, const py::list& current,
                          const std::string& rule, std::size_t bins,
                          const carray& edges, double smoothing,
                          std::size_t permutations, std::size_t bootstrap,
                          double confidence, std::uint64_t seed, double alpha,
                          double js_possible, double js_drift, int threads) {
  kldiv::compare_options o;
  o.bins = histogram_options_of(rule, bins, edges, 0.0, 0, 0, 0.95);
  o.smoothing = smoothing;
  o.permutations = permutations;
  o.bootstrap = bootstrap;
  o.confidence = confidence;
  o.seed = seed;
  o.thresholds.alpha = alpha;
  o.thresholds.js_possible = js_possible;
  o.thresholds.js_drift = js_drift;
  o.threads = threads;
  const auto ref = data_columns_of(reference);
  const auto cur = data_columns_of(current);
  kldiv::comparison r;
  {
    py::gil_scoped_release release;
    r = kldiv::compare(ref, cur, o);
  }
  auto kept = std::make_shared<kldiv::comparison>(r);
  py::list out;
  for (auto& c : r.columns) {
    py::dict tests;
    for (const auto& t : c.tests) {
      py::dict d;
      d["statistic"] = t.result.statistic;
      d["p_value"] = t.result.p_value;
      d["df"] = t.result.df;
      d["method"] = t.result.method;
      d["warnings"] = t.result.warnings;
      tests[py::str(t.name)] = d;
    }
    py::dict d;
    d["name"] = c.name;
    d["kind"] =
        c.kind == kldiv::column_kind::numeric ? "numeric" : "categorical";
    d["n_reference"] = c.n_reference;
    d["n_current"] = c.n_current;
    d["missing_reference"] = c.missing_reference;
    d["missing_current"] = c.missing_current;
    d["edges"] = to_array(std::move(c.edges));
    d["bins"] = c.bins;
    d["reference_counts"] = to_int64_array(c.reference_counts);
    d["current_counts"] = to_int64_array(c.current_counts);
    d["reference_p"] = to_array(std::move(c.reference_p));
    d["current_p"] = to_array(std::move(c.current_p));
    d["kl_terms"] = to_array(std::move(c.kl_terms));
    d["kl_current_reference"] = c.kl_current_reference;
    d["kl_reference_current"] = c.kl_reference_current;
    d["js_bits"] = c.js_bits;
    d["js_ci_low"] = c.js_ci_low;
    d["js_ci_high"] = c.js_ci_high;
    d["hellinger"] = c.hellinger;
    d["total_variation"] = c.total_variation;
    d["psi"] = c.psi;
    d["kl_1d"] = c.kl_1d;
    d["wasserstein"] = c.wasserstein;
    d["tests"] = tests;
    d["verdict"] = c.verdict;
    d["reason"] = c.reason;
    d["warnings"] = c.warnings;
    out.append(d);
  }
  return py::make_tuple(out, kept);
}

kldiv::report_options report_options_of(const std::string& title,
                                        const std::string& reference,
                                        const std::string& current,
                                        const std::string& data) {
  kldiv::report_options o;
  o.title = title;
  o.reference_name = reference;
  o.current_name = current;
  o.data_name = data;
  return o;
}

// mutual_information_ksg on float64 x (N, dx) and y (N, dy): one dict per
// k, in order.
py::list mutual_information_ksg_rows(const py::array& x, const py::array& y,
                                     const std::vector<int>& k, int variant,
                                     const std::string& ties,
                                     double jitter_scale, std::uint64_t seed,
                                     int threads, std::size_t bootstrap,
                                     double confidence) {
  kldiv::ksg_options o;
  o.k = k;
  o.variant = variant;
  o.ties = tie_policy_named(ties);
  o.jitter_scale = jitter_scale;
  o.seed = seed;
  o.threads = threads;
  o.bootstrap = bootstrap;
  o.confidence = confidence;
  const auto xv = view<double>(x), yv = view<double>(y);
  std::vector<kldiv::sample_estimate> rs;
  {
    py::gil_scoped_release release;
    rs = kldiv::mutual_information_ksg(xv, yv, o);
  }
  py::list out;
  for (const auto& r : rs) out.append(sample_estimate_dict(r));
  return out;
}

}  // namespace

PYBIND11_MODULE(_kldiv, m) {
  m.doc() = "The compiled core of kldiv; use the kldiv package.";

  // Errors: the library's message, as the Python exception that fits.
  py::register_exception_translator([](std::exception_ptr e) {
    try {
      if (e) std::rethrow_exception(e);
    } catch (const kldiv::InvalidArgument& err) {
      PyErr_SetString(PyExc_ValueError, err.what());
    } catch (const kldiv::NotSupported& err) {
      PyErr_SetString(PyExc_NotImplementedError, err.what());
    } catch (const kldiv::IoError& err) {
      PyErr_SetString(PyExc_OSError, err.what());
    } catch (const kldiv::Error& err) {
      PyErr_SetString(PyExc_RuntimeError, err.what());
    }
  });

  py::class_<kldiv::discrete_options>(m, "_Options")
      .def(py::init(&make_options), py::arg("base"), py::arg("kind"),
           py::arg("smooth_kind"), py::arg("smooth_amount"),
           py::arg("tolerance"), py::arg("validate"), py::arg("threads"));

  // For the tests of the mapping above: throws the library's exception of
  // the given kind with the given message.
  m.def("_throw", [](const std::string& kind, const std::string& message) {
    if (kind == "InvalidArgument") throw kldiv::InvalidArgument(message);
    if (kind == "NotSupported") throw kldiv::NotSupported(message);
    if (kind == "IoError") throw kldiv::IoError(message);
    throw kldiv::Error(message);
  });
  m.def("version", [] { return std::string(kldiv::version()); });
  m.def("simd_target", &kldiv::simd_target,
        "The SIMD target the kernels run on now, e.g. 'AVX3' (AVX-512).");
  m.def("simd_targets", &kldiv::simd_targets,
        "Every SIMD target this build has and this CPU runs, best first.");
  m.def(
      "limit_simd_target",
      [](const std::string& name) { kldiv::limit_simd_target(name); },
      "Run the kernels on this target or a lower one ('' lifts the limit).");
  m.def("measures", [] {
    std::vector<std::string> names;
    for (auto mm : kldiv::all_measures()) {
      names.emplace_back(kldiv::name(mm));
    }
    return names;
  });
  m.def("unit", [](std::optional<double> base) {
    return base ? kldiv::log_base(*base).unit() : std::string("nats");
  });
  m.def("measure_rows", &measure_rows, py::arg("name"), py::arg("p"),
        py::arg("q"), py::arg("single"), py::arg("options"), py::arg("alpha"),
        py::arg("pi1"), py::arg("pi2"));
  m.def("rel_entr_rows", &rel_entr_rows, py::arg("p"), py::arg("q"),
        py::arg("options"));
  m.def("f_divergence_rows", &f_divergence_rows, py::arg("p"), py::arg("q"),
        py::arg("f"), py::arg("slope"), py::arg("options"));
  m.def("summarize", &summary, py::arg("p"), py::arg("q"), py::arg("options"));
  m.def("read_table", &read_table, py::arg("path"));

  py::class_<kldiv::logits_options>(m, "_LogitsOptions")
      .def(py::init(&make_logits_options), py::arg("temperature"),
           py::arg("t_squared"), py::arg("beta"), py::arg("reduce"),
           py::arg("base"), py::arg("log_probs"), py::arg("tolerance"),
           py::arg("threads"));
  m.def("logits_rows", &logits_rows, py::arg("measure"), py::arg("a"),
        py::arg("b"), py::arg("options"), py::arg("mask"),
        py::arg("want_grad"));
  m.def("kl_normal_flat", &kl_normal_flat, py::arg("loc_p"), py::arg("scale_p"),
        py::arg("loc_q"), py::arg("scale_q"), py::arg("n"), py::arg("threads"));
  m.def("check_batch", &check_batch, py::arg("family"), py::arg("params"));
  m.def("kl_batch", &kl_batch, py::arg("family_p"), py::arg("params_p"),
        py::arg("family_q"), py::arg("params_q"), py::arg("method"),
        py::arg("samples"), py::arg("seed"), py::arg("threads"));
  m.def("entropy_batch", &entropy_batch, py::arg("family"), py::arg("params"));
  m.def("distribution_parameters", [](const std::string& family) {
    py::list out;
    for (const auto& p : kldiv::distribution_parameters(family)) {
      out.append(py::make_tuple(p.name, p.fallback, p.vector));
    }
    return out;
  });
  py::class_<mvn_batch>(m, "_MvnBatch");
  m.def("mvn_make", &mvn_make, py::arg("form"), py::arg("mean"), py::arg("a"),
        py::arg("b"));
  m.def("mvn_measure", &mvn_measure, py::arg("measure"), py::arg("p"),
        py::arg("q"), py::arg("alpha"), py::arg("threads"));
  m.def("mvn_entropy", &mvn_entropy, py::arg("p"));
  py::class_<kldiv::gaussian_mixture>(m, "_GaussianMixture")
      .def_property_readonly(
          "weights",
          [](const kldiv::gaussian_mixture& f) {
            return to_array(std::vector<double>(f.weights()));
          })
      .def_property_readonly("n_components", &kldiv::gaussian_mixture::size)
      .def_property_readonly("dim", &kldiv::gaussian_mixture::dim);
  m.def("gmm_make", &gmm_make, py::arg("form"), py::arg("weights"),
        py::arg("means"), py::arg("a"));
  m.def("gmm_log_pdf", &gmm_log_pdf, py::arg("f"), py::arg("x"),
        py::arg("threads"));
  m.def("gmm_sample", &gmm_sample, py::arg("f"), py::arg("n"), py::arg("seed"));
  m.def("gmm_moment_match", &gmm_moment_match, py::arg("f"));
  m.def("gmm_methods", [] {
    std::vector<std::string> names;
    for (const auto mm : kldiv::gmm_methods()) {
      names.emplace_back(kldiv::gmm_method_name(mm));
    }
    return names;
  });
  m.def("gmm_kl", &gmm_kl, py::arg("f"), py::arg("g"), py::arg("method"),
        py::arg("samples"), py::arg("seed"), py::arg("threads"));
  m.def("gmm_kl_summary", &gmm_kl_summary, py::arg("f"), py::arg("g"),
        py::arg("samples"), py::arg("seed"), py::arg("threads"));
  m.def("gmm_js", &gmm_js, py::arg("f"), py::arg("g"), py::arg("samples"),
        py::arg("seed"), py::arg("threads"));
  m.def("vae_rows", &vae_rows, py::arg("mu"), py::arg("logvar"),
        py::arg("want_grad"), py::arg("threads"));
  m.def("kl_knn_rows", &kl_knn_rows, py::arg("x"), py::arg("y"), py::arg("k"),
        py::arg("ties"), py::arg("jitter_scale"), py::arg("seed"),
        py::arg("threads"), py::arg("search"), py::arg("bootstrap"),
        py::arg("confidence"));
  m.def("kl_1d_flat", &kl_1d_flat, py::arg("x"), py::arg("y"), py::arg("ties"),
        py::arg("jitter_scale"), py::arg("seed"), py::arg("bootstrap"),
        py::arg("confidence"));
  m.def("fit_flat", &fit_flat, py::arg("data"), py::arg("counts"),
        py::arg("families"), py::arg("kind"), py::arg("binomial_n"),
        py::arg("kl"), py::arg("rule"), py::arg("bins"), py::arg("edges"),
        py::arg("align_to_grid"));
  m.def("bin_edges_flat", &bin_edges_flat, py::arg("reference"),
        py::arg("rule"), py::arg("bins"), py::arg("edges"));
  m.def("kl_histogram_flat", &kl_histogram_flat, py::arg("x"), py::arg("y"),
        py::arg("rule"), py::arg("bins"), py::arg("edges"),
        py::arg("smoothing"), py::arg("seed"), py::arg("bootstrap"),
        py::arg("confidence"));
  m.def("kl_categorical_labels", &kl_categorical_labels, py::arg("x"),
        py::arg("y"), py::arg("smoothing"), py::arg("seed"),
        py::arg("bootstrap"), py::arg("confidence"));
  py::class_<fit_core, std::shared_ptr<fit_core>>(m, "FitCore")
      .def(
          "html",
          [](const fit_core& c, const std::string& title,
             const std::string& data) {
            return kldiv::fit_report_html(
                c.result, c.values, c.counts,
                report_options_of(title, "", "", data));
          },
          py::arg("title"), py::arg("data"));
  py::class_<kldiv::comparison, std::shared_ptr<kldiv::comparison>>(
      m, "ComparisonCore")
      .def(
          "html",
          [](const kldiv::comparison& c, const std::string& title,
             const std::string& reference, const std::string& current) {
            return kldiv::compare_report_html(
                c, report_options_of(title, reference, current, ""));
          },
          py::arg("title"), py::arg("reference"), py::arg("current"));
  m.def("compare_columns", &compare_columns, py::arg("reference"),
        py::arg("current"), py::arg("rule"), py::arg("bins"), py::arg("edges"),
        py::arg("smoothing"), py::arg("permutations"), py::arg("bootstrap"),
        py::arg("confidence"), py::arg("seed"), py::arg("alpha"),
        py::arg("js_possible"), py::arg("js_drift"), py::arg("threads"));
  m.def("mutual_information_ksg_rows", &mutual_information_ksg_rows,
        py::arg("x"), py::arg("y"), py::arg("k"), py::arg("variant"),
        py::arg("ties"), py::arg("jitter_scale"), py::arg("seed"),
        py::arg("threads"), py::arg("bootstrap"), py::arg("confidence"));
  m.def("cross_entropy_rows", &cross_entropy_rows, py::arg("logits"),
        py::arg("labels"), py::arg("ignore_index"), py::arg("options"),
        py::arg("mask"), py::arg("want_grad"));

  m.def("scipy_rel_entr", [](const py::array& x, const py::array& y) {
    return scipy_elementwise(x, y, [](auto a, auto b, auto o) {
      kldiv::scipy_compat::rel_entr(a, b, o);
    });
  });
  m.def("scipy_kl_div", [](const py::array& x, const py::array& y) {
    return scipy_elementwise(x, y, [](auto a, auto b, auto o) {
      kldiv::scipy_compat::kl_div(a, b, o);
    });
  });
  m.def(
      "scipy_entropy",
      [](const py::array& pk, std::optional<py::array> qk,
         std::optional<double> base) {
        const auto pv = view<double>(pk);
        std::vector<double> r;
        if (qk) {
          const auto qv = view<double>(*qk);
          py::gil_scoped_release release;
          r = kldiv::scipy_compat::entropy(pv, &qv, base);
        } else {
          py::gil_scoped_release release;
          r = kldiv::scipy_compat::entropy(pv, nullptr, base);
        }
        return to_array(std::move(r));
      },
      py::arg("pk"), py::arg("qk"), py::arg("base"));
  m.def(
      "scipy_jensenshannon",
      [](const py::array& p, const py::array& q, std::optional<double> base) {
        const auto pv = view<double>(p), qv = view<double>(q);
        std::vector<double> r;
        {
          py::gil_scoped_release release;
          r = kldiv::scipy_compat::jensenshannon(pv, qv, base);
        }
        return to_array(std::move(r));
      },
      py::arg("p"), py::arg("q"), py::arg("base"));
}
