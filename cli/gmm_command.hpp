// `kldiv gmm A.json B.json`: KL between two Gaussian mixtures by every method.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

namespace kldiv::cli {

struct gmm_args {
  std::string f;
  std::string g;
  std::string method = "all";
  std::size_t samples = 100'000;
  std::uint64_t seed = 0;
  int threads = 0;
  std::string base = "e";
  bool js = false;
  bool json = false;
};

/// Adds the subcommand and binds its options to `args`.
CLI::App* add_gmm_command(CLI::App& app, gmm_args& args);

/// Runs it: returns what goes to standard output; throws kldiv::Error for bad
/// input.
std::string run_gmm(const gmm_args& args);

}  // namespace kldiv::cli
