// `kldiv dist P Q`: KL between two parametric distributions given as specs.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace kldiv::cli {

struct dist_args {
  std::string p;
  std::string q;
  std::optional<std::string> measure;
  std::string base = "e";
  std::optional<std::size_t> mc;  // Monte Carlo samples where needed
  bool integrate = false;         // numerical integration where needed
  std::uint64_t seed = 0;
  int threads = 0;
  bool json = false;
};

/// Adds the subcommand and binds its options to `args`.
CLI::App* add_dist_command(CLI::App& app, dist_args& args);

/// Runs it: returns what goes to standard output; throws kldiv::Error for bad
/// input.
std::string run_dist(const dist_args& args);

}  // namespace kldiv::cli
