// NumPy .npy reading and writing, with tilevm's comment for types NumPy lacks.
#include "support/npy.h"

#include <cctype>
#include <fstream>
#include <iterator>

namespace tilevm {
namespace {

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) s += ",";
  return s + ")";
}

// Parses "(3, 4)" / "(6,)" / "()" starting at `pos`; advances `pos` past ')'.
bool parse_shape(const std::string& text, size_t& pos, std::vector<int64_t>& out) {
  out.clear();
  if (pos >= text.size() || text[pos] != '(') return false;
  ++pos;
  while (pos < text.size() && text[pos] != ')') {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == ',')) ++pos;
    if (pos < text.size() && text[pos] == ')') break;
    if (pos >= text.size() || !std::isdigit(static_cast<unsigned char>(text[pos]))) return false;
    int64_t v = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (v > (INT64_MAX - 9) / 10) return false;
      v = v * 10 + (text[pos++] - '0');
    }
    if (pos < text.size() && text[pos] == 'L') ++pos;
    out.push_back(v);
  }
  if (pos >= text.size()) return false;
  ++pos;
  return true;
}

// Finds `'key':` in the header dict and returns the position after the colon and spaces.
size_t find_key(const std::string& h, const std::string& key) {
  size_t p = h.find("'" + key + "'");
  if (p == std::string::npos) return p;
  p = h.find(':', p);
  if (p == std::string::npos) return p;
  ++p;
  while (p < h.size() && h[p] == ' ') ++p;
  return p;
}

}  // namespace

std::string npy_header(const NpyArray& a) {
  std::string dict = "{'descr': '" + a.descr + "', 'fortran_order': False, 'shape': " + shape_text(a.shape) + ", }";
  if (!a.tilevm_dtype.empty())
    dict += " # tilevm: dtype=" + a.tilevm_dtype + " shape=" + shape_text(a.tilevm_shape);
  size_t total = 10 + dict.size() + 1;  // magic(6) + version(2) + length(2) + dict + '\n'
  size_t padded = (total + 63) / 64 * 64;
  return dict + std::string(padded - total, ' ') + "\n";
}

Expected<bool> write_npy(const std::string& path, const NpyArray& a) {
  std::string header = npy_header(a);
  bool v2 = header.size() > 65535;
  std::ofstream out(path, std::ios::binary);
  if (!out) return fail("cannot open '" + path + "' for writing");
  out.write("\x93NUMPY", 6);
  out.put(v2 ? 2 : 1);
  out.put(0);
  size_t n = header.size();
  for (int i = 0; i < (v2 ? 4 : 2); ++i) out.put(static_cast<char>((n >> (8 * i)) & 0xff));
  out << header;
  out.write(reinterpret_cast<const char*>(a.data.data()), static_cast<std::streamsize>(a.data.size()));
  if (!out) return fail("error writing '" + path + "'");
  return true;
}

Expected<NpyArray> read_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot open '" + path + "'");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) return fail(path + ": not a .npy file");
  int major = static_cast<uint8_t>(bytes[6]);
  if (major != 1 && major != 2 && major != 3) return fail(path + ": unsupported .npy version " + std::to_string(major));
  size_t len_bytes = major == 1 ? 2 : 4, hlen = 0;
  if (bytes.size() < 8 + len_bytes) return fail(path + ": truncated header");
  for (size_t i = 0; i < len_bytes; ++i) hlen |= size_t(static_cast<uint8_t>(bytes[8 + i])) << (8 * i);
  size_t start = 8 + len_bytes;
  if (bytes.size() < start + hlen) return fail(path + ": truncated header");
  std::string h = bytes.substr(start, hlen);
  NpyArray a;
  size_t p = find_key(h, "descr");
  if (p == std::string::npos || h[p] != '\'') return fail(path + ": header has no 'descr'");
  size_t q = h.find('\'', p + 1);
  if (q == std::string::npos) return fail(path + ": malformed 'descr'");
  a.descr = h.substr(p + 1, q - p - 1);
  p = find_key(h, "fortran_order");
  if (p == std::string::npos) return fail(path + ": header has no 'fortran_order'");
  if (h.compare(p, 4, "True") == 0) return fail(path + ": Fortran-order arrays are not supported; save in C order");
  p = find_key(h, "shape");
  if (p == std::string::npos || !parse_shape(h, p, a.shape)) return fail(path + ": malformed 'shape'");
  if (size_t c = h.find("# tilevm: dtype="); c != std::string::npos) {
    size_t d = c + 16, e = h.find(' ', d);
    if (e == std::string::npos) return fail(path + ": malformed tilevm comment");
    a.tilevm_dtype = h.substr(d, e - d);
    size_t s = h.find("shape=", e);
    if (s == std::string::npos) return fail(path + ": tilevm comment lacks shape=");
    s += 6;
    if (!parse_shape(h, s, a.tilevm_shape)) return fail(path + ": malformed shape in tilevm comment");
  }
  a.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(start + hlen), bytes.end());
  return a;
}

}  // namespace tilevm
