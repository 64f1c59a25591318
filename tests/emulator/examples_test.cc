// Every program in examples/ runs on the emulator and its result is checked against an
// independent reference (host IEEE arithmetic, exact Eigen products, double-precision softmax).
#include <Eigen/Dense>
#include <bit>
#include <cmath>
#include <fstream>
#include <sstream>

#include "dtype/convert.h"
#include "layout/register_layout.h"
#include "run_helpers.h"

using namespace tilevm;
using namespace tilevm::testing;

namespace {

std::string example(const std::string& name) {
  std::ifstream in(std::string(TILEVM_SOURCE_DIR) + "/examples/" + name);
  REQUIRE_MESSAGE(in.good(), "missing example " << name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

uint16_t to_f16(double v) { return static_cast<uint16_t>(dt::convert(std::bit_cast<uint64_t>(v), dt::kF64, dt::kF16)); }
double from_f16(uint16_t c) { return dt::decode(c, dt::kF16); }

// A small-integer matrix (values in [-3, 3]) as f16 codes and as doubles.
void small_ints(int rows, int cols, int seed, Eigen::MatrixXd& m, std::vector<uint16_t>& codes) {
  m.resize(rows, cols);
  codes.resize(static_cast<size_t>(rows) * cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      m(i, j) = (i * 7 + j * 3 + seed) % 7 - 3;
      codes[static_cast<size_t>(i) * cols + j] = to_f16(m(i, j));
    }
}

// Runs a c = a @ b example with exact small-integer inputs and compares with Eigen.
void check_matmul(const std::string& file, int M, int N, int K, bool f16_out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"m=" + std::to_string(M), "n=" + std::to_string(N), "k=" + std::to_string(K)};
  args.insert(args.end(), extra.begin(), extra.end());
  exec::Launch l = make(example(file), args);
  Eigen::MatrixXd A, B;
  std::vector<uint16_t> a, b;
  small_ints(M, K, 1, A, a);
  small_ints(K, N, 2, B, b);
  set_buffer(l, "a", a);
  set_buffer(l, "b", b);
  for (int workers : {1, 2}) {
    l.workers = workers;
    exec::RunResult r = run(l);
    REQUIRE_MESSAGE(!r.trap, trap_text(r, l));
    Eigen::MatrixXd C = A * B;
    int bad = 0;
    if (f16_out) {
      auto c = get_buffer<uint16_t>(r, "c");
      for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) bad += c[static_cast<size_t>(i) * N + j] != to_f16(C(i, j));
    } else {
      auto c = get_buffer<float>(r, "c");
      for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) bad += c[static_cast<size_t>(i) * N + j] != static_cast<float>(C(i, j));
    }
    CHECK_MESSAGE(bad == 0, file << " with " << workers << " workers");
  }
}

}  // namespace

TEST_CASE("example vector_add equals host IEEE addition") {
  exec::Launch l = make(example("vector_add.tile"), {"n=2500", "a=rand:f32:11", "b=rand:f32:12"});
  exec::RunResult r = run(l);
  REQUIRE_MESSAGE(!r.trap, trap_text(r, l));
  auto a = get_buffer<float>(r, "a"), b = get_buffer<float>(r, "b");
  auto c = get_buffer<uint32_t>(r, "c");
  int bad = 0;
  for (size_t i = 0; i < c.size(); ++i) {
    float s = a[i] + b[i];
    bad += c[i] != (std::isnan(s) ? 0x7fffffffu : std::bit_cast<uint32_t>(s));
  }
  CHECK(bad == 0);
}

TEST_CASE("example matmul_simt equals Eigen on exact inputs") { check_matmul("matmul_simt.tile", 70, 100, 40, true); }
TEST_CASE("example matmul_mma equals Eigen on exact inputs") { check_matmul("matmul_mma.tile", 64, 128, 96, true); }
TEST_CASE("example matmul_splitk equals Eigen on exact inputs") {
  check_matmul("matmul_splitk.tile", 64, 64, 96, false, {"splits=3"});
}

TEST_CASE("example matmul_w4a16 equals the exact dequantised product rounded once to f16") {
  const int M = 2, N = 128, K = 256;
  exec::Launch l = make(example("matmul_w4a16.tile"), {"m=2", "n=128", "k=256", "w=rand:u8:4"});
  Eigen::MatrixXd act;
  std::vector<uint16_t> a;
  small_ints(M, K, 3, act, a);
  set_buffer(l, "act", a);
  std::vector<uint16_t> scales(static_cast<size_t>(K / 128) * N);
  for (size_t i = 0; i < scales.size(); ++i) scales[i] = to_f16(std::ldexp(1.0, static_cast<int>(i % 4) - 2));
  set_buffer(l, "scales", scales);
  exec::RunResult r = run(l);
  REQUIRE_MESSAGE(!r.trap, trap_text(r, l));
  auto w = get_buffer<uint8_t>(r, "w");
  // The weight tile (kk, bj) is 512 bytes; thread t's bytes 4t..4t+3 hold its u4 slots s in
  // nibble order, and the view layout says which (row, column) of the 16 x 64 tile slot s is.
  auto view = layout::parse_register_layout("spatial(1,4).column_local(2,2).column_spatial(4,8).local(2,1)");
  REQUIRE(view.ok());
  Eigen::MatrixXd W(K, N);
  for (int kk = 0; kk < K / 16; ++kk)
    for (int bj = 0; bj < N / 64; ++bj)
      for (int t = 0; t < 128; ++t)
        for (int s = 0; s < 8; ++s) {
          uint8_t byte = w[(static_cast<size_t>(kk) * (N / 64) + bj) * 512 + 4 * t + s / 2];
          int code = s % 2 ? byte >> 4 : byte & 15;
          std::vector<int> idx = view->index_of(t, s);
          int row = kk * 16 + idx[0], col = bj * 64 + idx[1];
          W(row, col) = code * from_f16(scales[static_cast<size_t>(row / 128) * N + col]);
        }
  Eigen::MatrixXd Y = act * W;
  auto y = get_buffer<uint16_t>(r, "y");
  int bad = 0;
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) bad += y[static_cast<size_t>(i) * N + j] != to_f16(Y(i, j));
  CHECK(bad == 0);
}

TEST_CASE("example softmax is within 1 ulp of f16 of a double-precision softmax") {
  const int M = 5;  // the second block has a tail of 3 rows past m
  exec::Launch l = make(example("softmax.tile"), {"m=5"});
  std::vector<uint16_t> x(static_cast<size_t>(M) * 1024);
  for (size_t i = 0; i < x.size(); ++i) x[i] = to_f16(std::sin(0.37 * static_cast<double>(i)) * 4.0);
  set_buffer(l, "x", x);
  exec::RunResult r = run(l);
  REQUIRE_MESSAGE(!r.trap, trap_text(r, l));
  auto y = get_buffer<uint16_t>(r, "y");
  double worst = 0;
  for (int i = 0; i < M; ++i) {
    double mx = -INFINITY, sum = 0;
    for (int j = 0; j < 1024; ++j) mx = std::max(mx, from_f16(x[i * 1024 + j]));
    for (int j = 0; j < 1024; ++j) sum += std::exp(from_f16(x[i * 1024 + j]) - mx);
    for (int j = 0; j < 1024; ++j) {
      double ref = std::exp(from_f16(x[i * 1024 + j]) - mx) / sum;
      double got = from_f16(y[i * 1024 + j]);
      double ulp = std::ldexp(1.0, std::max(std::ilogb(ref), -14) - 10);
      worst = std::max(worst, std::fabs(got - ref) / ulp);
    }
  }
  CHECK(worst <= 1.0);
}
