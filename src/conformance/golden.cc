// Reading, writing and comparing golden GPU outputs.
#include "conformance/golden.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "conformance/expr.h"

namespace tilevm::conf {

std::string golden_path(const std::string& root, const std::string& case_name, size_t run_index, const std::string& param) {
  return (std::filesystem::path(root) / "golden" / (case_name + "." + std::to_string(run_index + 1) + "." + param + ".txt")).string();
}

uint64_t hash_codes(const std::vector<uint64_t>& codes) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint64_t c : codes)
    for (int b = 0; b < 8; ++b) h = (h ^ ((c >> (8 * b)) & 0xff)) * 0x100000001b3ull;
  return h;
}

Expected<Golden> read_golden(const std::string& path) {
  std::ifstream in(path);
  if (!in) return fail("no golden recording " + path + " (record one with --backend gpu --record-golden)");
  Golden g;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::string key;
    ls >> key;
    if (key == "dtype") ls >> g.dtype;
    else if (key == "count") ls >> g.count;
    else if (key == "fnv1a64") ls >> std::hex >> g.hash;
    else if (key == "codes")
      for (std::string tok; ls >> tok;) g.codes.push_back(std::stoull(tok, nullptr, 16));
    else return fail(path + ": unknown line '" + line + "'");
  }
  return g;
}

Expected<bool> write_golden(const std::string& path, const dt::DType& t, const std::vector<uint64_t>& codes) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::ofstream out(path);
  if (!out) return fail("cannot write " + path);
  out << "# tilevm golden output recorded on the GPU\n";
  out << "dtype " << t.name() << "\ncount " << codes.size() << "\n";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash_codes(codes)));
  out << "fnv1a64 " << buf << "\ncodes";
  size_t n = codes.size() <= 256 ? codes.size() : 64;
  for (size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, " %llx", static_cast<unsigned long long>(codes[i]));
    out << buf;
  }
  out << "\n";
  return true;
}

std::string compare_golden(const Golden& g, const dt::DType& t, const std::vector<uint64_t>& got, int64_t lo,
                           const std::vector<int64_t>& shape, const std::string& param) {
  if (g.dtype != t.name() || g.count != static_cast<int64_t>(got.size()))
    return "golden holds " + std::to_string(g.count) + " " + g.dtype + " elements, the output has " + std::to_string(got.size()) +
           " " + t.name();
  for (size_t i = 0; i < g.codes.size() && i < got.size(); ++i)
    if (g.codes[i] != got[i]) {
      std::string idx;
      int64_t flat = lo + static_cast<int64_t>(i);
      for (size_t d = shape.size(); d-- > 0;) {
        idx = std::to_string(flat % shape[d]) + (idx.empty() ? "" : "," + idx);
        flat /= shape[d];
      }
      return param + "[" + idx + "]: expected " + format_code(g.codes[i], t) + " (golden), got " + format_code(got[i], t);
    }
  if (hash_codes(got) != g.hash)
    return param + ": the first " + std::to_string(g.codes.size()) + " elements match the golden recording but the hash of all " +
           std::to_string(got.size()) + " differs";
  return "";
}

}  // namespace tilevm::conf
