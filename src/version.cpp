#include "kldiv/version.hpp"

namespace kldiv {

std::string_view version() { return KLDIV_VERSION; }

}  // namespace kldiv
