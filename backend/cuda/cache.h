// The on-disk cubin cache. Entries are keyed by a hash of the program text, the compile options
// (architecture included) and tilevm's version, so a hit is always the cubin NVRTC would make.
// Location: $TILEVM_CACHE_DIR, else $XDG_CACHE_HOME/tilevm, else $HOME/.cache/tilevm.
// TILEVM_CACHE_DIR=off disables the cache. A cache that cannot be written is skipped silently
// (compilation still succeeds); a corrupt entry is detected by its checksum and ignored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tilevm::cuda {

// A 128-bit hex digest of the parts (each part length-prefixed, so boundaries matter).
std::string cache_key(const std::vector<std::string>& parts);
std::string join_options(const std::vector<std::string>& options);

// The cache directory, or nullopt when disabled.
std::optional<std::string> cache_dir();

std::optional<std::vector<uint8_t>> cache_load(const std::string& key);
void cache_store(const std::string& key, const std::vector<uint8_t>& data);

}  // namespace tilevm::cuda
