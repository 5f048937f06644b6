// Tests of include/kldiv/logits.hpp (to come with the implementation).
#include <gtest/gtest.h>
