// Diagnostics rendering and the lexer's edge cases: carets under tabs, ranges, notes, errors
// without a location, line/column mapping at the end of the text.
#include <doctest/doctest.h>

#include "text/diagnostics.h"
#include "text/lexer.h"
#include "verify/pipeline.h"

using namespace tilevm;
using namespace tilevm::text;

TEST_CASE("render: caret lines copy tabs and cover the range") {
  SourceFile f("a.tile", "x\n\tlet  yy = 1\n");
  Diagnostics d(f);
  d.error(ir::SrcRange::at(8, 10), "bad name");
  d.note(ir::SrcRange::at(0, 1), "see here");
  d.error(ir::SrcRange{}, "no place");
  CHECK(d.render() ==
        "a.tile:2:7: error: bad name\n"
        "\tlet  yy = 1\n"
        "\t     ^~\n"
        "a.tile:1:1: note: see here\n"
        "x\n"
        "^\n"
        "a.tile: error: no place\n");
  CHECK(d.error_count() == 2);
}

TEST_CASE("render: positions at and after the end of the text") {
  SourceFile f("b.tile", "ab\ncd");
  CHECK(f.line_col(0).line == 1);
  CHECK(f.line_col(3).line == 2);
  CHECK(f.line_col(3).col == 1);
  CHECK(f.line_col(5).col == 3);
  CHECK(f.line_col(99).col == 3);
  CHECK(f.line_text(2) == "cd");
  CHECK(f.line_text(3).empty());
}

TEST_CASE("lexer: tokens, dotted names, literals and errors") {
  Lexer lx("%t = load.global(-0x1F, 2.5e3, \"a\\\"b\") // c\n@");
  std::vector<Tok> kinds;
  std::vector<std::string> texts;
  for (Token t = lx.next(); !t.is(Tok::kEnd); t = lx.next()) {
    kinds.push_back(t.kind);
    texts.push_back(t.text);
  }
  std::vector<Tok> want = {Tok::kTensor, Tok::kPunct, Tok::kIdent, Tok::kPunct, Tok::kPunct, Tok::kInt,
                           Tok::kPunct, Tok::kFloat, Tok::kPunct, Tok::kString, Tok::kPunct, Tok::kComment,
                           Tok::kNewline, Tok::kError};
  CHECK(kinds == want);
  CHECK(texts[0] == "t");
  CHECK(texts[2] == "load.global");
  CHECK(texts[5] == "0x1F");
  CHECK(texts[9] == "a\"b");
  CHECK(texts[11] == " c");
  CHECK(texts[13] == "unexpected character '@'");
}

TEST_CASE("diagnostics: errors on several lines are all reported, in order") {
  auto r = verify::check_source("m.tile",
                                "program p(n: i32) grid [n] warps 1 {\n"
                                "  let a = 1 +\n"
                                "  let b = )\n"
                                "  let c = 2\n"
                                "  frob(1)\n"
                                "}\n");
  CHECK_FALSE(r.ok());
  CHECK(r.diagnostics ==
        "m.tile:2:14: error: expected an expression, found end of line\n"
        "  let a = 1 +\n"
        "             ^\n"
        "m.tile:3:11: error: expected an expression, found ')'\n"
        "  let b = )\n"
        "          ^\n"
        "m.tile:5:3: error: unknown instruction 'frob'\n"
        "  frob(1)\n"
        "  ^~~~\n");
}
