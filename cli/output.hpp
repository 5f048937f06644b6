// Number formatting shared by the subcommands.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace kldiv::cli {

/// The shortest text that reads back as the same double ("0.1", "inf").
std::string exact(double x);

/// Six significant digits for tables ("0.0812345", "inf").
std::string readable(double x);

/// A JSON value for x: a number, or for non-finite x one of the strings
/// "inf", "-inf", "nan" (JSON has no literal for them; any parser reads these
/// unambiguously, and Python's float() accepts them).
nlohmann::json json_number(double x);

/// Writes `text` to the file `path` (replacing it); InvalidArgument naming
/// the option and the file when it cannot be written.
void write_file(const std::string& path, const std::string& text,
                const std::string& option);

/// How a report names a data file: its file name, or the path as given when
/// two files share a name.
std::string display_name(const std::string& path, const std::string& other);

}  // namespace kldiv::cli
