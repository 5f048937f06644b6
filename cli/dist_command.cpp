#include "dist_command.hpp"

#include <fmt/format.h>

#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

#include "input.hpp"
#include "kldiv/discrete.hpp"
#include "kldiv/distribution.hpp"
#include "kldiv/error.hpp"
#include "output.hpp"

namespace kldiv::cli {
namespace {

constexpr const char* kDescription = R"(
DESCRIPTION
  KL divergence between two parametric distributions, both ways, exactly where
  a closed form exists; +inf where the supports make it infinite (P puts mass
  where Q has none); otherwise, with --mc N, a Monte Carlo estimate with its
  standard error, or with --integrate numerical integration (Boost.Math's
  double-exponential quadrature) with its error estimate for one-dimensional
  pairs (without either, such a value reads n/a with the reason). Also
  each distribution's entropy and the cross-entropy H(P, Q) = H(P) + KL(P||Q).

  A distribution is a spec: FAMILY(ARGS), arguments positional or name=value,
  vectors as JSON arrays; parameters with defaults may be left out. Or
  @file.json holding {"family": "normal", "loc": 0, "scale": 1}.
)";

constexpr const char* kFooter = R"(
FAMILIES (parameters in order; = marks a default)
  normal(loc=0, scale=1)        exponential(rate=1)      gamma(shape, rate=1)
  chi2(df)                      beta(a, b)               laplace(loc=0, scale=1)
  uniform(low, high)            lognormal(loc=0, scale=1)
  cauchy(loc=0, scale=1)        gumbel(loc=0, scale=1)   half_normal(scale=1)
  pareto(scale, alpha)          weibull(scale, shape)
  student_t(df, loc=0, scale=1) von_mises(loc=0, concentration=1)
  bernoulli(p)  binomial(n, p)  poisson(rate)  geometric(p)  (failures before
  the first success)  categorical([p0, p1, ...])  dirichlet([a0, a1, ...])
  multivariate_normal(mean, covariance): mean [m0, ...], covariance rows
  [[c00, c01], [c10, c11]] (full) or [v0, v1] (the variances of a diagonal)

OUTPUT
  A table in the unit of --base, each value with how it was obtained (closed
  form, support, Monte Carlo ± standard error), and the other measures that
  apply: for two finite supports (bernoulli, binomial, categorical) the JS
  divergence, Hellinger distance, total variation and Bhattacharyya
  distance; for two normals (or multivariate normals) the Bhattacharyya and
  Hellinger distances and the 2-Wasserstein distance (in the unit of x). --measure NAME prints one
  number (kl, reverse_kl, cross_entropy, entropy_p, entropy_q, or one of
  those: js_divergence, hellinger, total_variation, bhattacharyya_distance,
  wasserstein2); --json one object (non-finite values as the strings "inf",
  "-inf", "nan").

EXAMPLES
  kldiv dist 'normal(0, 1)' 'normal(loc=1, scale=2)'
  kldiv dist --base 2 'bernoulli(0.3)' 'bernoulli(0.5)'
  kldiv dist 'gamma(shape=2, rate=1)' 'gamma(3)' --json
  kldiv dist --mc 1000000 --seed 7 'student_t(3)' 'student_t(5)'
  kldiv dist --integrate 'student_t(3)' 'student_t(5)'
  kldiv dist 'multivariate_normal([0, 0], [[2, 0.5], [0.5, 1]])' \
             'multivariate_normal([1, 0], [1, 1])'

EXIT STATUS
  0 on success; 2 for a bad spec (naming the family, the parameter and what
  is allowed), or for --measure of a value that needs --mc (the table shows
  such a value as n/a with the reason); 1 for an internal error.)";

// One line of the table: its value, or why there is none.
struct row {
  std::string name;
  std::string label;
  std::optional<kl_result> value;
  std::string missing;  // why value is empty
};

kl_result exact_result(double v, const char* method) {
  kl_result r;
  r.value = v;
  r.method = method;
  return r;
}

// An entropy, or the reason it is not available.
row entropy_row(const char* name, const char* label, const distribution& d) {
  row r{name, label, std::nullopt, {}};
  try {
    r.value = exact_result(
        std::visit([](const auto& x) { return entropy(x); }, d), "closed form");
  } catch (const NotSupported& e) {
    r.missing = e.what();
  }
  return r;
}

// The probability vector of a family with finite support (Bernoulli,
// binomial up to 10^6 trials, categorical), if it is one.
std::optional<std::vector<double>> finite_pmf(const distribution& d) {
  if (const auto* b = std::get_if<bernoulli>(&d)) {
    return std::vector<double>{1.0 - b->p(), b->p()};
  }
  if (const auto* b = std::get_if<binomial>(&d)) {
    if (b->n() > 1'000'000) return std::nullopt;
    std::vector<double> v(static_cast<std::size_t>(b->n()) + 1);
    for (std::size_t k = 0; k < v.size(); ++k) {
      v[k] = std::exp(log_pmf(*b, static_cast<std::int64_t>(k)));
    }
    return v;
  }
  if (const auto* c = std::get_if<categorical>(&d)) return c->probs();
  return std::nullopt;
}

// The measures besides KL that apply to the pair: for two finite supports
// the discrete measures of the two probability vectors; for two normals the
// Gaussian ones (Bhattacharyya, Hellinger, 2-Wasserstein). Values in nats
// where a unit applies (scaled later), `unitless` marking the others.
struct extra {
  std::string name, label;
  double value;
  bool unitless;      // a distance without a unit (Hellinger, TV)
  bool in_x = false;  // in the unit of x (2-Wasserstein)
};

std::vector<extra> other_measures(const distribution& p,
                                  const distribution& q) {
  std::vector<extra> out;
  auto a = finite_pmf(p), b = finite_pmf(q);
  if (a && b) {
    const std::size_t n = std::max(a->size(), b->size());
    a->resize(n, 0.0);
    b->resize(n, 0.0);
    out.push_back({"js_divergence", "JS(P, Q)", js_divergence(*a, *b), false});
    out.push_back({"hellinger", "Hellinger", hellinger(*a, *b), true});
    out.push_back({"total_variation", "TV", total_variation(*a, *b), true});
    out.push_back({"bhattacharyya_distance", "Bhattacharyya",
                   bhattacharyya_distance(*a, *b), false});
    return out;
  }
  // Two normals, or two multivariate normals of one dimension.
  const auto gaussian =
      [](const distribution& d) -> std::optional<multivariate_normal> {
    if (const auto* x = std::get_if<normal>(&d)) {
      return multivariate_normal::diagonal({x->loc()},
                                           {x->scale() * x->scale()});
    }
    if (const auto* m = std::get_if<multivariate_normal>(&d)) return *m;
    return std::nullopt;
  };
  const auto ga = gaussian(p), gb = gaussian(q);
  if (ga && gb && p.index() == q.index() && ga->dim() == gb->dim()) {
    const auto& gp = *ga;
    const auto& gq = *gb;
    out.push_back({"bhattacharyya_distance", "Bhattacharyya",
                   bhattacharyya_distance(gp, gq), false});
    out.push_back({"hellinger", "Hellinger", hellinger(gp, gq), true});
    out.push_back({"wasserstein2", "W2", wasserstein2(gp, gq), true, true});
  }
  return out;
}

std::string text_of(const kl_result& r, const log_base& base) {
  const double v = r.value / base.ln();
  if (r.exact() && r.method != "quadrature") {
    return fmt::format("{:<12} {}", readable(v), r.method);
  }
  if (r.method == "quadrature") {
    return fmt::format("{} ± {}  quadrature (error estimate)", readable(v),
                       readable(r.standard_error / base.ln()));
  }
  return fmt::format("{} ± {}  Monte Carlo, {} samples", readable(v),
                     readable(r.standard_error / base.ln()), r.samples);
}

}  // namespace

CLI::App* add_dist_command(CLI::App& app, dist_args& a) {
  auto* sub = app.add_subcommand(
      "dist",
      "KL between two parametric distributions (exact where a closed "
      "form exists)");
  sub->description(sub->get_description() + "\n" + kDescription);
  sub->footer(kFooter);
  sub->add_option("P", a.p, "The first distribution, e.g. 'normal(0, 1)'")
      ->required();
  sub->add_option("Q", a.q, "The second distribution")->required();
  sub->add_option("--measure,-m", a.measure,
                  "Print only this number: kl, reverse_kl, cross_entropy, "
                  "entropy_p, entropy_q");
  sub->add_option("--base,-b", a.base,
                  "Logarithm base: e (nats), 2 (bits), 10 (hartleys) or any "
                  "number > 1");
  sub->add_option("--mc", a.mc,
                  "Monte Carlo samples for pairs without a closed form");
  sub->add_option("--seed", a.seed, "Seed of the Monte Carlo streams");
  sub->add_flag("--integrate", a.integrate,
                "Numerical integration (summation for discrete pairs) for "
                "one-dimensional pairs without a closed form");
  sub->add_option("--threads", a.threads,
                  "Threads for Monte Carlo (results do not depend on it)")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--json,-j", a.json, "Print one JSON object");
  return sub;
}

std::string run_dist(const dist_args& a) {
  const distribution p = parse_distribution(a.p);
  const distribution q = parse_distribution(a.q);
  const log_base base = parse_base(a.base);
  if (a.mc && a.integrate) {
    throw InvalidArgument("--mc and --integrate: choose one");
  }
  const auto divergence = [&](const distribution& x, const distribution& y) {
    if (a.mc) return kl(x, y, monte_carlo{*a.mc, a.seed, a.threads});
    if (a.integrate) {
      try {
        return kl(x, y);
      } catch (const NotSupported&) {
        return kl_integrate(x, y);
      }
    }
    return kl(x, y);
  };
  std::vector<row> rows;
  const auto kl_row = [&](const char* name, const char* label,
                          const distribution& x, const distribution& y) {
    row r{name, label, std::nullopt, {}};
    try {
      r.value = divergence(x, y);
    } catch (const NotSupported& e) {
      r.missing = e.what();
    }
    return r;
  };
  rows.push_back(kl_row("kl", "KL(P||Q)", p, q));
  rows.push_back(kl_row("reverse_kl", "KL(Q||P)", q, p));
  rows.push_back(entropy_row("entropy_p", "H(P)", p));
  rows.push_back(entropy_row("entropy_q", "H(Q)", q));
  {
    row ce{"cross_entropy", "H(P, Q)", std::nullopt, {}};
    if (rows[0].value && rows[2].value) {
      kl_result r = *rows[0].value;
      r.value += rows[2].value->value;
      ce.value = r;
    } else {
      ce.missing = !rows[0].value ? rows[0].missing : rows[2].missing;
    }
    rows.push_back(ce);
  }
  const auto extras = other_measures(p, q);
  const auto scaled = [&](const extra& e) {
    return e.unitless ? e.value : e.value / base.ln();
  };
  if (a.measure) {
    for (const auto& e : extras) {
      if (e.name != *a.measure) continue;
      if (a.json) {
        return nlohmann::json{{"measure", e.name},
                              {"value", json_number(scaled(e))},
                              {"unit", e.in_x       ? "x"
                                       : e.unitless ? "none"
                                                    : base.unit()}}
                   .dump(2) +
               "\n";
      }
      return exact(scaled(e)) + "\n";
    }
    for (const auto& r : rows) {
      if (r.name != *a.measure) continue;
      if (!r.value) throw NotSupported(r.missing);
      if (a.json) {
        return nlohmann::json{
                   {"measure", r.name},
                   {"value", json_number(r.value->value / base.ln())},
                   {"unit", base.unit()}}
                   .dump(2) +
               "\n";
      }
      return exact(r.value->value / base.ln()) + "\n";
    }
    std::string names = "kl, reverse_kl, cross_entropy, entropy_p, entropy_q";
    for (const auto& e : extras) names += ", " + e.name;
    throw InvalidArgument("--measure '" + *a.measure +
                          "': for this pair, "
                          "choose one of " +
                          names);
  }
  if (a.json) {
    nlohmann::json j;
    j["p"] = describe(p);
    j["q"] = describe(q);
    j["unit"] = base.unit();
    for (const auto& r : rows) {
      nlohmann::json v;
      if (r.value) {
        v["value"] = json_number(r.value->value / base.ln());
        v["method"] = r.value->method;
        if (r.value->method == "quadrature") {
          v["error_estimate"] =
              json_number(r.value->standard_error / base.ln());
        } else if (!r.value->exact()) {
          v["standard_error"] =
              json_number(r.value->standard_error / base.ln());
          v["samples"] = r.value->samples;
          v["seed"] = a.seed;
        }
      } else {
        v["value"] = nullptr;
        v["why"] = r.missing;
      }
      j["measures"][r.name] = v;
    }
    for (const auto& e : extras) {
      j["measures"][e.name] = {{"value", json_number(scaled(e))},
                               {"method", "closed form"}};
      if (e.unitless) j["measures"][e.name]["unit"] = e.in_x ? "x" : "none";
    }
    return j.dump(2) + "\n";
  }
  std::string out = fmt::format("P: {}\nQ: {}\nunit: {}\n\n", describe(p),
                                describe(q), base.unit());
  for (const auto& r : rows) {
    out += fmt::format("{:<13} {}\n", r.label,
                       r.value ? text_of(*r.value, base) : "n/a: " + r.missing);
  }
  for (const auto& e : extras) {
    out += fmt::format("{:<13} {:<12} {}\n", e.label, readable(scaled(e)),
                       e.in_x       ? "closed form (in the unit of x)"
                       : e.unitless ? "closed form (no unit)"
                                    : "closed form");
  }
  return out;
}

}  // namespace kldiv::cli
