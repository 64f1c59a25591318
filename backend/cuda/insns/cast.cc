// cast and view. Conversions give exactly src/dtype's bits: float sources of 8 bits or fewer
// read a table generated from dt::convert; u4/i4/u8/i8 to f16 use the exact magic-number trick
// (0x6400 | v is 1024 + v); the standard formats use the cvt instruction whose result is the
// rule (f32->f16/bf16 cvt.rn, fp8 cvt.rn.satfinite on sm_89+); the rest is the prelude's
// software encoder (round to nearest even, saturating) or saturating float-to-int.
#include <cstdio>

#include "backend/cuda/dequant.h"
#include "backend/cuda/emit_internal.h"
#include "dtype/convert.h"

namespace tilevm::cuda {
namespace {

std::string tname(const ir::DType& d) {
  std::string n = d.name();
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

// Raw-bits C type of a dtype's code.
std::string bits_type(int bits) {
  return bits <= 8 ? "uint8_t" : bits <= 16 ? "uint16_t" : bits <= 32 ? "uint32_t" : "uint64_t";
}

// Reinterprets raw bits as the value representation of `to`.
std::string from_bits(const std::string& b, const ir::DType& to) {
  if (to == dt::kF16) return "__ushort_as_half(" + b + ")";
  if (to == dt::kBF16) return "__ushort_as_bfloat16(" + b + ")";
  if (to == dt::kF32) return "__uint_as_float(" + b + ")";
  if (to == dt::kF64) return "__longlong_as_double(" + b + ")";
  if (is_native(to)) return "(" + ctype(to) + ")" + b;
  return b;
}

// A table of dt::convert over every code of `from` (8 bits or fewer).
std::string table(Emitter& e, const ir::DType& from, const ir::DType& to) {
  std::string name = "tvm_cvt_" + tname(from) + "_to_" + tname(to);
  if (e.global_names_.insert(name).second) {
    int n = 1 << from.bits;
    std::string ty = bits_type(to.bits);
    std::string s = "__device__ const " + ty + " " + name + "[" + std::to_string(n) + "] = {";
    for (int c = 0; c < n; ++c) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s0x%llx", c ? ", " : "", static_cast<unsigned long long>(dt::convert(c, from, to)));
      s += buf;
      if (to.bits == 64) s += "ull";
    }
    e.globals_.push_back(s + "};");
  }
  return name;
}

int nan_mode(const ir::DType& d) {
  switch (d.nan) {
    case dt::NanEncoding::None: return 0;
    case dt::NanEncoding::IeeeLike: return 1;
    default: return 2;
  }
}

// The software encoder for a float target, from a double value `x` (exact for the source).
std::string encode(const std::string& x, const ir::DType& to, bool f64src) {
  if (to == dt::kUE8M0) return "(uint8_t)tvm_encode_ue8m0(" + x + ", false)";
  bool small = to.bits <= 8;
  std::string c = "tvm_encode_float(" + x + ", " + std::to_string(to.exp_bits) + ", " + std::to_string(to.man_bits) + ", " +
                  std::to_string(to.bias) + ", " + (small ? "true" : "false") + ", " + std::to_string(nan_mode(to)) + ", " +
                  (f64src ? "true" : "false") + ")";
  if (to == dt::kF16 || to == dt::kBF16) return from_bits("(uint16_t)" + c, to);
  return to.bits <= 8 && !is_packed(to) ? "(uint8_t)" + c : c;
}

// A native float value as f32 (exact for f16/bf16).
std::string as_f32(const std::string& v, const ir::DType& from) {
  if (from == dt::kF16) return "__half2float(" + v + ")";
  if (from == dt::kBF16) return "__bfloat162float(" + v + ")";
  return v;
}

std::string float_to(Emitter& e, const std::string& v, const ir::DType& from, const ir::DType& to) {
  bool f64 = from == dt::kF64;
  std::string f = as_f32(v, from);
  if (to.is_bool()) return "(uint8_t)(" + (f64 ? v : f) + " != 0)";
  if (to.is_int()) {
    if (from == dt::kF32 && to == dt::kI32) return "__float2int_rz(" + v + ")";
    std::string d = "(double)" + (f64 ? v : f);
    std::string r = to.kind == dt::Kind::Int ? "tvm_f64_to_sint(" + d + ", " + std::to_string(to.bits) + ")"
                                             : "tvm_f64_to_uint(" + d + ", " + std::to_string(to.bits) + ")";
    return is_packed(to) ? "(uint32_t)" + r : "(" + ctype(to) + ")" + r;
  }
  if (to == dt::kF32) return f64 ? "__double2float_rn(" + v + ")" : f;
  if (to == dt::kF64) return from == dt::kF16 ? "tvm_f16_to_f64(" + v + ")" : "(double)" + (f64 ? v : f);
  if (to == dt::kF16) return f64 ? "__double2half(" + v + ")" : "__float2half_rn(" + f + ")";
  if (to == dt::kBF16) {
    if (!f64) return "__float2bfloat16_rn(" + f + ")";
    return e.opt_.arch >= 90 ? "__double2bfloat16(" + v + ")" : encode(v, to, true);
  }
  if ((to == dt::kF8E4M3 || to == dt::kF8E5M2) && e.opt_.arch >= 89 && !f64) {
    const char* fmt = to == dt::kF8E4M3 ? "e4m3x2" : "e5m2x2";
    std::string fn = std::string("tvm_cvt_") + fmt;
    if (e.global_names_.insert(fn).second)
      e.globals_.push_back("TVM_D uint8_t " + fn + "(float x) {\n  uint16_t r;\n  asm(\"cvt.rn.satfinite." + fmt +
                           ".f32 %0, %1, %1;\" : \"=h\"(r) : \"f\"(x));\n  return (uint8_t)(r & 0xff);\n}");
    return fn + "(" + f + ")";
  }
  return encode("(double)" + (f64 ? v : f), to, f64);
}

// An integer value (native, or a code of a packed type) to `to`.
std::string int_to(Emitter& e, const std::string& v, const ir::DType& from, const ir::DType& to) {
  bool sgn = from.kind == dt::Kind::Int;
  std::string x = v;
  if (is_packed(from)) {
    int sh = 32 - from.bits;
    x = sgn ? "((int32_t)((" + v + ") << " + std::to_string(sh) + ") >> " + std::to_string(sh) + ")" : "(uint32_t)(" + v + ")";
  }
  if (to.is_bool()) return "(uint8_t)(" + x + " != 0)";
  if (to.is_int()) return is_packed(to) ? "(uint32_t)" + x : "(" + ctype(to) + ")" + x;
  int w = is_packed(from) ? 32 : from.bits;
  // u4/i4/u8/i8 to f16: 0x6400 | b is the f16 1024 + b; subtracting the bias is exact.
  if (to == dt::kF16 && (from.bits == 4 || from.bits == 8)) {
    const char* mask = from.bits == 4 ? "0xf" : "0xff";
    std::string flip = sgn ? (from.bits == 4 ? " ^ 0x8" : " ^ 0x80") : "";
    std::string bias = sgn ? (from.bits == 4 ? "0x6408" : "0x6480") : "0x6400";
    return "__hsub(__ushort_as_half((uint16_t)(0x6400 | (((uint32_t)(" + v + ") & " + mask + ")" + flip +
           "))), __ushort_as_half(" + bias + "))";
  }
  if (w <= 16) return float_to(e, "(float)" + x, dt::kF32, to);
  std::string d = w == 64 ? (sgn ? "tvm_s64_to_f64_odd(" + x + ")" : "tvm_u64_to_f64_odd(" + x + ")") : "(double)" + x;
  if (to == dt::kF32)
    return w == 64 ? (sgn ? "__ll2float_rn(" + x + ")" : "__ull2float_rn(" + x + ")")
                   : (sgn ? "__int2float_rn(" + x + ")" : "__uint2float_rn(" + x + ")");
  if (to == dt::kF64) return w == 64 ? (sgn ? "__ll2double_rn(" + x + ")" : "__ull2double_rn(" + x + ")") : d;
  if (to == dt::kF16 && w == 32) return sgn ? "__int2half_rn(" + x + ")" : "__uint2half_rn(" + x + ")";
  if (to == dt::kF16) return "__double2half(" + d + ")";
  if (to == dt::kBF16 && e.opt_.arch >= 90) return "__double2bfloat16(" + d + ")";
  return encode(d, to, false);
}

// Defines the device function converting the pair of 4-bit integers in bits 0-3 and 16-19 of a
// word to a half2 / bfloat162 with one lop3 and one packed subtraction (backend/cuda/dequant.h).
std::string paired_fn(Emitter& e, bool is_signed, bool bf16) {
  std::string name = std::string("tvm_") + (is_signed ? "i4" : "u4") + "x2_to_" + (bf16 ? "bf16x2" : "f16x2");
  if (!e.global_names_.insert(name).second) return name;
  PairedDequant q = paired_dequant(is_signed, bf16);
  std::string h2 = bf16 ? "__nv_bfloat162" : "__half2";
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "TVM_D %s %s(uint32_t w) {\n  uint32_t h, b = 0x%08xu;\n"
                "  asm(\"lop3.b32 %%0, %%1, %%2, %%3, 0x%02x;\" : \"=r\"(h) : \"r\"(w), \"n\"(0x%08x), \"n\"(0x%08x));\n"
                "  return __hsub2(*reinterpret_cast<const %s*>(&h), *reinterpret_cast<const %s*>(&b));\n}",
                h2.c_str(), name.c_str(), q.bias, q.lut, q.mask, q.magic, h2.c_str(), h2.c_str());
  e.globals_.push_back(buf);
  return name;
}

// Defines the device function converting bytes j, j+1 of a word of 8-bit integers to a half2
// with one prmt and one packed subtraction (backend/cuda/dequant.h).
std::string byte_pair_fn(Emitter& e, bool is_signed, int j) {
  std::string name = std::string("tvm_") + (is_signed ? "i8" : "u8") + "x2_to_f16x2_b" + std::to_string(j);
  if (!e.global_names_.insert(name).second) return name;
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "TVM_D __half2 %s(uint32_t w) {\n  uint32_t h, b = 0x%08xu;\n"
                "  asm(\"prmt.b32 %%0, %%1, %%2, 0x%04x;\" : \"=r\"(h) : \"r\"(w%s), \"r\"(0x64646464u));\n"
                "  return __hsub2(*reinterpret_cast<const __half2*>(&h), *reinterpret_cast<const __half2*>(&b));\n}",
                name.c_str(), byte8_bias(is_signed), byte8_selector(j), is_signed ? " ^ 0x80808080u" : "");
  e.globals_.push_back(buf);
  return name;
}

// The paired 8-bit → f16 path: result slots s and t whose sources are slots m and m + 1 of the
// 8-bit input array with m even (bytes j, j+1 of the 32-bit word m / 4, the array being 16-byte
// aligned) convert together.
void emit_byte_pairs(Emitter& e, const TVar& in, const TVar& out, const std::vector<int>& map, std::vector<bool>& done) {
  const ir::DType &from = in.f->dtype, &to = out.f->dtype;
  if (!(from.is_int() && from.bits == 8 && to == dt::kF16)) return;
  int n = static_cast<int>(map.size());
  for (int s = 0; s < n; ++s) {
    if (done[s] || map[s] % 2) continue;
    int t = -1;
    for (int u = 0; u < n && t < 0; ++u)
      if (!done[u] && u != s && map[u] == map[s] + 1) t = u;
    if (t < 0) continue;
    std::string fn = byte_pair_fn(e, from.kind == dt::Kind::Int, map[s] % 4);
    std::string word = "reinterpret_cast<const uint32_t*>(" + in.c + ")[" + std::to_string(map[s] / 4) + "]";
    e.line("{ const __half2 p = " + fn + "(" + word + "); " + out.c + "[" + std::to_string(s) + "] = __low2half(p); " + out.c +
           "[" + std::to_string(t) + "] = __high2half(p); }  // slots " + std::to_string(map[s]) + ", " +
           std::to_string(map[s] + 1) + " paired");
    done[s] = done[t] = true;
  }
}

// The paired 4-bit → f16/bf16 path: result slots s and t whose sources are slots m and m + 4 of
// one 32-bit word (m % 8 < 4, so the two nibbles are 16 bits apart) convert together. Marks the
// slots it covers in `done`.
void emit_paired_dequant(Emitter& e, const TVar& in, const TVar& out, const std::vector<int>& map, std::vector<bool>& done) {
  const ir::DType &from = in.f->dtype, &to = out.f->dtype;
  if (!(from.is_int() && from.bits == 4 && (to == dt::kF16 || to == dt::kBF16))) return;
  bool bf16 = to == dt::kBF16;
  int n = static_cast<int>(map.size());
  for (int s = 0; s < n; ++s) {
    if (done[s] || map[s] % 8 >= 4) continue;
    int t = -1;
    for (int u = 0; u < n && t < 0; ++u)
      if (!done[u] && u != s && map[u] == map[s] + 4) t = u;
    if (t < 0) continue;
    std::string fn = paired_fn(e, from.kind == dt::Kind::Int, bf16);
    std::string word = in.c + "[" + std::to_string(map[s] / 8) + "]";
    int sh = 4 * (map[s] % 8);
    std::string lo = bf16 ? "__low2bfloat16" : "__low2half", hi = bf16 ? "__high2bfloat16" : "__high2half";
    e.line("{ const auto p = " + fn + "(" + word + (sh ? " >> " + std::to_string(sh) : "") + "); " + out.c + "[" +
           std::to_string(s) + "] = " + lo + "(p); " + out.c + "[" + std::to_string(t) + "] = " + hi + "(p); }  // slots " +
           std::to_string(map[s]) + ", " + std::to_string(map[s] + 4) + " paired");
    done[s] = done[t] = true;
  }
}

}  // namespace

std::string Emitter::convert(const std::string& v, const ir::DType& from, const ir::DType& to) {
  if (from == to) return v;
  if (from.is_bool()) return int_to(*this, "(uint8_t)(" + v + " != 0)", dt::kU8, to);
  if (from.is_int()) return int_to(*this, v, from, to);
  if (!is_native(from)) return from_bits(table(*this, from, to) + "[" + v + "]", to);
  return float_to(*this, v, from, to);
}

void emit_cast(Emitter& e, const ir::Insn& insn) {
  TVar& in = e.operand(insn, 0);
  TVar& out = e.produced(insn);
  if (!e.in_place(insn)) e.declare_register(out);
  if (insn.op == ir::Op::kView) {
    int bits = in.f->layout->local_size() * in.f->dtype.bits;
    e.line("tvm_copy_bytes(" + out.c + ", " + in.c + ", " + std::to_string((bits + 7) / 8) + ");  // the same " +
           std::to_string(bits) + " bits per thread, reinterpreted");
    return;
  }
  std::vector<int> map = e.slot_map(*out.f->layout, *in.f->layout);
  if (!map.empty() && map[0] < 0) {
    e.fail(insn.loc, "the CUDA backend needs the cast's input and result layouts to pair slot by slot");
    return;
  }
  int n = out.f->layout->local_size();
  bool identity = true;
  for (int s = 0; s < n; ++s) identity &= map[s] == s;
  const ir::DType &from = in.f->dtype, &to = out.f->dtype;
  const bool byte_pairs = from.is_int() && from.bits == 8 && to == dt::kF16 && n >= 2;
  if (identity && !is_packed(from) && !is_packed(to) && !byte_pairs) {
    e.line("#pragma unroll");
    e.line("for (int i = 0; i < " + std::to_string(n) + "; ++i) " + out.c + "[i] = " +
           e.convert(in.c + "[i]", from, to) + ";");
    return;
  }
  std::vector<bool> done(n, false);
  emit_paired_dequant(e, in, out, map, done);
  emit_byte_pairs(e, in, out, map, done);
  for (int s = 0; s < n; ++s)
    if (!done[s]) e.line(e.set(out, s, e.convert(e.get(in, map[s]), from, to)));
}

}  // namespace tilevm::cuda
