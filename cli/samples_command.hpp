// `kldiv samples X [Y]`: KL (k-NN, 1-D, histogram, categorical), entropy
// and mutual information estimated from samples.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kldiv::cli {

struct samples_args {
  std::string x;
  std::string y;
  std::string estimator = "knn";
  std::vector<int> k;  // empty: 1 (3 for mi)
  std::string ties = "distinct";
  std::size_t bootstrap = 0;
  double confidence = 0.95;
  std::uint64_t seed = 0;
  int threads = 0;
  std::vector<std::string> columns;
  std::string bins = "auto";
  double smoothing = 0.0;
  int variant = 1;
  std::vector<std::string> x_columns, y_columns;
  std::string base = "e";
  bool json = false;
};

/// Adds the subcommand and binds its options to `args`.
CLI::App* add_samples_command(CLI::App& app, samples_args& args);

/// Runs it: returns what goes to standard output; throws kldiv::Error for bad
/// input.
std::string run_samples(const samples_args& args);

}  // namespace kldiv::cli
