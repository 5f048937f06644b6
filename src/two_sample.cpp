// (being written)
#include "kldiv/two_sample.hpp"
