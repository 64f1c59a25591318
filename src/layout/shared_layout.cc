// Shared layouts: validation, canonical form, offsets, storage, constructors and composition.
#include "layout/shared_layout.h"

#include <cstdlib>
#include <numeric>

#include "layout/mode_form.h"

namespace tilevm::layout {

int64_t Swizzle::apply(int64_t x) const {
  int64_t mask = (int64_t{1} << bits) - 1;
  if (shift >= 0) return x ^ ((x & (mask << (base + shift))) >> shift);
  return x ^ ((x & (mask << base)) << -shift);
}

namespace {

std::optional<Error> check_swizzle(const Swizzle& s) {
  if (s.bits < 0 || s.bits > 16) return fail("swizzle bits must be in 0..16");
  if (s.base < 0 || s.base > 30) return fail("swizzle base must be in 0..30");
  if (std::abs(s.shift) < s.bits) return fail("swizzle |shift| must be >= bits (the two fields would overlap)");
  if (s.base + std::abs(s.shift) + s.bits > 40) return fail("swizzle fields reach beyond bit 40");
  return std::nullopt;
}

SharedLayout canonical(std::vector<int> shape, std::vector<int> size, std::vector<int> dim,
                       std::vector<int64_t> stride, std::optional<Swizzle> swz) {
  for (size_t m = size.size(); m-- > 0;) {
    if (size[m] != 1) continue;
    size.erase(size.begin() + m);
    dim.erase(dim.begin() + m);
    stride.erase(stride.begin() + m);
  }
  for (size_t m = 0; m + 1 < size.size();) {
    if (dim[m] == dim[m + 1] && stride[m] == stride[m + 1] * size[m + 1]) {
      size[m] *= size[m + 1];
      stride[m] = stride[m + 1];
      size.erase(size.begin() + m + 1);
      dim.erase(dim.begin() + m + 1);
      stride.erase(stride.begin() + m + 1);
    } else {
      ++m;
    }
  }
  if (swz && swz->bits == 0) swz.reset();
  return SharedLayout{std::move(shape), std::move(size), std::move(stride), swz};
}

// Whether the largest offset + 1 (before the swizzle) is at most 2^40.
bool storage_fits(const std::vector<int>& size, const std::vector<int64_t>& stride) {
  __int128 extent = 1;
  for (size_t m = 0; m < size.size(); ++m) extent += static_cast<__int128>(size[m] - 1) * stride[m];
  return extent <= (int64_t{1} << 40);
}

std::vector<int> dims_of(const SharedLayout& s) { return detail::mode_dims(s.shape, s.mode_shape); }

}  // namespace

Expected<SharedLayout> SharedLayout::make(std::vector<int> shape, std::vector<int> mode_shape,
                                          std::vector<int64_t> mode_strides,
                                          std::optional<Swizzle> swizzle) {
  for (int e : shape)
    if (e < 1) return fail("shared layout extents must be >= 1");
  for (int e : mode_shape)
    if (e < 1) return fail("shared layout mode sizes must be >= 1");
  if (detail::checked_product(shape) > kMaxLayoutSize) return fail("too many elements");
  if (mode_strides.size() != mode_shape.size())
    return fail("expected one stride per mode (" + std::to_string(mode_shape.size()) + "), got " +
                std::to_string(mode_strides.size()));
  for (int64_t st : mode_strides)
    if (st < 0 || st > (int64_t{1} << 40)) return fail("strides must be in 0..2^40");
  if (swizzle)
    if (auto e = check_swizzle(*swizzle)) return *e;
  auto dims = detail::group_modes(shape, mode_shape);
  if (!dims) return dims.error();
  if (!storage_fits(mode_shape, mode_strides)) return fail("the layout spans more than 2^40 elements of storage");
  return canonical(std::move(shape), std::move(mode_shape), std::move(*dims), std::move(mode_strides), swizzle);
}

int SharedLayout::num_elements() const { return static_cast<int>(detail::checked_product(shape)); }

int64_t SharedLayout::element_offset(const std::vector<int>& index) const {
  TILEVM_CHECK(index.size() == shape.size());
  auto dims = dims_of(*this);
  std::vector<int> left(index);
  for (size_t d = 0; d < shape.size(); ++d) TILEVM_CHECK(index[d] >= 0 && index[d] < shape[d]);
  int64_t off = 0;
  for (size_t m = mode_shape.size(); m-- > 0;) {
    int d = dims[m];
    off += static_cast<int64_t>(left[d] % mode_shape[m]) * mode_strides[m];
    left[d] /= mode_shape[m];
  }
  return swizzle ? swizzle->apply(off) : off;
}

int64_t SharedLayout::bit_offset(const std::vector<int>& index, int bits) const {
  TILEVM_CHECK(bits >= 1 && bits <= 64);
  return element_offset(index) * bits;
}

int64_t SharedLayout::byte_offset(const std::vector<int>& index, int bits) const {
  return bit_offset(index, bits) / 8;
}

int64_t SharedLayout::storage_elements() const {
  int64_t n = 1;
  for (size_t m = 0; m < mode_shape.size(); ++m) n += (mode_shape[m] - 1) * mode_strides[m];
  if (swizzle) {
    int64_t block = int64_t{1} << (swizzle->base + swizzle->bits + (swizzle->shift < 0 ? -swizzle->shift : 0));
    n = (n + block - 1) / block * block;
  }
  return n;
}

int64_t SharedLayout::storage_bytes(int bits) const {
  TILEVM_CHECK(bits >= 1 && bits <= 64);
  return (storage_elements() * bits + 7) / 8;
}

SharedLayout SharedLayout::with_swizzle(Swizzle s) const {
  TILEVM_CHECK(!check_swizzle(s));
  SharedLayout out = *this;
  out.swizzle = s;
  if (s.bits == 0) out.swizzle.reset();
  return out;
}

namespace {

SharedLayout strided(std::vector<int> extents, bool column) {
  for (int e : extents) TILEVM_CHECK(e >= 1);
  int n = static_cast<int>(extents.size());
  std::vector<int64_t> strides(n);
  int64_t st = 1;
  for (int k = 0; k < n; ++k) {
    int d = column ? k : n - 1 - k;
    strides[d] = st;
    st *= extents[d];
  }
  std::vector<int> dims(n);
  std::iota(dims.begin(), dims.end(), 0);
  return canonical(extents, extents, dims, strides, std::nullopt);
}

}  // namespace

SharedLayout shared_row_major(std::vector<int> extents) { return strided(std::move(extents), false); }
SharedLayout shared_column_major(std::vector<int> extents) { return strided(std::move(extents), true); }

Expected<SharedLayout> shared_compose(const SharedLayout& outer, const SharedLayout& inner) {
  if (outer.swizzle || inner.swizzle) return fail("cannot compose shared layouts that carry a swizzle");
  int rank = std::max(outer.rank(), inner.rank());
  int po = rank - outer.rank(), pi = rank - inner.rank();
  auto dout = dims_of(outer), din = dims_of(inner);
  int64_t scale = inner.storage_elements();
  std::vector<int> shape, size, dim;
  std::vector<int64_t> stride;
  for (int d = 0; d < rank; ++d) {
    int64_t e = int64_t{d >= po ? outer.shape[d - po] : 1} * (d >= pi ? inner.shape[d - pi] : 1);
    if (e > kMaxLayoutSize) return fail("the composed shared layout is too large");
    shape.push_back(static_cast<int>(e));
    for (size_t m = 0; m < dout.size(); ++m) {
      if (dout[m] + po != d) continue;
      if (static_cast<__int128>(outer.mode_strides[m]) * scale > (int64_t{1} << 40))
        return fail("the composed shared layout is too large");
      size.push_back(outer.mode_shape[m]), dim.push_back(d), stride.push_back(outer.mode_strides[m] * scale);
    }
    for (size_t m = 0; m < din.size(); ++m)
      if (din[m] + pi == d) size.push_back(inner.mode_shape[m]), dim.push_back(d), stride.push_back(inner.mode_strides[m]);
  }
  if (detail::checked_product(shape) > kMaxLayoutSize || !storage_fits(size, stride))
    return fail("the composed shared layout is too large");
  return canonical(std::move(shape), std::move(size), std::move(dim), std::move(stride), std::nullopt);
}

Expected<SharedLayout> shared_row_major_swizzle(const std::vector<int>& extents, int bits) {
  int r = static_cast<int>(extents.size());
  if (r < 2) return fail("shared_row_major_swizzle needs rank >= 2");
  if (bits != 8 && bits != 16 && bits != 32 && bits != 64) return fail("shared_row_major_swizzle needs 8, 16, 32 or 64-bit elements");
  for (int e : extents)
    if (e < 1) return fail("extents must be >= 1");
  int m = extents[r - 2], n = extents[r - 1];
  int vec = std::gcd(n, 1024 / bits);  // a panel row of at most 128 bytes
  std::vector<int> size, dim;
  std::vector<int64_t> stride;
  int64_t tile = int64_t{m} * n, head = 1;
  for (int d = r - 3; d >= 0; --d) head *= extents[d];
  int64_t st = tile * head;
  for (int d = 0; d < r - 2; ++d) {
    st /= extents[d];
    size.push_back(extents[d]), dim.push_back(d), stride.push_back(st);
  }
  size.insert(size.end(), {m, n / vec, vec});
  dim.insert(dim.end(), {r - 2, r - 1, r - 1});
  stride.insert(stride.end(), {vec, int64_t{m} * vec, 1});
  int row_bytes = vec * bits / 8;
  int sbits = row_bytes >= 128 ? 3 : row_bytes == 64 ? 2 : row_bytes == 32 ? 1 : 0;
  int base = 0;
  while ((1 << base) * bits < 128) ++base;  // log2 of the elements in a 16-byte granule
  std::optional<Swizzle> swz;
  if (sbits > 0) swz = Swizzle{sbits, base, 3};
  return canonical(extents, size, dim, stride, swz);
}

}  // namespace tilevm::layout
