// Everything kldiv offers, in one include.
#pragma once

#include "kldiv/discrete.hpp"
#include "kldiv/distribution.hpp"
#include "kldiv/distributions.hpp"
#include "kldiv/error.hpp"
#include "kldiv/estimators.hpp"
#include "kldiv/io.hpp"
#include "kldiv/logits.hpp"
#include "kldiv/matrix.hpp"
#include "kldiv/mixture.hpp"
#include "kldiv/options.hpp"
#include "kldiv/scipy_compat.hpp"
#include "kldiv/simd.hpp"
#include "kldiv/version.hpp"
