// The runtime distribution type: the spec language, descriptions, support
// checks, and KL by closed form, by support (+inf), or by Monte Carlo over
// seeded per-block streams (bit-identical for any thread count).
#include "kldiv/distribution.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "format_number.hpp"
#include "kldiv/error.hpp"
#include "pmf_sum.hpp"
#include "running_moments.hpp"
#include "terms.hpp"

namespace kldiv {
namespace {

using detail::format_number;
using json = nlohmann::json;

constexpr double kInf = std::numeric_limits<double>::infinity();

// ---- the families' parameters ----------------------------------------------

// One parameter of a family: its name and, when it may be omitted, its
// default.
struct param {
  std::string name;
  std::optional<double> fallback;
  bool vector = false;
  bool matrix = false;  // a matrix, or a vector for its diagonal
};

struct family_spec {
  std::string name;
  std::vector<param> params;
  // Builds the distribution from one value per parameter (numbers or arrays).
  std::function<distribution(const std::vector<json>&)> build;
  // For families whose parameters are all numbers: the same from the
  // numbers (no JSON), for batches; empty for the others.
  std::function<distribution(const double*)> from_numbers = {};
};

double num(const json& v) { return v.get<double>(); }
std::vector<double> vec(const json& v) { return v.get<std::vector<double>>(); }

// multivariate_normal(mean, covariance): a matrix (rows as arrays: full) or
// a vector (the variances of a diagonal covariance).
distribution make_mvn(const json& mean, const json& cov) {
  std::vector<double> m = vec(mean);
  if (!cov.empty() && cov.front().is_array()) {
    const std::size_t d = cov.size();
    std::vector<double> flat;
    for (std::size_t i = 0; i < d; ++i) {
      if (cov[i].size() != d) {
        throw InvalidArgument("multivariate_normal: covariance row " +
                              std::to_string(i) + " has " +
                              std::to_string(cov[i].size()) +
                              " entries, but the "
                              "matrix has " +
                              std::to_string(d) + " rows (it must be square)");
      }
      for (const auto& e : cov[i]) flat.push_back(e.get<double>());
    }
    return multivariate_normal::full(
        std::move(m), matrix_view<double>::dense(flat.data(), d, d));
  }
  return multivariate_normal::diagonal(std::move(m), vec(cov));
}

distribution make_binomial(double n, double p) {
  if (!(n >= 0.0 && n <= 9.0e15 && std::floor(n) == n)) {
    throw InvalidArgument("binomial: n = " + format_number(n) +
                          ", but must be a whole number >= 0");
  }
  return binomial(static_cast<std::int64_t>(n), p);
}

const std::vector<family_spec>& families() {
  static const std::vector<family_spec> specs = [] {
    std::vector<family_spec> f;
    const auto scalar2 = [&](const char* name, const char* a,
                             std::optional<double> da, const char* b,
                             std::optional<double> db, auto make) {
      f.push_back({name,
                   {{a, da}, {b, db}},
                   [make](const std::vector<json>& v) -> distribution {
                     return make(num(v[0]), num(v[1]));
                   },
                   [make](const double* v) -> distribution {
                     return make(v[0], v[1]);
                   }});
    };
    const auto scalar1 = [&](const char* name, const char* a,
                             std::optional<double> da, auto make) {
      f.push_back(
          {name,
           {{a, da}},
           [make](const std::vector<json>& v) -> distribution {
             return make(num(v[0]));
           },
           [make](const double* v) -> distribution { return make(v[0]); }});
    };
    scalar2("normal", "loc", 0.0, "scale", 1.0,
            [](double a, double b) { return normal(a, b); });
    scalar1("exponential", "rate", 1.0,
            [](double a) { return exponential(a); });
    scalar2("gamma", "shape", std::nullopt, "rate", 1.0,
            [](double a, double b) { return gamma(a, b); });
    scalar1("chi2", "df", std::nullopt, [](double a) { return chi2(a); });
    scalar2("beta", "a", std::nullopt, "b", std::nullopt,
            [](double a, double b) { return beta(a, b); });
    scalar2("laplace", "loc", 0.0, "scale", 1.0,
            [](double a, double b) { return laplace(a, b); });
    scalar2("uniform", "low", std::nullopt, "high", std::nullopt,
            [](double a, double b) { return uniform(a, b); });
    scalar2("lognormal", "loc", 0.0, "scale", 1.0,
            [](double a, double b) { return lognormal(a, b); });
    scalar2("cauchy", "loc", 0.0, "scale", 1.0,
            [](double a, double b) { return cauchy(a, b); });
    scalar2("gumbel", "loc", 0.0, "scale", 1.0,
            [](double a, double b) { return gumbel(a, b); });
    scalar1("half_normal", "scale", 1.0,
            [](double a) { return half_normal(a); });
    scalar2("pareto", "scale", std::nullopt, "alpha", std::nullopt,
            [](double a, double b) { return pareto(a, b); });
    scalar2("weibull", "scale", std::nullopt, "shape", std::nullopt,
            [](double a, double b) { return weibull(a, b); });
    f.push_back({"student_t",
                 {{"df", std::nullopt}, {"loc", 0.0}, {"scale", 1.0}},
                 [](const std::vector<json>& v) -> distribution {
                   return student_t(num(v[0]), num(v[1]), num(v[2]));
                 },
                 [](const double* v) -> distribution {
                   return student_t(v[0], v[1], v[2]);
                 }});
    scalar2("von_mises", "loc", 0.0, "concentration", 1.0,
            [](double a, double b) { return von_mises(a, b); });
    scalar1("bernoulli", "p", std::nullopt,
            [](double a) { return bernoulli(a); });
    f.push_back({"binomial",
                 {{"n", std::nullopt}, {"p", std::nullopt}},
                 [](const std::vector<json>& v) -> distribution {
                   return make_binomial(num(v[0]), num(v[1]));
                 },
                 [](const double* v) -> distribution {
                   return make_binomial(v[0], v[1]);
                 }});
    scalar1("poisson", "rate", std::nullopt,
            [](double a) { return poisson(a); });
    scalar1("geometric", "p", std::nullopt,
            [](double a) { return geometric(a); });
    f.push_back({"categorical",
                 {{"probs", std::nullopt, true}},
                 [](const std::vector<json>& v) -> distribution {
                   return categorical(vec(v[0]));
                 }});
    f.push_back({"dirichlet",
                 {{"alpha", std::nullopt, true}},
                 [](const std::vector<json>& v) -> distribution {
                   return dirichlet(vec(v[0]));
                 }});
    f.push_back({"multivariate_normal",
                 {{"mean", std::nullopt, true},
                  {"covariance", std::nullopt, false, true}},
                 [](const std::vector<json>& v) -> distribution {
                   return make_mvn(v[0], v[1]);
                 }});
    return f;
  }();
  return specs;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

const family_spec& family_named(std::string_view name) {
  for (const auto& f : families()) {
    if (f.name == name) return f;
  }
  throw InvalidArgument("unknown family '" + std::string(name) +
                        "': choose one of " +
                        join_names(distribution_families()));
}

std::string param_names(const family_spec& f) {
  std::vector<std::string> names;
  for (const auto& p : f.params) names.push_back(p.name);
  return join_names(names);
}

// ---- the spec language -----------------------------------------------------

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

// Splits at the commas outside brackets.
std::vector<std::string_view> split_args(std::string_view s,
                                         const std::string& family) {
  std::vector<std::string_view> out;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '[') ++depth;
    if (s[i] == ']' && --depth < 0) {
      throw InvalidArgument(family + ": unbalanced ']' in the arguments");
    }
    if (s[i] == ',' && depth == 0) {
      out.push_back(trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (depth != 0) {
    throw InvalidArgument(family + ": unbalanced '[' in the arguments");
  }
  const auto last = trim(s.substr(start));
  if (!last.empty() || !out.empty()) out.push_back(last);
  return out;
}

// A value: a number (also inf, -inf) or a JSON array of numbers.
json parse_value(std::string_view text, const family_spec& f, const param& p) {
  const std::string t(trim(text));
  const auto where = f.name + ": " + p.name + " = '" + t + "'";
  if (t == "inf" || t == "+inf") return kInf;
  if (t == "-inf") return -kInf;
  json v;
  const char* wanted = p.matrix   ? "a JSON matrix (array of rows) or array"
                       : p.vector ? "a JSON array of numbers"
                                  : "a number";
  try {
    v = json::parse(t);
  } catch (const json::exception&) {
    throw InvalidArgument(where + " is not " + wanted);
  }
  const auto numbers = [](const json& a) {
    return a.is_array() && !a.empty() &&
           std::all_of(a.begin(), a.end(),
                       [](const json& e) { return e.is_number(); });
  };
  if (p.matrix) {
    const bool rows =
        v.is_array() && !v.empty() && std::all_of(v.begin(), v.end(), numbers);
    if (!rows && !numbers(v)) {
      throw InvalidArgument(where + " is not " + std::string(wanted) +
                            " of numbers");
    }
  } else if (p.vector) {
    if (!v.is_array() || !std::all_of(v.begin(), v.end(), [](const json& e) {
          return e.is_number();
        })) {
      throw InvalidArgument(where + " is not a JSON array of numbers");
    }
  } else if (!v.is_number()) {
    throw InvalidArgument(where + " is not a number");
  }
  return v;
}

distribution build(const family_spec& f,
                   std::vector<std::optional<json>> values) {
  std::vector<json> args;
  for (std::size_t i = 0; i < f.params.size(); ++i) {
    if (values[i]) {
      args.push_back(*values[i]);
    } else if (f.params[i].fallback) {
      args.push_back(*f.params[i].fallback);
    } else {
      throw InvalidArgument(f.name + ": missing parameter '" +
                            f.params[i].name + "' (its parameters are " +
                            param_names(f) + ")");
    }
  }
  return f.build(args);
}

std::size_t param_index(const family_spec& f, std::string_view name) {
  for (std::size_t i = 0; i < f.params.size(); ++i) {
    if (f.params[i].name == name) return i;
  }
  throw InvalidArgument(f.name + ": unknown parameter '" + std::string(name) +
                        "': its parameters are " + param_names(f));
}

distribution parse_json_spec(const json& j, const std::string& source) {
  if (!j.is_object() || !j.contains("family") || !j["family"].is_string()) {
    throw InvalidArgument(source +
                          ": expected a JSON object with a \"family\" string "
                          "and the family's parameters");
  }
  const family_spec& f = family_named(j["family"].get<std::string>());
  std::vector<std::optional<json>> values(f.params.size());
  for (const auto& [key, value] : j.items()) {
    if (key == "family") continue;
    const std::size_t i = param_index(f, key);
    values[i] = parse_value(value.dump(), f, f.params[i]);
  }
  return build(f, values);
}

}  // namespace

const std::vector<std::string>& distribution_families() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& f : families()) n.push_back(f.name);
    return n;
  }();
  return names;
}

distribution parse_distribution(std::string_view spec_text) {
  const std::string_view spec = trim(spec_text);
  if (spec.starts_with('@')) {
    const std::string path(spec.substr(1));
    std::ifstream in(path);
    if (!in) throw IoError(path + ": cannot open");
    std::stringstream ss;
    ss << in.rdbuf();
    json j;
    try {
      j = json::parse(ss.str());
    } catch (const json::exception& e) {
      throw IoError(path + ": not JSON (" + e.what() + ")");
    }
    return parse_json_spec(j, path);
  }
  const auto open = spec.find('(');
  const std::string name(trim(spec.substr(0, open)));
  const family_spec& f = family_named(name);
  if (open == std::string_view::npos) {
    // Every parameter at its default (not `{size}`: that would be a list of
    // one number).
    return build(f, std::vector<std::optional<json>>(f.params.size()));
  }
  if (!spec.ends_with(')')) {
    throw InvalidArgument(f.name + ": the arguments must end with ')'");
  }
  const auto args =
      split_args(spec.substr(open + 1, spec.size() - open - 2), f.name);
  std::vector<std::optional<json>> values(f.params.size());
  std::size_t positional = 0;
  bool named_seen = false;
  for (const auto arg : args) {
    if (arg.empty()) throw InvalidArgument(f.name + ": an empty argument");
    const auto eq = arg.find('=');
    if (eq != std::string_view::npos && arg.find('[') > eq) {
      const std::size_t i = param_index(f, trim(arg.substr(0, eq)));
      if (values[i]) {
        throw InvalidArgument(f.name + ": " + f.params[i].name +
                              " is given twice");
      }
      values[i] = parse_value(arg.substr(eq + 1), f, f.params[i]);
      named_seen = true;
      continue;
    }
    if (named_seen) {
      throw InvalidArgument(f.name +
                            ": a positional argument after a named one");
    }
    if (positional >= f.params.size()) {
      throw InvalidArgument(f.name + ": " + std::to_string(args.size()) +
                            " arguments, but it takes at most " +
                            std::to_string(f.params.size()) + " (" +
                            param_names(f) + ")");
    }
    values[positional] = parse_value(arg, f, f.params[positional]);
    ++positional;
  }
  return build(f, values);
}

std::vector<distribution_parameter> distribution_parameters(
    std::string_view family) {
  std::vector<distribution_parameter> out;
  for (const auto& p : family_named(family).params) {
    out.push_back({p.name, p.fallback, p.vector, p.matrix});
  }
  return out;
}

distribution_builder::distribution_builder(std::string_view family)
    : spec_(&family_named(family)) {
  const auto& f = *static_cast<const family_spec*>(spec_);
  if (!f.from_numbers) {
    throw InvalidArgument("distribution_builder: " + f.name +
                          " has a parameter that is not a number (" +
                          param_names(f) + "): use make_distribution");
  }
}

std::size_t distribution_builder::parameters() const {
  return static_cast<const family_spec*>(spec_)->params.size();
}

distribution distribution_builder::operator()(
    std::span<const double> values) const {
  const auto& f = *static_cast<const family_spec*>(spec_);
  if (values.size() != f.params.size()) {
    throw InvalidArgument(f.name + ": " + std::to_string(values.size()) +
                          " parameter values, but it takes " +
                          std::to_string(f.params.size()) + " (" +
                          param_names(f) + ")");
  }
  return f.from_numbers(values.data());
}

distribution make_distribution(std::string_view family,
                               const std::vector<std::vector<double>>& values) {
  const family_spec& f = family_named(family);
  if (values.size() != f.params.size()) {
    throw InvalidArgument(f.name + ": " + std::to_string(values.size()) +
                          " parameter values, but it takes " +
                          std::to_string(f.params.size()) + " (" +
                          param_names(f) + ")");
  }
  std::vector<json> args;
  args.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (f.params[i].matrix) {
      // d * d numbers row-major (full), or d (a diagonal), d from the mean.
      const std::size_t d = values[0].size();
      if (values[i].size() == d * d && d > 1) {
        json rows = json::array();
        for (std::size_t r = 0; r < d; ++r) {
          rows.push_back(std::vector<double>(values[i].begin() + r * d,
                                             values[i].begin() + (r + 1) * d));
        }
        args.push_back(std::move(rows));
      } else {
        args.emplace_back(values[i]);
      }
    } else if (f.params[i].vector) {
      args.emplace_back(values[i]);
    } else if (values[i].size() == 1) {
      args.emplace_back(values[i][0]);
    } else {
      throw InvalidArgument(f.name + ": " + f.params[i].name +
                            " takes one number, not " +
                            std::to_string(values[i].size()));
    }
  }
  return f.build(args);
}

std::string_view family(const distribution& d) {
  return std::visit([](const auto& x) { return kldiv::family(x); }, d);
}

namespace {

std::string numbers(const std::vector<double>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    out += (i ? ", " : "") + format_number(v[i]);
  }
  return out + "]";
}

}  // namespace

// The covariance as the spec writes it: the variances for a diagonal form,
// rows otherwise; to 15 significant digits, as it is formed again from the
// factor the distribution keeps (2 rather than 2.0000000000000004).
std::string numbers15(const std::vector<double>& v) {
  std::string out = "[";
  char buf[32];
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%.15g", v[i]);
    out += (i ? ", " : "") + std::string(buf);
  }
  return out + "]";
}

std::string mvn_cov(const multivariate_normal& m) {
  const std::size_t d = m.dim();
  if (m.kind() == multivariate_normal::form::diagonal) {
    std::vector<double> v;
    for (double s : m.factor()) v.push_back(s * s);
    return numbers15(v);
  }
  std::vector<double> c(d * d, 0.0);
  if (m.kind() == multivariate_normal::form::full) {
    const auto& l = m.factor();  // L L^T
    for (std::size_t i = 0; i < d; ++i) {
      for (std::size_t j = 0; j < d; ++j) {
        for (std::size_t k = 0; k <= std::min(i, j); ++k) {
          c[i * d + j] += l[i * d + k] * l[j * d + k];
        }
      }
    }
  } else {
    const std::size_t r = m.rank();
    const auto& w = m.factor();  // W W^T + D
    for (std::size_t i = 0; i < d; ++i) {
      for (std::size_t j = 0; j < d; ++j) {
        for (std::size_t k = 0; k < r; ++k) {
          c[i * d + j] += w[i * r + k] * w[j * r + k];
        }
      }
      c[i * d + i] += m.diag()[i];
    }
  }
  std::string out = "[";
  for (std::size_t i = 0; i < d; ++i) {
    out += (i ? ", " : "") + numbers15(std::vector<double>(
                                 c.begin() + i * d, c.begin() + (i + 1) * d));
  }
  return out + "]";
}

std::string describe(const distribution& d) {
  return std::visit(
      [](const auto& x) -> std::string {
        using F = std::decay_t<decltype(x)>;
        const auto n = [](double v) { return format_number(v); };
        std::string args;
        if constexpr (std::is_same_v<F, normal> || std::is_same_v<F, laplace> ||
                      std::is_same_v<F, lognormal> ||
                      std::is_same_v<F, cauchy> || std::is_same_v<F, gumbel>) {
          args = "loc=" + n(x.loc()) + ", scale=" + n(x.scale());
        } else if constexpr (std::is_same_v<F, exponential> ||
                             std::is_same_v<F, poisson>) {
          args = "rate=" + n(x.rate());
        } else if constexpr (std::is_same_v<F, gamma>) {
          args = "shape=" + n(x.shape()) + ", rate=" + n(x.rate());
        } else if constexpr (std::is_same_v<F, chi2>) {
          args = "df=" + n(x.df());
        } else if constexpr (std::is_same_v<F, beta>) {
          args = "a=" + n(x.a()) + ", b=" + n(x.b());
        } else if constexpr (std::is_same_v<F, uniform>) {
          args = "low=" + n(x.low()) + ", high=" + n(x.high());
        } else if constexpr (std::is_same_v<F, half_normal>) {
          args = "scale=" + n(x.scale());
        } else if constexpr (std::is_same_v<F, pareto>) {
          args = "scale=" + n(x.scale()) + ", alpha=" + n(x.alpha());
        } else if constexpr (std::is_same_v<F, weibull>) {
          args = "scale=" + n(x.scale()) + ", shape=" + n(x.shape());
        } else if constexpr (std::is_same_v<F, student_t>) {
          args = "df=" + n(x.df()) + ", loc=" + n(x.loc()) +
                 ", scale=" + n(x.scale());
        } else if constexpr (std::is_same_v<F, von_mises>) {
          args =
              "loc=" + n(x.loc()) + ", concentration=" + n(x.concentration());
        } else if constexpr (std::is_same_v<F, bernoulli> ||
                             std::is_same_v<F, geometric>) {
          args = "p=" + n(x.p());
        } else if constexpr (std::is_same_v<F, binomial>) {
          args = "n=" + std::to_string(x.n()) + ", p=" + n(x.p());
        } else if constexpr (std::is_same_v<F, categorical>) {
          args = "probs=" + numbers(x.probs());
        } else if constexpr (std::is_same_v<F, dirichlet>) {
          args = "alpha=" + numbers(x.alpha());
        } else {
          args = "mean=" + numbers(x.mean()) + ", covariance=" + mvn_cov(x);
        }
        return std::string(kldiv::family(x)) + "(" + args + ")";
      },
      d);
}

// ---- supports --------------------------------------------------------------

namespace {

// Where a distribution puts its mass, as an interval (closed or open ends do
// not matter to KL); `discrete` for the families on whole numbers.
struct support {
  double lo = -kInf, hi = kInf;
  bool discrete = false;
  bool simplex = false;        // Dirichlet
  bool circle = false;         // von Mises
  std::size_t vector_dim = 0;  // multivariate normal: its dimension
};

support support_of(const distribution& d) {
  return std::visit(
      [](const auto& x) -> support {
        using F = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<F, exponential> ||
                      std::is_same_v<F, gamma> || std::is_same_v<F, chi2> ||
                      std::is_same_v<F, lognormal> ||
                      std::is_same_v<F, half_normal> ||
                      std::is_same_v<F, weibull>) {
          return {0.0, kInf};
        } else if constexpr (std::is_same_v<F, beta>) {
          return {0.0, 1.0};
        } else if constexpr (std::is_same_v<F, uniform>) {
          return {x.low(), x.high()};
        } else if constexpr (std::is_same_v<F, pareto>) {
          return {x.scale(), kInf};
        } else if constexpr (std::is_same_v<F, von_mises>) {
          return {-kInf, kInf, false, false, true};
        } else if constexpr (std::is_same_v<F, bernoulli>) {
          return {x.p() == 1.0 ? 1.0 : 0.0, x.p() == 0.0 ? 0.0 : 1.0, true};
        } else if constexpr (std::is_same_v<F, binomial>) {
          const auto n = static_cast<double>(x.n());
          if (x.p() == 0.0) return {0.0, 0.0, true};
          if (x.p() == 1.0) return {n, n, true};
          return {0.0, n, true};
        } else if constexpr (std::is_same_v<F, poisson>) {
          return {0.0, kInf, true};
        } else if constexpr (std::is_same_v<F, geometric>) {
          return {0.0, x.p() == 1.0 ? 0.0 : kInf, true};
        } else if constexpr (std::is_same_v<F, categorical>) {
          const auto& p = x.probs();
          std::size_t first = 0, last = p.size() - 1;
          while (p[first] == 0.0) ++first;
          while (p[last] == 0.0) --last;
          return {static_cast<double>(first), static_cast<double>(last), true};
        } else if constexpr (std::is_same_v<F, dirichlet>) {
          return {0.0, 1.0, false, true};
        } else if constexpr (std::is_same_v<F, multivariate_normal>) {
          return {-kInf, kInf, false, false, false, x.dim()};
        } else {
          return {};  // the real line
        }
      },
      d);
}

// Whether KL(P || Q) is +inf by the supports alone (P puts mass where Q has
// none), or the pair has no common sample space (nullopt).
std::optional<bool> infinite_by_support(const distribution& p,
                                        const distribution& q) {
  const support a = support_of(p), b = support_of(q);
  if (a.simplex != b.simplex || a.circle != b.circle ||
      a.vector_dim != b.vector_dim) {
    return std::nullopt;
  }
  if (a.discrete != b.discrete) return true;
  return a.lo < b.lo || a.hi > b.hi;
}

std::string pair_name(const distribution& p, const distribution& q) {
  return "kl(" + std::string(family(p)) + ", " + std::string(family(q)) + ")";
}

// The closed form of the pair, if kldiv::kl has one for the two families
// (same-family or cross-family, distributions.hpp). The result type must be
// double: kl(const distribution&, const distribution&) would otherwise match
// through the variant's converting constructor.
std::optional<double> closed_form(const distribution& p,
                                  const distribution& q) {
  return std::visit(
      [](const auto& x, const auto& y) -> std::optional<double> {
        using P = std::decay_t<decltype(x)>;
        using Q = std::decay_t<decltype(y)>;
        if constexpr (std::is_same_v<P, student_t> ||
                      std::is_same_v<Q, student_t>) {
          return std::nullopt;  // no closed form
        } else if constexpr (requires {
                               { kldiv::kl(x, y) } -> std::same_as<double>;
                             }) {
          return kldiv::kl(x, y);
        } else {
          return std::nullopt;
        }
      },
      p, q);
}

// Σ_k P(k) log(P(k)/Q(k)) over P's support when it is finite (Bernoulli,
// binomial up to 10^7 trials, categorical) and Q is discrete: exact up to
// rounding (compensated sum), for pairs of different families.
std::optional<double> finite_sum(const distribution& p, const distribution& q) {
  std::int64_t top = -1;
  if (std::holds_alternative<bernoulli>(p)) top = 1;
  if (const auto* b = std::get_if<binomial>(&p)) {
    if (b->n() <= 10'000'000) top = b->n();
  }
  if (const auto* c = std::get_if<categorical>(&p)) {
    top = static_cast<std::int64_t>(c->probs().size()) - 1;
  }
  if (top < 0) return std::nullopt;
  return std::visit(
      [top](const auto& pp, const auto& qq) -> std::optional<double> {
        if constexpr (requires {
                        log_pmf(pp, std::int64_t{0});
                        log_pmf(qq, std::int64_t{0});
                      }) {
          return detail::kl_by_summation(pp, qq, top);
        } else {
          return std::nullopt;
        }
      },
      p, q);
}

// ---- Monte Carlo
// -------------------------------------------------------------

constexpr std::size_t kMcBlock = 4096;

// The moments of one block's finite log-ratios (running_moments.hpp), and
// whether some draw fell where q = 0.
struct moments : detail::running_moments {
  bool infinite = false;

  void add(double x) {
    if (x == kInf) {
      infinite = true;
      return;
    }
    running_moments::add(x);
  }
  void merge(const moments& o) {
    infinite = infinite || o.infinite;
    running_moments::merge(o);
  }
};

// log p(x) - log q(x) for one draw x from P.
double draw_log_ratio(const distribution& p, const distribution& q,
                      random_stream& rs) {
  return std::visit(
      [&](const auto& pp, const auto& qq) -> double {
        using P = std::decay_t<decltype(pp)>;
        using Q = std::decay_t<decltype(qq)>;
        constexpr bool vp = std::is_same_v<P, dirichlet> ||
                            std::is_same_v<P, multivariate_normal>;
        constexpr bool vq = std::is_same_v<Q, dirichlet> ||
                            std::is_same_v<Q, multivariate_normal>;
        if constexpr (vp || vq) {
          if constexpr (std::is_same_v<P, Q>) {
            const auto x = sample(pp, rs);
            return log_pdf(pp, x) - log_pdf(qq, x);
          } else {
            throw NotSupported("unreachable");
          }
        } else {
          const auto x = sample(pp, rs);
          if constexpr (std::is_integral_v<decltype(x)>) {
            if constexpr (requires { log_pmf(qq, x); }) {
              const double lq = log_pmf(qq, x);
              return lq == -kInf ? kInf : log_pmf(pp, x) - lq;
            } else {
              return kInf;
            }
          } else {
            if constexpr (requires { log_pdf(qq, x); }) {
              const double lq = log_pdf(qq, x);
              return lq == -kInf ? kInf : log_pdf(pp, x) - lq;
            } else {
              return kInf;
            }
          }
        }
      },
      p, q);
}

}  // namespace

kl_result kl_monte_carlo(const distribution& p, const distribution& q,
                         const monte_carlo& mc) {
  if (mc.samples < 2) {
    throw InvalidArgument("monte_carlo: samples = " +
                          std::to_string(mc.samples) + ", but must be >= 2");
  }
  const auto infinite = infinite_by_support(p, q);
  if (!infinite) {
    throw NotSupported(pair_name(p, q) +
                       ": the two distributions live on different sample "
                       "spaces");
  }
  const std::size_t blocks = (mc.samples + kMcBlock - 1) / kMcBlock;
  std::vector<moments> parts(blocks);
  const int wanted = mc.threads > 0 ? mc.threads : omp_get_max_threads();
  const int threads = static_cast<int>(
      std::min<std::size_t>(static_cast<std::size_t>(wanted), blocks));
  std::vector<std::string> errors(blocks);
  const auto nb = static_cast<std::ptrdiff_t>(blocks);
#pragma omp parallel for schedule(dynamic, 1) \
    num_threads(threads) if (threads > 1)
  for (std::ptrdiff_t b = 0; b < nb; ++b) {
    const auto block = static_cast<std::size_t>(b);
    try {
      random_stream rs(mc.seed, block);
      const std::size_t n = std::min(kMcBlock, mc.samples - block * kMcBlock);
      for (std::size_t i = 0; i < n; ++i) {
        parts[block].add(draw_log_ratio(p, q, rs));
      }
    } catch (const std::exception& e) {
      errors[block] = e.what();
    }
  }
  for (const auto& e : errors) {
    if (!e.empty()) throw NotSupported(pair_name(p, q) + ": " + e);
  }
  moments total;
  for (const auto& part : parts) total.merge(part);
  kl_result r;
  r.samples = mc.samples;
  r.method = "monte carlo";
  if (total.infinite) {
    r.value = kInf;
    r.standard_error = 0.0;  // certain: some draw has q = 0
    return r;
  }
  r.value = total.mean;
  r.standard_error = total.standard_error();
  return r;
}

kl_result kl(const distribution& p, const distribution& q) {
  kl_result r;
  if (const auto v = closed_form(p, q)) {
    r.value = *v;
    r.method = "closed form";
    return r;
  }
  const auto infinite = infinite_by_support(p, q);
  if (infinite && *infinite) {
    r.value = kInf;
    r.method = "support";
    return r;
  }
  if (const auto v = finite_sum(p, q)) {
    r.value = *v;
    r.method = "exact sum";
    return r;
  }
  if (!infinite) {
    throw NotSupported(pair_name(p, q) +
                       ": the two distributions live on different sample "
                       "spaces, so KL is not defined");
  }
  throw NotSupported(pair_name(p, q) +
                     ": no closed form here; a Monte Carlo estimate with its "
                     "standard error applies: kl(p, q, monte_carlo{samples, "
                     "seed}) (kldiv dist --mc N)");
}

kl_result kl(const distribution& p, const distribution& q,
             const monte_carlo& mc) {
  if (closed_form(p, q)) return kl(p, q);
  const auto infinite = infinite_by_support(p, q);
  if (infinite && *infinite) return kl(p, q);
  if (finite_sum(p, q)) return kl(p, q);
  return kl_monte_carlo(p, q, mc);
}

}  // namespace kldiv
