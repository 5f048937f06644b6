// (being written)
#include "kldiv/fit.hpp"
