// Drawing layouts as text grids and SVG documents.
#include "layout/render.h"

#include <algorithm>
#include <cstdio>

#include "layout/table.h"

namespace tilevm::layout {

namespace {

// The grid geometry shared by both renderers.
struct Grid {
  int rows = 1, cols = 1, slices = 1;
  std::vector<int> lead;  // extents of the sliced leading dimensions
};

Grid grid_of(const std::vector<int>& shape) {
  Grid g;
  int r = static_cast<int>(shape.size());
  if (r >= 1) g.cols = shape[r - 1];
  if (r >= 2) g.rows = shape[r - 2];
  for (int d = 0; d + 2 < r; ++d) {
    g.lead.push_back(shape[d]);
    g.slices *= shape[d];
  }
  return g;
}

std::string slice_title(const Grid& g, int slice) {
  std::string s = "[";
  std::vector<int> idx(g.lead.size());
  for (size_t d = g.lead.size(); d-- > 0;) idx[d] = slice % g.lead[d], slice /= g.lead[d];
  for (int i : idx) s += std::to_string(i) + ",";
  return s + ":,:]";
}

std::string pad_left(const std::string& s, size_t w) { return s.size() >= w ? s : std::string(w - s.size(), ' ') + s; }

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

// A fill colour: hue by group modulo the period (spread so neighbours differ), lightness by
// group / period.
std::string colour(int group, int period) {
  int lane = ((group % period) + period) % period;
  int band = (group / period) % 4;
  int hue = (lane * 7 % period) * 360 / period;  // 7 is coprime with 32: neighbours differ
  char buf[48];
  std::snprintf(buf, sizeof buf, "hsl(%d,%d%%,%d%%)", hue, 70 - band * 12, 82 - band * 9);
  return buf;
}

}  // namespace

Picture register_picture(const RegisterLayout& l) {
  Picture p;
  p.shape = l.shape;
  LayoutTable tab(l);
  for (int i = 0; i < l.num_elements(); ++i) {
    int t = tab.first_thread(i);
    p.labels.push_back(std::to_string(t) + ":" + std::to_string(tab.slot_of(i)));
    p.groups.push_back(t);
  }
  p.title = to_string(l);
  return p;
}

Picture shared_picture(const SharedLayout& s, int bits) {
  Picture p;
  p.shape = s.shape;
  std::vector<int> idx(s.rank(), 0);
  for (int i = 0; i < s.num_elements(); ++i) {
    for (int d = s.rank() - 1, r = i; d >= 0; --d) idx[d] = r % s.shape[d], r /= s.shape[d];
    int64_t off = s.element_offset(idx);
    if (bits > 0) {
      int bank = static_cast<int>(s.byte_offset(idx, bits) / 4 % 32);
      p.labels.push_back(std::to_string(off) + ":" + std::to_string(bank));
      p.groups.push_back(bank);
    } else {
      p.labels.push_back(std::to_string(off));
      p.groups.push_back(static_cast<int>(off / 32));
    }
  }
  p.title = to_string(s);
  return p;
}

std::string render_text(const Picture& p, int max_width) {
  Grid g = grid_of(p.shape);
  size_t w = 3;
  for (const auto& s : p.labels) w = std::max(w, s.size() + 1);
  w = std::max(w, std::to_string(g.cols - 1).size() + 1);
  size_t lw = std::to_string(g.rows - 1).size() + 1;
  int per_block = std::max<int>(1, static_cast<int>((max_width - static_cast<int>(lw) - 1) / static_cast<int>(w)));
  std::string out;
  for (int sl = 0; sl < g.slices; ++sl) {
    if (g.slices > 1) out += slice_title(g, sl) + "\n";
    for (int c0 = 0; c0 < g.cols; c0 += per_block) {
      int c1 = std::min(g.cols, c0 + per_block);
      out += std::string(lw + 1, ' ');
      for (int c = c0; c < c1; ++c) out += pad_left(std::to_string(c), w);
      out += "\n";
      for (int r = 0; r < g.rows; ++r) {
        out += pad_left(std::to_string(r), lw) + " ";
        for (int c = c0; c < c1; ++c) out += pad_left(p.labels[(static_cast<size_t>(sl) * g.rows + r) * g.cols + c], w);
        out += "\n";
      }
      if (c1 < g.cols || sl + 1 < g.slices) out += "\n";
    }
  }
  return out;
}

std::string render_svg(const Picture& p) {
  Grid g = grid_of(p.shape);
  size_t chars = 3;
  for (const auto& s : p.labels) chars = std::max(chars, s.size());
  const int cw = static_cast<int>(chars) * 7 + 10, ch = 20, margin = 34, title_h = 28, gap = 24;
  int slice_h = g.rows * ch + gap + (g.slices > 1 ? 18 : 0);
  int width = std::max<int>(margin + g.cols * cw + 10, static_cast<int>(p.title.size()) * 8 + 10), height = title_h + g.slices * slice_h + 10;
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) + "\" height=\"" +
                  std::to_string(height) + "\" font-family=\"monospace\" font-size=\"11\">\n";
  s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s += "<text x=\"4\" y=\"16\" font-size=\"13\">" + escape(p.title) + "</text>\n";
  for (int sl = 0; sl < g.slices; ++sl) {
    int y0 = title_h + sl * slice_h + (g.slices > 1 ? 18 : 0) + 14;
    if (g.slices > 1) s += "<text x=\"4\" y=\"" + std::to_string(y0 - 18) + "\">" + slice_title(g, sl) + "</text>\n";
    for (int c = 0; c < g.cols; ++c)
      s += "<text x=\"" + std::to_string(margin + c * cw + cw / 2) + "\" y=\"" + std::to_string(y0 - 3) +
           "\" text-anchor=\"middle\" fill=\"#666\">" + std::to_string(c) + "</text>\n";
    for (int r = 0; r < g.rows; ++r) {
      int y = y0 + r * ch;
      s += "<text x=\"" + std::to_string(margin - 4) + "\" y=\"" + std::to_string(y + 14) +
           "\" text-anchor=\"end\" fill=\"#666\">" + std::to_string(r) + "</text>\n";
      for (int c = 0; c < g.cols; ++c) {
        size_t e = (static_cast<size_t>(sl) * g.rows + r) * g.cols + c;
        int x = margin + c * cw;
        s += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" width=\"" + std::to_string(cw) +
             "\" height=\"" + std::to_string(ch) + "\" fill=\"" + colour(p.groups[e], p.group_period) +
             "\" stroke=\"#444\" stroke-width=\"0.5\"/>";
        s += "<text x=\"" + std::to_string(x + cw / 2) + "\" y=\"" + std::to_string(y + 14) +
             "\" text-anchor=\"middle\">" + escape(p.labels[e]) + "</text>\n";
      }
    }
  }
  return s + "</svg>\n";
}

}  // namespace tilevm::layout
