// `kldiv discrete P Q`: every divergence between two discrete distributions.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace kldiv::cli {

struct discrete_args {
  std::string p;
  std::string q;
  std::optional<std::string> measure;
  double alpha = 0.5;
  std::string base = "e";
  bool normalize = false;
  bool counts = false;
  std::optional<std::string> smooth;
  std::optional<double> tolerance;
  std::optional<std::string> js_weights;
  bool rows = false;
  std::optional<std::string> column;
  std::optional<std::string> p_column;
  std::optional<std::string> q_column;
  bool json = false;
  int threads = 0;
};

/// Adds the subcommand and binds its options to `args`.
CLI::App* add_discrete_command(CLI::App& app, discrete_args& args);

/// Runs it: returns what goes to standard output; throws kldiv::Error for bad
/// input (before anything is printed).
std::string run_discrete(const discrete_args& args);

}  // namespace kldiv::cli
