// The Boost.Math error policy of the library: trouble is reported by the
// return value (inf, 0, NaN), never by an exception or errno; each caller
// keeps its arguments inside the supports and handles the edges itself.
#pragma once

#include <boost/math/policies/policy.hpp>

namespace kldiv::detail {

using math_policy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::pole_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::underflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<
        boost::math::policies::ignore_error>>;

}  // namespace kldiv::detail
