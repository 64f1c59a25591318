// The executor registry: backends register a factory under a name; `tilevm run` looks it up.
#include <map>
#include <mutex>

#include "exec/launch.h"

namespace tilevm::exec {
namespace {

std::map<std::string, ExecutorFactory>& registry() {
  static std::map<std::string, ExecutorFactory> all;
  return all;
}
std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

bool register_executor(const std::string& name, ExecutorFactory factory) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  registry()[name] = std::move(factory);
  return true;
}

std::vector<std::string> executor_names() {
  std::lock_guard<std::mutex> lock(registry_mutex());
  std::vector<std::string> names;
  for (const auto& [name, f] : registry()) names.push_back(name);
  return names;
}

Expected<std::unique_ptr<Executor>> make_executor(const std::string& name) {
  ExecutorFactory f;
  {
    std::lock_guard<std::mutex> lock(registry_mutex());
    auto it = registry().find(name);
    if (it != registry().end()) f = it->second;
  }
  if (!f) {
    std::string known;
    for (const std::string& n : executor_names()) known += (known.empty() ? "" : ", ") + n;
    if (name == "gpu")
      return fail("the GPU backend is not available in this build of tilevm (backends: " + known + ")");
    return fail("unknown backend '" + name + "' (backends: " + known + ")");
  }
  return f();
}

}  // namespace tilevm::exec
