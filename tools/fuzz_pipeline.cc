// The batched fuzz pipeline: CPU workers prepare and compile batches, one GPU thread runs them.
#include "fuzz_pipeline.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <optional>
#include <memory>
#include <mutex>
#include <thread>

#include "backend/cuda/batch.h"
#include "backend/cuda/driver.h"
#include "conformance/fuzz.h"

namespace tilevm::fuzz {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string kernel_name(uint64_t seed) { return "fz_" + std::to_string(seed); }

// One program that passed the CPU checks and compiled.
struct Item {
  conf::FuzzSpec spec;
  conf::FuzzPrepared p;  // launch, emulator results, oracle
  cuda::EmittedKernel kernel;
};

// Seeds [first, first + size); results are committed when the whole batch has finished.
struct Batch {
  int64_t index = 0;
  uint64_t first = 0;
  int64_t size = 0;
  std::vector<Item> items;
  std::vector<uint8_t> cubin;
  int64_t passed = 0;
  std::vector<PipelineFailure> failures;
};

class Pipeline {
 public:
  Pipeline(const PipelineOptions& o, const std::function<void(int64_t, int64_t)>& progress,
           const std::function<void(uint64_t, const std::string&)>& on_program)
      : o_(o), progress_(progress), on_program_(on_program) {
    nbatches_ = (o.count + o.batch - 1) / o.batch;
    done_.assign(static_cast<size_t>(nbatches_), false);
    capacity_ = static_cast<size_t>(std::max(2, o.jobs));
    arch_ = cuda::default_arch();
  }

  PipelineResult run() {
    const auto start = Clock::now();
    start_ = start;
    use_gpu_ = cuda::device_info().present;
    r_.gpu_missing = !use_gpu_;
    std::thread gpu;
    if (use_gpu_) gpu = std::thread([this] { gpu_loop(); });
    std::vector<std::thread> pool;
    for (int j = 0; j < o_.jobs; ++j) pool.emplace_back([this] { worker(); });
    for (std::thread& t : pool) t.join();
    {
      std::lock_guard<std::mutex> lock(m_);
      producers_done_ = true;
    }
    cv_pop_.notify_all();
    if (gpu.joinable()) gpu.join();
    int64_t prefix = 0;
    while (prefix < nbatches_ && done_[static_cast<size_t>(prefix)]) ++prefix;
    r_.resume_seed = o_.seed0 + static_cast<uint64_t>(std::min(o_.count, prefix * o_.batch));
    if (resume_at_) r_.resume_seed = *resume_at_;
    r_.complete = prefix == nbatches_;
    r_.stats.wall = since(start);
    r_.stats.prepare = stats_prepare_;
    r_.stats.emit = stats_emit_;
    r_.stats.nvrtc = stats_nvrtc_;
    return std::move(r_);
  }

 private:
  void worker() {
    for (;;) {
      if (stop_) return;
      if (o_.time_limit > 0 && since(start_) > o_.time_limit) {
        halt("time limit reached");
        return;
      }
      const int64_t b = next_++;
      if (b >= nbatches_) return;
      auto batch = std::make_unique<Batch>();
      batch->index = b;
      batch->first = o_.seed0 + static_cast<uint64_t>(b * o_.batch);
      batch->size = std::min<int64_t>(o_.batch, o_.count - b * o_.batch);
      prepare(*batch);
      compile(*batch);
      if (!use_gpu_) {
        batch->passed += static_cast<int64_t>(batch->items.size());
        commit(*batch);
      } else if (!push(std::move(batch))) {
        return;
      }
    }
  }

  void halt(const std::string& why) {
    std::lock_guard<std::mutex> lock(m_);
    if (!stop_) r_.stop_reason = why;
    stop_ = true;
  }

  // Generate, emulate, check with the oracle and emit every program of the batch.
  void prepare(Batch& b) {
    for (int64_t i = 0; i < b.size; ++i) {
      const uint64_t seed = b.first + static_cast<uint64_t>(i);
      auto t = Clock::now();
      conf::FuzzSpec spec = conf::random_spec(seed);
      conf::FuzzPrepared p = conf::prepare_spec(spec);
      add(stats_prepare_, since(t));
      if (o_.print) {
        std::lock_guard<std::mutex> lock(m_);
        on_program_(seed, p.outcome.text);
      }
      if (!p.outcome.ok) {
        b.failures.push_back({seed, p.outcome.message, PipelineFailure::Stage::Cpu});
        continue;
      }
      t = Clock::now();
      const exec::LoadedProgram& lp = *p.launch->program;
      cuda::EmitOptions eo{arch_, kernel_name(seed)};
      auto k = cuda::emit_kernel(lp.program, lp.facts, lp.source.get(), eo);
      add(stats_emit_, since(t));
      if (!k) {
        b.failures.push_back({seed, "emit: " + k.error().message, PipelineFailure::Stage::Compile});
        continue;
      }
      b.items.push_back({std::move(spec), std::move(p), std::move(*k)});
    }
  }

  // One NVRTC call for the batch; when it fails, each kernel alone finds the culprits.
  void compile(Batch& b) {
    if (b.items.empty()) return;
    auto t = Clock::now();
    auto kernels = [&] {
      std::vector<const cuda::EmittedKernel*> ks;
      for (const Item& it : b.items) ks.push_back(&it.kernel);
      return ks;
    };
    auto c = cuda::compile_batch(kernels(), arch_);
    if (!c) {
      std::vector<Item> good;
      for (Item& it : b.items) {
        auto one = cuda::compile_batch({&it.kernel}, arch_);
        if (one) good.push_back(std::move(it));
        else b.failures.push_back({it.spec.seed, "nvrtc: " + one.error().message.substr(0, 2000), PipelineFailure::Stage::Compile});
      }
      b.items = std::move(good);
      if (!b.items.empty()) c = cuda::compile_batch(kernels(), arch_);
    }
    if (c) b.cubin = std::move(*c);
    add(stats_nvrtc_, since(t));
  }

  // The GPU takes batches in index order, so what it has finished is always a prefix of the
  // seeds. The batch it needs next is never blocked; others wait while `capacity_` are ready.
  bool push(std::unique_ptr<Batch> b) {
    std::unique_lock<std::mutex> lock(m_);
    cv_push_.wait(lock, [&] { return b->index == next_gpu_ || ready_.size() < capacity_ || gpu_dead_; });
    if (gpu_dead_) return false;
    ready_[b->index] = std::move(b);
    cv_pop_.notify_all();
    return true;
  }

  std::unique_ptr<Batch> pop() {
    std::unique_lock<std::mutex> lock(m_);
    cv_pop_.wait(lock, [&] { return ready_.count(next_gpu_) || producers_done_; });
    auto it = ready_.find(next_gpu_);
    if (it == ready_.end()) return nullptr;
    auto b = std::move(it->second);
    ready_.erase(it);
    ++next_gpu_;
    cv_push_.notify_all();
    return b;
  }

  // `whole`: the batch finished; otherwise only its seeds before resume_at_ count.
  void commit(Batch& b, bool whole = true) {
    std::lock_guard<std::mutex> lock(m_);
    done_[static_cast<size_t>(b.index)] = whole;
    r_.passed += b.passed;
    r_.failed += static_cast<int64_t>(b.failures.size());
    r_.done += b.passed + static_cast<int64_t>(b.failures.size());
    r_.stats.batches++;
    for (PipelineFailure& f : b.failures) r_.failures.push_back(std::move(f));
    progress_(r_.done, r_.failed);
  }

  void gpu_dies(const std::string& why) {
    {
      std::lock_guard<std::mutex> lock(m_);
      gpu_dead_ = true;
      if (!stop_) r_.stop_reason = why;
      stop_ = true;
      ready_.clear();
    }
    cv_push_.notify_all();
  }

  void gpu_loop();
  bool run_batch(cuda::BatchGpu& gpu, Batch& b);

  static void add(std::atomic<double>& a, double v) {
    double cur = a.load();
    while (!a.compare_exchange_weak(cur, cur + v)) {}
  }

  const PipelineOptions o_;
  std::function<void(int64_t, int64_t)> progress_;
  std::function<void(uint64_t, const std::string&)> on_program_;
  int64_t nbatches_ = 0;
  int arch_ = 90;
  bool use_gpu_ = false;
  Clock::time_point start_;
  std::atomic<int64_t> next_{0};
  std::atomic<bool> stop_{false};
  std::atomic<double> stats_prepare_{0}, stats_emit_{0}, stats_nvrtc_{0};
  std::mutex m_;
  std::condition_variable cv_push_, cv_pop_;
  std::map<int64_t, std::unique_ptr<Batch>> ready_;  // compiled, waiting for the GPU
  int64_t next_gpu_ = 0;                              // the batch the GPU runs next
  std::optional<uint64_t> resume_at_;                 // set when the GPU died inside a batch
  size_t capacity_ = 2;
  bool producers_done_ = false, gpu_dead_ = false;
  std::vector<bool> done_;
  PipelineResult r_;
};

void Pipeline::gpu_loop() {
  auto gpu = cuda::BatchGpu::open();
  if (!gpu) return gpu_dies("the GPU could not be opened: " + gpu.error().message);
  for (;;) {
    auto t = Clock::now();
    std::unique_ptr<Batch> b = pop();
    r_.stats.gpu_idle += since(t);
    if (!b) return;
    t = Clock::now();
    const bool finished = run_batch(**gpu, *b);
    r_.stats.gpu += since(t);
    if (!finished) {
      if (resume_at_) commit(*b, false);
      return;
    }
    commit(*b);
  }
}

// Runs every kernel of the batch and compares with the emulator. False when the GPU became
// unusable (the batch is then not finished).
bool Pipeline::run_batch(cuda::BatchGpu& gpu, Batch& b) {
  if (b.items.empty()) return true;
  const std::string seeds = std::to_string(b.first) + ".." + std::to_string(b.first + static_cast<uint64_t>(b.size) - 1);
  if (auto l = gpu.load(b.cubin); !l) {
    gpu_dies("loading the module of seeds " + seeds + " failed: " + l.error().message);
    return false;
  }
  for (Item& it : b.items) {
    std::vector<exec::Arg> args = it.p.launch->args;
    cuda::BatchRun r = gpu.run(kernel_name(it.spec.seed), it.kernel, it.p.launch->grid, args);
    if (r.ok) {
      if (auto m = conf::compare_backends(it.spec, it.p, args))
        b.failures.push_back({it.spec.seed, *m, PipelineFailure::Stage::Gpu});
      else
        ++b.passed;
      continue;
    }
    if (!r.context_lost) {
      b.failures.push_back({it.spec.seed, "gpu: " + r.message, PipelineFailure::Stage::Gpu});
      continue;
    }
    const uint64_t seed = it.spec.seed;
    b.failures.push_back({seed, "gpu fault: " + r.message + " (in the batch of seeds " + seeds + ")", PipelineFailure::Stage::Fault});
    // A hung kernel still occupies the context: only a new process gets the GPU back.
    auto rec = r.timed_out ? Expected<bool>(fail("the kernel still runs")) : gpu.recover();
    if (rec) rec = gpu.load(b.cubin);
    if (!rec) {
      // Keep what ran: the seeds of this batch up to the faulting one.
      std::erase_if(b.failures, [&](const PipelineFailure& f) { return f.seed > seed; });
      resume_at_ = seed + 1;
      gpu_dies("no new GPU context after the fault in seed " + std::to_string(seed) + ": " + rec.error().message);
      return false;
    }
  }
  return true;
}

}  // namespace

PipelineResult run_pipeline(const PipelineOptions& options, const std::function<void(int64_t, int64_t)>& progress,
                            const std::function<void(uint64_t, const std::string&)>& on_program) {
  Pipeline p(options, progress, on_program);
  return p.run();
}

}  // namespace tilevm::fuzz
