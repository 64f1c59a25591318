// tilevm's version string, set by CMake from the project version.
#include "support/version.h"

namespace tilevm {
const char* version() { return TILEVM_VERSION; }
}  // namespace tilevm
