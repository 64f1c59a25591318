// The list of lowered instructions, by emitter file (backend/cuda/insns/<family>.cc). The code
// generator refuses, with a located error, any instruction not listed here.
#include "backend/cuda/coverage.h"

namespace tilevm::cuda {

const ir::Coverage& coverage() {
  static const ir::Coverage c = [] {
    using ir::Op;
    ir::Coverage k;
    k.component = "codegen";
    k.complete = true;
    for (Op op : {
             Op::kBlockIndex,                                                                   // index.cc
             Op::kAllocRegister, Op::kAllocShared, Op::kAllocGlobal, Op::kFreeShared, Op::kViewGlobal,  // alloc.cc
             Op::kLoadGlobal, Op::kStoreGlobal, Op::kLoadShared, Op::kStoreShared,              // memory.cc
             Op::kCopyAsync, Op::kCopyAsyncCommit, Op::kCopyAsyncWait,                          // copy.cc
             Op::kNeg, Op::kAbs, Op::kNot, Op::kExp, Op::kExp2, Op::kLog, Op::kSqrt, Op::kRsqrt, Op::kRound,
             Op::kAdd, Op::kSub, Op::kMul, Op::kDiv, Op::kMod, Op::kMin, Op::kMax, Op::kAnd, Op::kOr, Op::kXor,
             Op::kShl, Op::kShr, Op::kEq, Op::kNe, Op::kLt, Op::kLe, Op::kGt, Op::kGe, Op::kFma,
             Op::kWhere,                                                                        // elementwise.cc
             Op::kCast, Op::kView,                                                              // cast.cc
             Op::kReduceSum, Op::kReduceMax, Op::kReduceMin, Op::kReduceAnd, Op::kReduceOr,     // reduce.cc
             Op::kDotMma, Op::kDotSimt,                                                         // dot.cc
             Op::kSync, Op::kExit, Op::kPrint,                                                  // control.cc
             Op::kAtomicGlobal, Op::kAtomicShared, Op::kSemaphoreWait, Op::kSemaphoreSignal,    // atomic.cc
         })
      k.add(op);
    return k;
  }();
  return c;
}

}  // namespace tilevm::cuda
