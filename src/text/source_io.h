// Reading source files for the command line and the tests.
#pragma once

#include <optional>
#include <string>

namespace tilevm::text {

// The whole content of `path`, or nullopt (with *why set to the system's reason).
std::optional<std::string> read_file(const std::string& path, std::string* why);

}  // namespace tilevm::text
