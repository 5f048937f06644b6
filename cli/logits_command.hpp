// `kldiv logits BASE TEST`: how far a model's output distributions drift from
// a reference model's over a data set (quantisation, distillation).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace kldiv::cli {

struct logits_args {
  std::string base_file;
  std::string test_file;
  std::optional<std::size_t> vocab;
  double temperature = 1.0;
  std::string base = "e";
  bool log_probs = false;
  std::size_t chunk_rows = 0;  // 0: about 32 MB per input per chunk
  bool json = false;
  bool progress = true;
  int threads = 0;
};

/// Adds the subcommand and binds its options to `args`.
CLI::App* add_logits_command(CLI::App& app, logits_args& args);

/// Runs it: returns what goes to standard output (a progress bar may go to
/// standard error when it is a terminal); throws kldiv::Error for bad input.
std::string run_logits(const logits_args& args);

}  // namespace kldiv::cli
