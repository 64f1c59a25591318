// Pictures of layouts, one cell per logical element: text grids for terminals and SVG for
// browsers. Used by `tilevm layout show` and by anything that prints per-lane ownership.
#pragma once

#include <string>
#include <vector>

#include "layout/register_layout.h"
#include "layout/shared_layout.h"

namespace tilevm::layout {

// What to draw: a label and a colour group per element, row-major over `shape`.
// Rank 0 and 1 draw as one row; rank 2 as rows x columns; higher ranks as one 2-D slice per
// index of the leading dimensions, each titled "[i0,i1,:,:]".
struct Picture {
  std::vector<int> shape;
  std::vector<std::string> labels;  // one per element
  std::vector<int> groups;          // one per element: the colour (thread, or bank)
  int group_period = 32;            // groups g and g + period share a hue (lanes of warps)
  std::string title;                // printed above the grid
};

// `thread:slot` of each element (for a replicated element: its lowest thread), coloured by
// thread: one hue per lane, a different shade per warp.
Picture register_picture(const RegisterLayout& layout);
// `offset` (element offset; bits == 0) or `offset:bank` for `bits`-bit elements, where bank =
// (byte offset of the element's first bit / 4) mod 32; coloured by bank (or by offset / 32
// when bits == 0).
Picture shared_picture(const SharedLayout& layout, int bits);

// A text grid with row and column indices. Columns that do not fit in `max_width` characters
// continue in further blocks below, each with its own header.
std::string render_text(const Picture& picture, int max_width = 160);
// A standalone SVG document: the same grid, cells filled by group, labels inside.
std::string render_svg(const Picture& picture);

}  // namespace tilevm::layout
