// tilevm's version string, as used in cache keys and `tilevm --version`.
#pragma once

namespace tilevm {
const char* version();
}
