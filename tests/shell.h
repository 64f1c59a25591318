// Runs a shell command from a test and returns what it printed on stdout and its exit status
// (a status of -1 when the shell was killed by a signal).
#pragma once

#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace tilevm::test {

struct ShellResult {
  std::string out;
  int status = -1;
};

inline ShellResult shell(const std::string& cmd) {
  ShellResult r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

}  // namespace tilevm::test
