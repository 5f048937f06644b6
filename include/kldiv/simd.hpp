// Which SIMD code runs. kldiv is one build for every x86-64 CPU: its kernels
// are compiled for several instruction sets (AVX-512, AVX2, SSE4, ...) and the
// best one the CPU has is chosen at run time. These functions name it, and
// limit it for testing or comparison. The library never reads the
// environment; the command and the Python module honour KLDIV_SIMD_TARGET by
// calling limit_simd_target.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kldiv {

/// The target the kernels run on now, e.g. "AVX3" (AVX-512), "AVX2", "SSE4".
std::string simd_target();

/// Every target this build has kernels for and this CPU runs, best first.
std::vector<std::string> simd_targets();

/// Runs the kernels on `name` or a lower target from now on; "" lifts the
/// limit. Throws InvalidArgument naming the available targets for an unknown
/// or unsupported name.
void limit_simd_target(std::string_view name);

}  // namespace kldiv
