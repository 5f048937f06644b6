// The library's version.
#pragma once

#include <string_view>

namespace kldiv {

/// The version of the library, "MAJOR.MINOR.PATCH".
std::string_view version();

}  // namespace kldiv
