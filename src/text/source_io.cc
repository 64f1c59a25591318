// Reading whole files.
#include "text/source_io.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tilevm::text {

std::optional<std::string> read_file(const std::string& path, std::string* why) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *why = std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    *why = "read error";
    return std::nullopt;
  }
  return ss.str();
}

}  // namespace tilevm::text
