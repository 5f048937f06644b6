// The kldiv command: parse the arguments, call the library, print. Bad input
// gives one line on standard error and exit status 2, with nothing on
// standard output; an internal error gives status 1.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <omp.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "compare_command.hpp"
#include "discrete_command.hpp"
#include "dist_command.hpp"
#include "fit_command.hpp"
#include "gmm_command.hpp"
#include "kldiv/error.hpp"
#include "kldiv/simd.hpp"
#include "kldiv/version.hpp"
#include "logits_command.hpp"
#include "samples_command.hpp"

namespace {

constexpr const char* kDescription =
    R"(kldiv: the Kullback-Leibler divergence and its relatives, exact where an
exact answer exists, with stated error where it does not. Run
`kldiv SUBCOMMAND --help` for each subcommand's manual.
)";

constexpr const char* kFooter = R"(
EXAMPLES
  kldiv discrete 0.1,0.4,0.5 0.8,0.15,0.05
  kldiv discrete --counts --base 2 observed.csv expected.csv
  kldiv discrete --help
  kldiv logits base_logits.npy quantised_logits.npy
  kldiv dist 'normal(0, 1)' 'normal(loc=1, scale=2)'
  kldiv gmm a.json b.json
  kldiv samples x.csv y.csv
  kldiv fit data.csv
  kldiv compare reference.csv current.csv

EXIT STATUS
  0 on success, 2 for bad input or usage (one line on standard error), 1 for
  an internal error.)";

std::string version_text() {
  return fmt::format(
      "kldiv {}\nSIMD target: {} (available: {}; KLDIV_SIMD_TARGET limits "
      "it)\nthreads: {} (OMP_NUM_THREADS or --threads; short inputs use "
      "one)",
      kldiv::version(), kldiv::simd_target(),
      fmt::join(kldiv::simd_targets(), ", "), omp_get_max_threads());
}

// KLDIV_SIMD_TARGET=AVX2 (or any lower target) limits the kernels, e.g. to
// compare targets; an unknown name is a usage error.
void apply_simd_limit() {
  if (const char* t = std::getenv("KLDIV_SIMD_TARGET"); t && *t) {
    kldiv::limit_simd_target(t);
  }
}

int fail(const std::string& message) {
  std::fputs(("kldiv: error: " + message + "\n").c_str(), stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    apply_simd_limit();
  } catch (const kldiv::Error& e) {
    return fail(std::string("KLDIV_SIMD_TARGET: ") + e.what());
  }
  CLI::App app(kDescription, "kldiv");
  app.footer(kFooter);
  app.set_version_flag("--version,-V", version_text());
  app.require_subcommand(1);
  kldiv::cli::discrete_args discrete;
  CLI::App* discrete_cmd = kldiv::cli::add_discrete_command(app, discrete);
  kldiv::cli::logits_args logits;
  CLI::App* logits_cmd = kldiv::cli::add_logits_command(app, logits);
  kldiv::cli::dist_args dist;
  CLI::App* dist_cmd = kldiv::cli::add_dist_command(app, dist);
  kldiv::cli::gmm_args gmm;
  CLI::App* gmm_cmd = kldiv::cli::add_gmm_command(app, gmm);
  kldiv::cli::samples_args samples;
  CLI::App* samples_cmd = kldiv::cli::add_samples_command(app, samples);
  kldiv::cli::fit_args fit;
  CLI::App* fit_cmd = kldiv::cli::add_fit_command(app, fit);
  kldiv::cli::compare_args compare;
  CLI::App* compare_cmd = kldiv::cli::add_compare_command(app, compare);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    return fail(e.what());
  }
  try {
    std::string out;
    if (discrete_cmd->parsed()) out = kldiv::cli::run_discrete(discrete);
    if (logits_cmd->parsed()) out = kldiv::cli::run_logits(logits);
    if (dist_cmd->parsed()) out = kldiv::cli::run_dist(dist);
    if (gmm_cmd->parsed()) out = kldiv::cli::run_gmm(gmm);
    if (samples_cmd->parsed()) out = kldiv::cli::run_samples(samples);
    if (fit_cmd->parsed()) out = kldiv::cli::run_fit(fit);
    if (compare_cmd->parsed()) out = kldiv::cli::run_compare(compare);
    std::fputs(out.c_str(), stdout);
    return 0;
  } catch (const kldiv::Error& e) {
    return fail(e.what());
  } catch (const std::exception& e) {
    std::fputs(
        ("kldiv: internal error: " + std::string(e.what()) + "\n").c_str(),
        stderr);
    return 1;
  }
}
