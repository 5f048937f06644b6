// (being written)
#include "kldiv/compare.hpp"
