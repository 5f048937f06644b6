// Tests of include/kldiv/distributions.hpp (to come).
#include <gtest/gtest.h>
