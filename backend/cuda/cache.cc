// The on-disk cubin cache: hashing, lookup and atomic store.
#include "backend/cuda/cache.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace tilevm::cuda {
namespace {

// 64-bit FNV-1a with a seed; two independent seeds give the 128-bit key.
uint64_t fnv1a(const uint8_t* p, size_t n, uint64_t h) {
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

uint64_t digest(const std::vector<uint8_t>& data) { return fnv1a(data.data(), data.size(), 0xcbf29ce484222325ull); }

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

std::string cache_key(const std::vector<std::string>& parts) {
  uint64_t a = 0xcbf29ce484222325ull, b = 0x84222325cbf29ce4ull;
  for (const auto& part : parts) {
    uint64_t len = part.size();
    auto* l = reinterpret_cast<const uint8_t*>(&len);
    auto* d = reinterpret_cast<const uint8_t*>(part.data());
    a = fnv1a(d, part.size(), fnv1a(l, sizeof len, a));
    b = fnv1a(d, part.size(), fnv1a(l, sizeof len, b ^ 0x9e3779b97f4a7c15ull));
  }
  return hex64(a) + hex64(b);
}

std::string join_options(const std::vector<std::string>& options) {
  std::string out;
  for (const auto& o : options) out += o + '\n';
  return out;
}

std::optional<std::string> cache_dir() {
  if (const char* dir = std::getenv("TILEVM_CACHE_DIR")) {
    if (std::string(dir) == "off") return std::nullopt;
    return std::string(dir);
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/tilevm";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/tilevm";
  return std::nullopt;
}

// Entry format: the data, then its 8-byte digest (little-endian hex-free raw bytes).
std::optional<std::vector<uint8_t>> cache_load(const std::string& key) {
  auto dir = cache_dir();
  if (!dir) return std::nullopt;
  std::ifstream in(*dir + "/" + key + ".cubin", std::ios::binary);
  if (!in) return std::nullopt;
  std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (data.size() < 8) return std::nullopt;
  uint64_t stored = 0;
  for (int i = 0; i < 8; ++i) stored |= uint64_t(data[data.size() - 8 + i]) << (8 * i);
  data.resize(data.size() - 8);
  if (digest(data) != stored) return std::nullopt;
  return data;
}

void cache_store(const std::string& key, const std::vector<uint8_t>& data) {
  auto dir = cache_dir();
  if (!dir) return;
  std::error_code ec;
  std::filesystem::create_directories(*dir, ec);
  if (ec) return;
  std::string final_path = *dir + "/" + key + ".cubin";
  std::string tmp = final_path + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) return;
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    uint64_t d = digest(data);
    for (int i = 0; i < 8; ++i) out.put(static_cast<char>((d >> (8 * i)) & 0xff));
    if (!out) return;
  }
  std::filesystem::rename(tmp, final_path, ec);  // atomic: readers never see a partial entry
  if (ec) std::filesystem::remove(tmp, ec);
}

}  // namespace tilevm::cuda
