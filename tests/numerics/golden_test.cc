// The model against the H100's recorded outputs (tests/numerics/golden/, written by tools/mma_validate).
#include <doctest/doctest.h>

#include "paths.h"

#include <cstdio>
#include <set>
#include <string>

#include "numerics/golden.h"
#include "numerics/mma.h"
#include "numerics/mma_inputs.h"

using namespace tilevm::numerics;

namespace {
void check_golden(bool simd);
}  // namespace

TEST_CASE("golden: every recorded H100 output equals the sm_90 model on regenerated inputs") {
  for (const bool simd : {true, false}) {
    CAPTURE(simd);
    check_golden(simd);
  }
}

namespace {
void check_golden(bool simd) {
  golden::File file;
  std::string error;
  REQUIRE_MESSAGE(golden::read((tilevm::test::source_dir() + "/tests/numerics/golden/mma_sm90.bin").c_str(), file, error), error);
  CHECK(file.gpu.find("H100") != std::string::npos);
  REQUIRE(file.variants.size() == 24);
  std::set<std::string> names;
  for (const golden::Variant& v : file.variants) {
    const std::string name = spec_name(v.spec);
    CAPTURE(name);
    names.insert(name);
    CHECK(v.instances() * 128 >= 10000);
    auto model = MmaModel::make(v.spec, Arch::kSm90, simd);
    REQUIRE(model.ok());
    int mismatches = 0;
    for (int i = 0; i < v.instances(); ++i) {
      uint32_t a[16 * 64], b[64 * 8], c[128], d[128];
      inputs::generate(v.spec, file.seed, uint64_t(i), a, b, c);
      model->tile(a, b, c, d);
      if (i < 10) {  // the per-element form too, on the first tiles
        for (int e = 0; e < 128; ++e) {
          uint32_t col[64];
          for (int k = 0; k < v.spec.k; ++k) col[k] = b[k * 8 + e % 8];
          if (model->dot(a + (e / 8) * v.spec.k, col, c[e]) != v.d[size_t(i) * 128 + size_t(e)]) ++mismatches;
        }
      }
      for (int e = 0; e < 128; ++e) {
        const uint32_t want = v.d[size_t(i) * 128 + size_t(e)];
        if (d[e] != want && ++mismatches <= 3) {
          char msg[96];
          std::snprintf(msg, sizeof msg, "instance %d D[%d][%d]: model %08x, H100 %08x", i, e / 8, e % 8, d[e], want);
          FAIL_CHECK(msg);
        }
      }
    }
    CHECK(mismatches == 0);
  }
  CHECK(names.size() == 24);
}
}  // namespace

TEST_CASE("golden: a missing or damaged file is reported, not crashed on") {
  golden::File file;
  std::string error;
  CHECK_FALSE(golden::read((tilevm::test::source_dir() + "/tests/numerics/golden/no_such_file.bin").c_str(), file, error));
  CHECK(error.find("cannot open") != std::string::npos);
  const std::string path = tilevm::test::binary_dir() + "/golden_truncated.bin";
  FILE* f = std::fopen(path.c_str(), "wb");
  REQUIRE(f);
  std::fwrite("TVMMAGL1", 1, 8, f);
  std::fclose(f);
  golden::File file2;
  CHECK_FALSE(golden::read(path.c_str(), file2, error));
  CHECK(error.find("malformed") != std::string::npos);
}
