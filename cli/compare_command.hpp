// `kldiv compare REFERENCE CURRENT`: are two data sets different, where,
// and how sure.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kldiv::cli {

struct compare_args {
  std::string reference;
  std::string current;
  std::vector<std::string> columns;
  std::vector<std::string> numeric, categorical;
  std::string bins = "auto";
  double smoothing = 0.0;
  std::size_t permutations = 1000;
  std::size_t bootstrap = 200;
  double confidence = 0.95;
  std::uint64_t seed = 0;
  double alpha = 0.01;
  double js_possible = 0.01;
  double js_drift = 0.05;
  int threads = 0;
  bool json = false;
  std::string report;  ///< an HTML report's file ("": none)
};

/// Adds the subcommand and binds its options to `args`.
CLI::App* add_compare_command(CLI::App& app, compare_args& args);

/// Runs it: returns what goes to standard output; throws kldiv::Error for bad
/// input.
std::string run_compare(const compare_args& args);

}  // namespace kldiv::cli
