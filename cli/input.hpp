// Turning command-line arguments into the numbers the library takes: a file,
// "-" for standard input, or an inline list such as 0.1,0.4,0.5.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kldiv/estimators.hpp"
#include "kldiv/io.hpp"
#include "kldiv/options.hpp"

namespace kldiv::cli {

/// Reads the argument `arg` of the operand called `what` ("P" or "Q").
io::table load_input(const std::string& arg);

/// One distribution from a table: the chosen column; else the only column;
/// else the only row. `what` names the operand in errors ("P").
std::vector<double> pick_vector(const io::table& t, const std::string& what,
                                const std::optional<std::string>& column);

/// A short description of where the numbers came from ("x.csv, column b").
std::string describe_source(const io::table& t,
                            const std::optional<std::string>& column);

/// The value of a --base option: e, 2, 10, bits, nats, hartleys or a number
/// > 1 (InvalidArgument otherwise).
log_base parse_base(const std::string& s);

/// The value of a --bins option: auto, fd, scott, sturges, doane, rice,
/// sqrt (NumPy's rules), a bin count N, quantiles[:N], or comma-separated
/// edges (InvalidArgument otherwise).
histogram_options parse_bins(const std::string& s);

}  // namespace kldiv::cli
