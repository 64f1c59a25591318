// .npy round trips, the header layout NumPy requires, and the tilevm comment for packed types.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "support/npy.h"

using tilevm::NpyArray;

namespace {
std::string temp_path(const char* name) {
  return (std::filesystem::temp_directory_path() / (std::string("tilevm-npy-") + std::to_string(::getpid()) + name)).string();
}
}  // namespace

TEST_CASE("npy: header is 64-byte aligned and in NumPy's form") {
  NpyArray a{"<f4", {3, 4}, "", {}, std::vector<uint8_t>(48)};
  std::string h = npy_header(a);
  CHECK((10 + h.size()) % 64 == 0);
  CHECK(h.back() == '\n');
  CHECK(h.rfind("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }", 0) == 0);
  NpyArray one{"|u1", {6}, "u4", {3, 4}, std::vector<uint8_t>(6)};
  CHECK(npy_header(one).rfind("{'descr': '|u1', 'fortran_order': False, 'shape': (6,), } # tilevm: dtype=u4 shape=(3, 4)", 0) == 0);
}

TEST_CASE("npy: write then read gives the same array") {
  std::string path = temp_path("rt.npy");
  NpyArray a{"|u1", {3}, "f4e2m1", {2, 3}, {0x21, 0x43, 0x65}};
  REQUIRE(write_npy(path, a).ok());
  auto b = tilevm::read_npy(path);
  REQUIRE(b.ok());
  CHECK(b->descr == "|u1");
  CHECK(b->shape == std::vector<int64_t>{3});
  CHECK(b->tilevm_dtype == "f4e2m1");
  CHECK(b->tilevm_shape == std::vector<int64_t>{2, 3});
  CHECK(b->data == a.data);
  std::remove(path.c_str());
}

TEST_CASE("npy: reads a file as NumPy writes it") {
  // Bytes of np.save(f, np.array([1, 2], dtype='<i2')) from NumPy 1.26.
  std::string header = "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }";
  header += std::string(128 - 10 - header.size() - 1, ' ') + "\n";  // NumPy pads to 64-byte multiples
  std::string file = std::string("\x93NUMPY\x01\x00", 8) + char(header.size()) + '\0' + header + std::string("\x01\x00\x02\x00", 4);
  std::string path = temp_path("np.npy");
  std::ofstream(path, std::ios::binary) << file;
  auto a = tilevm::read_npy(path);
  REQUIRE(a.ok());
  CHECK(a->descr == "<i2");
  CHECK(a->shape == std::vector<int64_t>{2});
  CHECK(a->tilevm_dtype.empty());
  CHECK(a->data == std::vector<uint8_t>{1, 0, 2, 0});
  std::remove(path.c_str());
}

TEST_CASE("npy: bad files are errors, not crashes") {
  std::string path = temp_path("bad.npy");
  std::ofstream(path, std::ios::binary) << "not numpy";
  auto a = tilevm::read_npy(path);
  REQUIRE_FALSE(a.ok());
  CHECK(a.error().message.find("not a .npy file") != std::string::npos);
  std::ofstream(path, std::ios::binary) << std::string("\x93NUMPY\x01\x00\xff\x00{'descr'", 17);
  auto t = tilevm::read_npy(path);
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().message.find("truncated") != std::string::npos);
  CHECK_FALSE(tilevm::read_npy(temp_path("missing.npy")).ok());
  std::remove(path.c_str());
}
