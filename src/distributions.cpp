// (to come)
#include "kldiv/distributions.hpp"
