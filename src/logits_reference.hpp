// The logits functions on the scalar row kernels alone: the reference the
// SIMD kernels are tested against (tests/test_logits.cpp).
#pragma once

#include "kldiv/logits.hpp"

namespace kldiv::detail {

logits_result divergence_from_logits_reference(logits_measure m,
                                               const matrix_view<double>& a,
                                               const matrix_view<double>& b,
                                               const logits_options& opt = {},
                                               row_mask mask = {},
                                               std::span<double> gradient = {});
logits_result divergence_from_logits_reference(logits_measure m,
                                               const matrix_view<float>& a,
                                               const matrix_view<float>& b,
                                               const logits_options& opt = {},
                                               row_mask mask = {},
                                               std::span<float> gradient = {});
logits_result cross_entropy_from_logits_reference(
    const matrix_view<double>& logits, std::span<const std::int64_t> labels,
    const logits_options& opt = {},
    std::optional<std::int64_t> ignore_index = std::nullopt, row_mask mask = {},
    std::span<double> gradient = {});
logits_result cross_entropy_from_logits_reference(
    const matrix_view<float>& logits, std::span<const std::int64_t> labels,
    const logits_options& opt = {},
    std::optional<std::int64_t> ignore_index = std::nullopt, row_mask mask = {},
    std::span<float> gradient = {});

}  // namespace kldiv::detail
