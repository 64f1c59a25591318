// The golden file of hardware mma outputs: written by tools/mma_validate on a GPU, read by the
// CPU test that re-generates the inputs (numerics/mma_inputs.h) and checks the model.
//
// Layout (little-endian): "TVMMAGL1"; u64 seed; char gpu[64]; char toolkit[32]; u32 count; then
// per variant: u8 a, u8 b, u8 c, u8 satfinite (MmaType values), u32 k, u32 instances, and
// instances·128 u32 D codes (instance 0, 1, ... of that variant, each m×n row-major).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "numerics/mma.h"

namespace tilevm::numerics::golden {

struct Variant {
  MmaSpec spec;
  std::vector<uint32_t> d;  // instances · m · n codes
  int instances() const { return int(d.size() / size_t(spec.m * spec.n)); }
};

struct File {
  uint64_t seed = 0;
  std::string gpu, toolkit;
  std::vector<Variant> variants;
};

inline constexpr char kMagic[8] = {'T', 'V', 'M', 'M', 'A', 'G', 'L', '1'};

inline bool write(const char* path, const File& f) {
  FILE* out = std::fopen(path, "wb");
  if (!out) return false;
  char gpu[64] = {}, toolkit[32] = {};
  std::strncpy(gpu, f.gpu.c_str(), sizeof gpu - 1);
  std::strncpy(toolkit, f.toolkit.c_str(), sizeof toolkit - 1);
  const uint32_t count = uint32_t(f.variants.size());
  bool ok = std::fwrite(kMagic, 8, 1, out) == 1 && std::fwrite(&f.seed, 8, 1, out) == 1 &&
            std::fwrite(gpu, 64, 1, out) == 1 && std::fwrite(toolkit, 32, 1, out) == 1 &&
            std::fwrite(&count, 4, 1, out) == 1;
  for (const Variant& v : f.variants) {
    const uint8_t head[4] = {uint8_t(v.spec.a), uint8_t(v.spec.b), uint8_t(v.spec.c), uint8_t(v.spec.satfinite)};
    const uint32_t k = uint32_t(v.spec.k), n = uint32_t(v.instances());
    ok = ok && std::fwrite(head, 4, 1, out) == 1 && std::fwrite(&k, 4, 1, out) == 1 &&
         std::fwrite(&n, 4, 1, out) == 1 && std::fwrite(v.d.data(), 4, v.d.size(), out) == v.d.size();
  }
  return std::fclose(out) == 0 && ok;
}

// Reads a golden file; returns false (with `error` set) on a missing or malformed file.
inline bool read(const char* path, File& f, std::string& error) {
  FILE* in = std::fopen(path, "rb");
  if (!in) return error = std::string("cannot open ") + path, false;
  char magic[8], gpu[64], toolkit[32];
  uint32_t count = 0;
  bool ok = std::fread(magic, 8, 1, in) == 1 && std::memcmp(magic, kMagic, 8) == 0 &&
            std::fread(&f.seed, 8, 1, in) == 1 && std::fread(gpu, 64, 1, in) == 1 &&
            std::fread(toolkit, 32, 1, in) == 1 && std::fread(&count, 4, 1, in) == 1 && count < 1000;
  if (ok) {
    gpu[63] = toolkit[31] = 0;
    f.gpu = gpu;
    f.toolkit = toolkit;
  }
  for (uint32_t i = 0; ok && i < count; ++i) {
    uint8_t head[4];
    uint32_t k = 0, n = 0;
    ok = std::fread(head, 4, 1, in) == 1 && std::fread(&k, 4, 1, in) == 1 && std::fread(&n, 4, 1, in) == 1 &&
         head[0] <= uint8_t(MmaType::kS32) && head[1] <= uint8_t(MmaType::kS32) &&
         head[2] <= uint8_t(MmaType::kS32) && k <= 64 && n <= (1u << 20);
    if (!ok) break;
    Variant v;
    v.spec = MmaSpec{16, 8, int(k), MmaType(head[0]), MmaType(head[1]), MmaType(head[2]), head[3] != 0};
    v.d.resize(size_t(n) * 128);
    ok = std::fread(v.d.data(), 4, v.d.size(), in) == v.d.size();
    f.variants.push_back(std::move(v));
  }
  std::fclose(in);
  if (!ok) error = std::string("malformed golden file ") + path;
  return ok;
}

}  // namespace tilevm::numerics::golden
