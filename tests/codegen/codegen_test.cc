// The CUDA code generator without a GPU: every example, conformance program and codegen test
// program generates CUDA that NVRTC compiles for sm_80 and sm_90 with no warnings, and the
// generated kernels of a few small programs match the committed snapshots.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "backend/cuda/emit.h"
#include "backend/cuda/emit_internal.h"
#include "text/parser.h"
#include "verify/verify.h"

using namespace tilevm;
namespace fs = std::filesystem;

namespace {

struct Loaded {
  std::unique_ptr<text::SourceFile> file;
  ir::Program program;
  verify::Facts facts;
};

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Parses and verifies a file; nullopt (with the diagnostics in *why) if it is not valid.
std::optional<Loaded> load(const fs::path& p, std::string* why) {
  Loaded l;
  l.file = std::make_unique<text::SourceFile>(p.string(), read(p));
  text::Diagnostics diags(*l.file);
  auto prog = text::parse_program(diags);
  if (!prog) {
    *why = diags.render();
    return std::nullopt;
  }
  l.program = std::move(*prog);
  auto facts = verify::verify_program(l.program, diags);
  if (!facts) {
    *why = diags.render();
    return std::nullopt;
  }
  l.facts = std::move(*facts);
  return l;
}

// The source tree: $TILEVM_SOURCE_DIR (for a build carried to another machine), else the one
// the tests were built from.
fs::path source_root() {
  const char* env = std::getenv("TILEVM_SOURCE_DIR");
  return env && *env ? fs::path(env) : fs::path(TILEVM_SOURCE_DIR);
}

std::vector<fs::path> programs() {
  std::vector<fs::path> out;
  fs::path root = source_root();
  for (const char* dir : {"examples", "conformance", "tests/codegen/programs"}) {
    if (!fs::exists(root / dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root / dir))
      if (e.path().extension() == ".tile" && e.path().filename().string().rfind("bad-", 0) != 0) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void compile_all(int arch) {
  auto all = programs();
  REQUIRE(all.size() >= 5);
  for (const fs::path& p : all) {
    CAPTURE(p.string());
    std::string why;
    auto l = load(p, &why);
    if (!l) {
      // Conformance programs that must be rejected or trap are not compiled; everything else must verify.
      bool conformance = p.string().find("/conformance/") != std::string::npos;
      CHECK_MESSAGE(conformance, why);
      continue;
    }
    auto c = cuda::compile_program(l->program, l->facts, l->file.get(), {arch}, false);
    // FP8 tensor-core instructions exist from sm_89 on: such programs cannot compile for sm_80.
    if (!c.ok() && arch < 89 && c.error().message.find("sm_89") != std::string::npos) continue;
    REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message));
    CHECK_MESSAGE(c->compiled.log.empty(), c->compiled.log);
    CHECK(c->compiled.cubin.size() > 100);
  }
}

// The kernel part of the generated source (the prelude is left out: it is tested by compiling).
std::string kernel_text(const std::string& src) {
  size_t at = src.find("extern \"C\" __global__");
  REQUIRE(at != std::string::npos);
  size_t globals = src.find("__device__ const ");
  size_t fn = src.find("TVM_D void tvm_mma");
  size_t start = std::min({at, globals, fn});
  return src.substr(start);
}

void check_snapshot(const char* tile, const char* snap) {
  fs::path root = source_root();
  std::string why;
  auto l = load(root / tile, &why);
  REQUIRE_MESSAGE(l, why);
  auto k = cuda::emit_kernel(l->program, l->facts, l->file.get(), {90});
  REQUIRE(k.ok());
  std::string got = kernel_text(k->source);
  fs::path want = root / "tests/codegen/snapshots" / snap;
  if (std::getenv("TILEVM_UPDATE_SNAPSHOTS")) {
    std::ofstream(want, std::ios::binary) << got;
    return;
  }
  REQUIRE_MESSAGE(fs::exists(want), "missing snapshot " << want << " (run with TILEVM_UPDATE_SNAPSHOTS=1)");
  CHECK(got == read(want));
}

}  // namespace

TEST_CASE("codegen: every program compiles for sm_80 without warnings") { compile_all(80); }
TEST_CASE("codegen: every program compiles for sm_90 without warnings") { compile_all(90); }

TEST_CASE("codegen: snapshots of generated kernels") {
  check_snapshot("tests/codegen/programs/snap_add.tile", "snap_add.cu");
  check_snapshot("tests/codegen/programs/snap_rowsum.tile", "snap_rowsum.cu");
  check_snapshot("tests/codegen/programs/snap_print.tile", "snap_print.cu");
  check_snapshot("tests/codegen/programs/snap_dequant.tile", "snap_dequant.cu");
}

// Reads the C string literal at the start of `lit` (as a C compiler would: simple escapes and
// octal escapes of up to three digits) and returns its bytes.
std::string parse_c_literal(const std::string& lit) {
  REQUIRE(lit.size() >= 2);
  REQUIRE(lit.front() == '"');
  REQUIRE(lit.back() == '"');
  std::string out;
  for (size_t i = 1; i + 1 < lit.size(); ++i) {
    char c = lit[i];
    REQUIRE_MESSAGE(c != '"', "unescaped quote in " << lit);
    const bool printable = static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f;
    REQUIRE_MESSAGE(printable, "raw byte in " << lit);
    if (c != '\\') {
      out += c;
      continue;
    }
    char e = lit[++i];
    if (e == '"' || e == '\\') {
      out += e;
    } else {
      int v = 0, n = 0;
      for (; n < 3 && lit[i] >= '0' && lit[i] <= '7'; ++n, ++i) v = v * 8 + (lit[i] - '0');
      REQUIRE_MESSAGE(n > 0, "unknown escape in " << lit);
      --i;
      out += static_cast<char>(v);
    }
  }
  return out;
}

TEST_CASE("codegen: print messages become C literals holding exactly their bytes") {
  std::string all;
  for (int c = 1; c < 256; ++c) all += static_cast<char>(c);
  for (const std::string& m : {all, std::string("say \"hi\" \\ 100% %d%s\n\t\xc2\xb5"), std::string("\n1"), std::string("?\?=")})
    CHECK(parse_c_literal(cuda::c_string_literal(m)) == m);
  // The message is an argument of "%s", never part of a format, so '%' needs no doubling.
  fs::path root = source_root();
  std::string why;
  auto l = load(root / "tests/codegen/programs/snap_print.tile", &why);
  REQUIRE_MESSAGE(l, why);
  auto k = cuda::emit_kernel(l->program, l->facts, l->file.get(), {90});
  REQUIRE(k.ok());
  CHECK(k->source.find("\" \", \"say \\\"hi\\\" \\\\ 100% %d%s\\012\\011\\302\\265") != std::string::npos);
}

TEST_CASE("codegen: 4-bit to f16 and bf16 and 8-bit to f16 casts take the paired lop3 and prmt paths") {
  fs::path root = source_root();
  std::string why;
  auto l = load(root / "tests/codegen/programs/snap_dequant.tile", &why);
  REQUIRE_MESSAGE(l, why);
  auto k = cuda::emit_kernel(l->program, l->facts, l->file.get(), {80});
  REQUIRE(k.ok());
  CHECK(k->source.find("lop3.b32 %0, %1, %2, %3, 0xea;") != std::string::npos);
  CHECK(k->source.find("lop3.b32 %0, %1, %2, %3, 0x6a;") != std::string::npos);
  // Eight slots per thread: four pairs per cast, no per-element magic-number path left.
  for (const char* fn : {"tvm_u4x2_to_f16x2(tw[0] >> 12)", "tvm_i4x2_to_bf16x2(tv[0] >> 4)"}) CHECK(k->source.find(fn) != std::string::npos);
  const std::string kernel = k->source.substr(k->source.find("extern \"C\" __global__"));
  CHECK(kernel.find("__hsub(") == std::string::npos);
  int pairs = 0;
  for (size_t at = kernel.find(" paired"); at != std::string::npos; at = kernel.find(" paired", at + 1)) ++pairs;
  CHECK(pairs == 12);
  CHECK(k->source.find("prmt.b32 %0, %1, %2, 0x4342;") != std::string::npos);
  CHECK(k->source.find("tvm_i8x2_to_f16x2_b2(reinterpret_cast<const uint32_t*>(tq)[1])") != std::string::npos);
}

TEST_CASE("codegen: comments carry the .tile lines and names come from the program") {
  fs::path root = source_root();
  std::string why;
  auto l = load(root / "tests/codegen/programs/snap_add.tile", &why);
  REQUIRE_MESSAGE(l, why);
  auto k = cuda::emit_kernel(l->program, l->facts, l->file.get(), {90});
  REQUIRE(k.ok());
  CHECK(k->kernel_name == "snap_add");
  CHECK(k->source.find("void __launch_bounds__(64) snap_add(") != std::string::npos);
  CHECK(k->source.find("// 9: %tc = add(%ta, %tb)") != std::string::npos);
  // The line table points the add's generated line at .tile line 9.
  std::istringstream s(k->source);
  int n = 0, hit = 0;
  for (std::string line; std::getline(s, line); ++n)
    if (line.find("tvm_add(ta[") != std::string::npos) hit = k->tile_line[n];
  CHECK(hit == 9);
  CHECK(k->threads == 64);
  // An unsupported architecture is refused with a message.
  auto bad = cuda::emit_kernel(l->program, l->facts, l->file.get(), {75});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("sm_75") != std::string::npos);
}

TEST_CASE("codegen: vectorised global access and ldmatrix are selected from the layouts") {
  fs::path root = source_root();
  std::string why;
  auto l = load(root / "tests/codegen/programs/snap_add.tile", &why);
  REQUIRE_MESSAGE(l, why);
  auto k = cuda::emit_kernel(l->program, l->facts, l->file.get(), {90});
  REQUIRE(k.ok());
  // spatial(64).local(4) of f32: one 16-byte vector per thread.
  CHECK(k->source.find("tvm_load_vec<float, 4>(&ta[0]") != std::string::npos);
  CHECK(k->source.find("tvm_store_vec<float, 4>(") != std::string::npos);
  auto m = load(root / "tests/codegen/programs/mma_types.tile", &why);
  REQUIRE_MESSAGE(m, why);
  auto km = cuda::emit_kernel(m->program, m->facts, m->file.get(), {90});
  REQUIRE(km.ok());
  CHECK(km->source.find("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32") != std::string::npos);
  CHECK(km->source.find("mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32") != std::string::npos);
}
