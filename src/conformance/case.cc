// Parsing the `//!` directives of conformance case files.
#include "conformance/case.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace tilevm::conf {
namespace {

std::string trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Splits on whitespace, keeping bracketed lists `[...]` together.
std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (char c : s) {
    if (c == '[') ++depth;
    if (c == ']') --depth;
    if ((c == ' ' || c == '\t') && depth == 0) {
      if (!cur.empty()) out.push_back(cur), cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

bool parse_int(const std::string& s, int64_t* v) {
  if (s.empty()) return false;
  char* end = nullptr;
  long long x = std::strtoll(s.c_str(), &end, 10);
  if (*end) return false;
  *v = x;
  return true;
}

}  // namespace

// Expands a list `[a, b*3, c]` into its tokens.
Expected<std::vector<std::string>> parse_list(const std::string& text) {
  std::string t = trim(text);
  if (t.size() < 2 || t.front() != '[' || t.back() != ']') return fail("expected a list [v, v, ...], got '" + t + "'");
  std::vector<std::string> out;
  std::stringstream ss(t.substr(1, t.size() - 2));
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = trim(item);
    if (item.empty()) continue;
    size_t star = item.find('*');
    int64_t n = 1;
    if (star != std::string::npos) {
      if (!parse_int(trim(item.substr(star + 1)), &n) || n < 0) return fail("bad repeat count in '" + item + "'");
      item = trim(item.substr(0, star));
    }
    for (int64_t i = 0; i < n; ++i) out.push_back(item);
  }
  return out;
}

namespace {

Expected<Expect> parse_expect(const std::string& rest, int line) {
  Expect e;
  e.line = line;
  size_t eq = rest.find('=');
  // `ulp=N` also contains '=': the assignment is the first ' = ' (with spaces) or the first
  // '=' not part of ulp=.
  size_t sp = rest.find(" = ");
  if (sp != std::string::npos) eq = sp + 1;
  if (eq == std::string::npos) return fail("expect needs 'NAME = VALUE'");
  std::vector<std::string> lhs = split_words(rest.substr(0, eq));
  std::string rhs = trim(rest.substr(eq + 1));
  if (lhs.empty()) return fail("expect needs an output name");
  std::string target = lhs[0];
  for (size_t i = 1; i < lhs.size(); ++i) {
    int64_t u;
    if (lhs[i].rfind("ulp=", 0) == 0 && parse_int(lhs[i].substr(4), &u) && u >= 0) e.ulp = static_cast<int>(u);
    else return fail("unknown expect option '" + lhs[i] + "'");
  }
  size_t br = target.find('[');
  e.param = target.substr(0, br);
  if (br != std::string::npos) {
    if (target.back() != ']') return fail("bad range in '" + target + "'");
    std::string r = target.substr(br + 1, target.size() - br - 2);
    size_t colon = r.find(':');
    if (colon == std::string::npos) {
      if (!parse_int(r, &e.lo)) return fail("bad index in '" + target + "'");
      e.hi = e.lo + 1;
    } else {
      std::string a = r.substr(0, colon), b = r.substr(colon + 1);
      if ((!a.empty() && !parse_int(a, &e.lo)) || (!b.empty() && !parse_int(b, &e.hi))) return fail("bad range in '" + target + "'");
    }
  }
  if (rhs == "golden") {
    e.kind = Expect::Kind::Golden;
  } else if (!rhs.empty() && rhs[0] == '[') {
    auto l = parse_list(rhs);
    if (!l) return l.error();
    e.values = *l;
  } else {
    e.kind = Expect::Kind::Oracle;
    e.expr = rhs;
  }
  if (rhs.empty()) return fail("expect needs a value after '='");
  return e;
}

Expected<RunSpec> parse_run(const std::string& rest, int line) {
  RunSpec r;
  r.line = line;
  for (const std::string& w : split_words(rest)) {
    size_t eq = w.find('=');
    if (eq == std::string::npos || eq == 0) return fail("run arguments are NAME=VALUE, got '" + w + "'");
    std::string k = w.substr(0, eq), v = w.substr(eq + 1);
    if (k == "grid") {
      std::vector<int64_t> g;
      std::stringstream ss(v);
      std::string part;
      while (std::getline(ss, part, ',')) {
        int64_t x;
        if (!parse_int(part, &x) || x < 1) return fail("bad grid '" + v + "'");
        g.push_back(x);
      }
      if (g.empty() || g.size() > 3) return fail("a grid has 1 to 3 extents");
      r.grid = g;
    } else {
      r.args.emplace_back(k, v);
    }
  }
  return r;
}

Expected<ExpectTrap> parse_trap(const std::string& rest) {
  std::vector<std::string> w = split_words(rest);
  if (w.empty() || w.size() > 2) return fail("expect_trap needs KIND [LINE:COL]");
  ExpectTrap t;
  t.kind = w[0];
  if (w.size() == 2) {
    size_t c = w[1].find(':');
    int64_t l = 0, col = 0;
    if (c == std::string::npos || !parse_int(w[1].substr(0, c), &l) || !parse_int(w[1].substr(c + 1), &col))
      return fail("expect_trap place must be LINE:COL, got '" + w[1] + "'");
    t.line = static_cast<int>(l), t.col = static_cast<int>(col);
  }
  return t;
}

}  // namespace

Expected<Case> parse_case(std::string name, std::string path, std::string text) {
  Case c;
  c.name = std::move(name);
  c.path = std::move(path);
  c.text = std::move(text);
  std::stringstream ss(c.text);
  std::string raw;
  int line = 0;
  auto err = [&](const std::string& m) { return fail(c.path + ":" + std::to_string(line) + ": " + m); };
  while (std::getline(ss, raw)) {
    ++line;
    std::string l = trim(raw);
    if (l.rfind("//!", 0) != 0) continue;
    l = trim(l.substr(3));
    size_t sp = l.find(' ');
    std::string word = l.substr(0, sp), rest = sp == std::string::npos ? "" : trim(l.substr(sp + 1));
    if (word == "requires") {
      if (rest.empty()) return err("requires needs a feature name");
      c.requires_.push_back(rest);
    } else if (word == "run") {
      auto r = parse_run(rest, line);
      if (!r) return err(r.error().message);
      c.runs.push_back(*r);
    } else if (word == "expect" || word == "expect_trap") {
      if (c.runs.empty()) return err(word + " before any run");
      if (word == "expect") {
        auto e = parse_expect(rest, line);
        if (!e) return err(e.error().message);
        c.runs.back().expects.push_back(*e);
      } else {
        auto t = parse_trap(rest);
        if (!t) return err(t.error().message);
        c.runs.back().trap = *t;
      }
    } else if (word == "expect_error") {
      if (rest.empty()) return err("expect_error needs the diagnostic 'LINE:COL: error: message'");
      c.expect_error = rest;
    } else {
      return err("unknown directive '" + word + "' (requires, run, expect, expect_trap, expect_error)");
    }
  }
  if (!c.expect_error && c.runs.empty()) return err("a case needs a run or an expect_error");
  if (c.expect_error && !c.runs.empty()) return err("a case with expect_error cannot also run");
  for (const RunSpec& r : c.runs)
    if (r.expects.empty() && !r.trap) {
      line = r.line;
      return err("this run has no expect or expect_trap");
    }
  return c;
}

std::vector<std::string> find_case_files(const std::string& root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec); it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    if (ec) break;
    if (it->is_directory() && it->path().filename() == "golden") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".tile") out.push_back(it->path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace tilevm::conf
