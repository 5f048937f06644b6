// Compiles kl-inl.h and measures-inl.h once per SIMD target (foreach_target.h)
// and dispatches to the best one at run time (HWY_DYNAMIC_DISPATCH). No global
// -march flag: the per-target code gets its own target attributes.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/dispatch.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "simd/kl-inl.h"
#include "simd/measures-inl.h"

#if HWY_ONCE
#include <cstdint>

#include "simd/kernels.hpp"

namespace kldiv::detail {

HWY_EXPORT(kl_block_f64);
HWY_EXPORT(kl_block_f32);
HWY_EXPORT(sum_block_f64);
HWY_EXPORT(sum_block_f32);
HWY_EXPORT(xent_block_f64);

void sum_block(sum_measure which, const double* p, const double* q,
               std::size_t n, kl_partial* out) {
  HWY_DYNAMIC_DISPATCH(sum_block_f64)(which, p, q, n, out);
}
void sum_block(sum_measure which, const float* p, const float* q, std::size_t n,
               kl_partial* out) {
  HWY_DYNAMIC_DISPATCH(sum_block_f32)(which, p, q, n, out);
}
HWY_EXPORT(xent_block_f32);

void xent_block(const double* p, const double* q, std::size_t n,
                kl_partial* out) {
  HWY_DYNAMIC_DISPATCH(xent_block_f64)(p, q, n, out);
}
void xent_block(const float* p, const float* q, std::size_t n,
                kl_partial* out) {
  HWY_DYNAMIC_DISPATCH(xent_block_f32)(p, q, n, out);
}

void kl_block(const double* p, const double* q, std::size_t n,
              kl_partial* out) {
  HWY_DYNAMIC_DISPATCH(kl_block_f64)(p, q, n, out);
}
void kl_block(const float* p, const float* q, std::size_t n, kl_partial* out) {
  HWY_DYNAMIC_DISPATCH(kl_block_f32)(p, q, n, out);
}

HWY_EXPORT(total_block_f64);
HWY_EXPORT(total_block_f32);
HWY_EXPORT(map_block_f64);
HWY_EXPORT(map_block_f32);
HWY_EXPORT(js_block_f64);
HWY_EXPORT(js_block_f32);
HWY_EXPORT(jeffreys_block_f64);
HWY_EXPORT(jeffreys_block_f32);
HWY_EXPORT(renyi_block_f64);
HWY_EXPORT(renyi_block_f32);
HWY_EXPORT(bhattacharyya_block_f64);
HWY_EXPORT(bhattacharyya_block_f32);

void total_block(const double* x, std::size_t n, kl_partial* out) {
  HWY_DYNAMIC_DISPATCH(total_block_f64)(x, n, out);
}
void total_block(const float* x, std::size_t n, kl_partial* out) {
  HWY_DYNAMIC_DISPATCH(total_block_f32)(x, n, out);
}
void map_block(const double* x, std::size_t n, const value_scale& s,
               double* out) {
  HWY_DYNAMIC_DISPATCH(map_block_f64)(x, n, s, out);
}
void map_block(const float* x, std::size_t n, const value_scale& s,
               double* out) {
  HWY_DYNAMIC_DISPATCH(map_block_f32)(x, n, s, out);
}
void js_block(const double* p, const double* q, std::size_t n, double w1,
              double w2, kl_partial* out) {
  HWY_DYNAMIC_DISPATCH(js_block_f64)(p, q, n, w1, w2, out);
}
void js_block(const float* p, const float* q, std::size_t n, double w1,
              double w2, kl_partial* out) {
  HWY_DYNAMIC_DISPATCH(js_block_f32)(p, q, n, w1, w2, out);
}
void jeffreys_block(const double* p, const double* q, std::size_t n,
                    kl_partial* out) {
  HWY_DYNAMIC_DISPATCH(jeffreys_block_f64)(p, q, n, out);
}
void jeffreys_block(const float* p, const float* q, std::size_t n,
                    kl_partial* out) {
  HWY_DYNAMIC_DISPATCH(jeffreys_block_f32)(p, q, n, out);
}
void renyi_block(renyi_mode mode, double alpha, const double* p,
                 const double* q, std::size_t n, kl_partial* out) {
  HWY_DYNAMIC_DISPATCH(renyi_block_f64)(mode, alpha, p, q, n, out);
}
void renyi_block(renyi_mode mode, double alpha, const float* p, const float* q,
                 std::size_t n, kl_partial* out) {
  HWY_DYNAMIC_DISPATCH(renyi_block_f32)(mode, alpha, p, q, n, out);
}
void bhattacharyya_block(const double* p, const double* q, std::size_t n,
                         kl_partial* out) {
  HWY_DYNAMIC_DISPATCH(bhattacharyya_block_f64)(p, q, n, out);
}
void bhattacharyya_block(const float* p, const float* q, std::size_t n,
                         kl_partial* out) {
  HWY_DYNAMIC_DISPATCH(bhattacharyya_block_f32)(p, q, n, out);
}

namespace {

// Targets compiled in and supported by this CPU (and any limit), best first:
// on x86, better targets have lower bits.
std::vector<int64_t> usable_targets() {
  std::vector<int64_t> out;
  const int64_t all = hwy::SupportedTargets() & HWY_TARGETS;
  for (int64_t rest = all; rest != 0; rest &= rest - 1) {
    out.push_back(rest & -rest);
  }
  return out;
}

}  // namespace

std::string active_target_name() {
  const auto t = usable_targets();
  return t.empty() ? "none" : hwy::TargetName(t.front());
}

std::vector<std::string> supported_target_names() {
  std::vector<std::string> names;
  for (int64_t t : usable_targets()) names.emplace_back(hwy::TargetName(t));
  return names;
}

bool limit_target(const std::string& name) {
  hwy::DisableTargets(0);  // lift any earlier limit first
  if (name.empty()) {
    hwy::GetChosenTarget().Update(hwy::SupportedTargets());
    return true;
  }
  const auto targets = usable_targets();
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (name == hwy::TargetName(targets[i])) {
      int64_t better = 0;
      for (std::size_t j = 0; j < i; ++j) better |= targets[j];
      hwy::DisableTargets(better);
      hwy::GetChosenTarget().Update(hwy::SupportedTargets());
      return true;
    }
  }
  return false;
}

}  // namespace kldiv::detail
#endif  // HWY_ONCE

#if HWY_ONCE
#include "kldiv/error.hpp"
#include "kldiv/simd.hpp"

namespace kldiv {

std::string simd_target() { return detail::active_target_name(); }

std::vector<std::string> simd_targets() {
  return detail::supported_target_names();
}

void limit_simd_target(std::string_view name) {
  if (detail::limit_target(std::string(name))) return;
  std::string names;
  for (const auto& n : detail::supported_target_names()) {
    names += (names.empty() ? "" : ", ") + n;
  }
  throw InvalidArgument("SIMD target '" + std::string(name) +
                        "' is not available here: choose one of " + names);
}

}  // namespace kldiv
#endif  // HWY_ONCE
