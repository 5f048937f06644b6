#include "gmm_command.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "input.hpp"
#include "kldiv/error.hpp"
#include "kldiv/mixture.hpp"
#include "output.hpp"

namespace kldiv::cli {
namespace {

constexpr const char* kDescription = R"(
DESCRIPTION
  KL(A || B) between two Gaussian mixtures, which has no closed form: a Monte
  Carlo estimate with its standard error (the reference), the approximations
  of Hershey & Olsen (2007) — unscented transform, moment-matched Gaussians,
  product of Gaussians, Goldberger's matched bound, the variational
  approximation — and the bounds: the variational upper bound and the lower
  and upper bounds of Durrieu, Thiran & Kelly (2012). Each row says what it
  is (estimate, approximation, lower or upper bound; exact when both
  mixtures have one component and the method then gives the closed form)
  and how long it took.

  A file is JSON: {"weights": [0.3, 0.7], "means": [[0, 0], [1, 1]],
  "covariances": [[[1, 0], [0, 1]], [[2, 0.5], [0.5, 1]]]}, or "variances":
  [[1, 1], [2, 1]] for diagonal covariances.
)";

constexpr const char* kFooter = R"(
METHODS
  monte_carlo unscented gaussian product matched_bound variational
  variational_upper lower_bound upper_bound, or all (the default)

EXAMPLES
  kldiv gmm a.json b.json
  kldiv gmm --method variational --json a.json b.json
  kldiv gmm --samples 1000000 --seed 7 --js a.json b.json

EXIT STATUS
  0 on success; 2 for a bad file (naming the field and the problem) or bad
  options; 1 for an internal error.)";

std::string kind_label(const gmm_result& r) { return r.kind; }

}  // namespace

CLI::App* add_gmm_command(CLI::App& app, gmm_args& a) {
  auto* sub = app.add_subcommand(
      "gmm",
      "KL between two Gaussian mixtures: every approximation, the "
      "bounds, and Monte Carlo ± standard error");
  sub->description(sub->get_description() + "\n" + kDescription);
  sub->footer(kFooter);
  sub->add_option("A", a.f, "The first mixture (JSON file)")->required();
  sub->add_option("B", a.g, "The second mixture (JSON file)")->required();
  sub->add_option("--method,-m", a.method, "One method, or all");
  sub->add_option("--samples,-n", a.samples, "Monte Carlo draws")
      ->check(CLI::PositiveNumber);
  sub->add_option("--seed", a.seed, "Seed of the Monte Carlo streams");
  sub->add_option("--threads", a.threads,
                  "Threads for Monte Carlo (results do not depend on it)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--base,-b", a.base,
                  "Logarithm base: e (nats), 2 (bits), 10 or any number > 1");
  sub->add_flag("--js", a.js,
                "Also the JS divergence by Monte Carlo, with its standard "
                "error");
  sub->add_flag("--json,-j", a.json, "Print one JSON object");
  return sub;
}

std::string run_gmm(const gmm_args& a) {
  const auto f = read_gaussian_mixture(a.f);
  const auto g = read_gaussian_mixture(a.g);
  const log_base base = parse_base(a.base);
  gmm_options o;
  o.samples = a.samples;
  o.seed = a.seed;
  o.threads = a.threads;
  std::vector<gmm_result> results;
  if (a.method == "all") {
    results = kl_summary(f, g, o);
  } else {
    results.push_back(kl(f, g, gmm_method_named(a.method), o));
  }
  std::optional<gmm_result> js;
  if (a.js) js = js_monte_carlo(f, g, o);
  const double unit = base.ln();
  if (a.json) {
    nlohmann::json j;
    j["a"] = a.f;
    j["b"] = a.g;
    j["unit"] = base.unit();
    j["dimension"] = f.dim();
    j["components"] = {f.size(), g.size()};
    for (const auto& r : results) {
      nlohmann::json v{{"value", json_number(r.value / unit)},
                       {"kind", kind_label(r)},
                       {"seconds", r.seconds}};
      if (r.method == gmm_method::monte_carlo) {
        v["standard_error"] = json_number(r.standard_error / unit);
        v["samples"] = r.samples;
        v["seed"] = a.seed;
      }
      j["kl"][std::string(gmm_method_name(r.method))] = v;
    }
    if (js) {
      j["js"] = {{"value", json_number(js->value / unit)},
                 {"standard_error", json_number(js->standard_error / unit)},
                 {"samples", js->samples},
                 {"kind", "estimate"}};
    }
    return j.dump(2) + "\n";
  }
  const auto count = [](std::size_t k) {
    return std::to_string(k) + (k == 1 ? " component" : " components");
  };
  std::string out = fmt::format(
      "A: {} ({})\nB: {} ({})\ndimension: {}\nunit: {}\n\nKL(A||B)\n", a.f,
      count(f.size()), a.g, count(g.size()), f.dim(), base.unit());
  for (const auto& r : results) {
    std::string value = readable(r.value / unit);
    if (r.method == gmm_method::monte_carlo) {
      value += " ± " + readable(r.standard_error / unit);
    }
    out +=
        fmt::format("  {:<18} {:<24} {:<14} {:.3g} s\n",
                    gmm_method_name(r.method), value, kind_label(r), r.seconds);
  }
  if (js) {
    out += fmt::format("\nJS(A, B)  {} ± {}  estimate, {} samples from each\n",
                       readable(js->value / unit),
                       readable(js->standard_error / unit), js->samples);
  }
  return out;
}

}  // namespace kldiv::cli
