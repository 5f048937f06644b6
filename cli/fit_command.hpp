// `kldiv fit DATA`: candidate families fitted by maximum likelihood and
// ranked by KL(empirical || model).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kldiv::cli {

struct fit_args {
  std::string data;
  std::string column;
  std::string counts;  // a column of frequencies: DATA is a table of values
  std::vector<std::string> families;
  std::string kind = "auto";
  std::optional<std::int64_t> binomial_n;
  std::string kl = "auto";  // the continuous KL: auto, knn or histogram
  std::string bins = "auto";
  bool no_align = false;  // keep a rule's bins off the grid of rounded data  //
                          // the histogram's bins (parse_bins)
  std::string base = "e";
  bool json = false;
  std::string report;  // an HTML report's file ("": none)
};

/// Adds the subcommand and binds its options to `args`.
CLI::App* add_fit_command(CLI::App& app, fit_args& args);

/// Runs it: returns what goes to standard output; throws kldiv::Error for bad
/// input.
std::string run_fit(const fit_args& args);

}  // namespace kldiv::cli
