#include "logits_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

#include "input.hpp"
#include "kldiv/error.hpp"
#include "kldiv/io.hpp"
#include "kldiv/logits.hpp"
#include "output.hpp"

namespace kldiv::cli {
namespace {

constexpr const char* kDescription = R"(
DESCRIPTION
  Compares two models' logits over the same data set, row by row (one row per
  token position, one column per vocabulary entry), as quantisation and
  distillation work does: BASE is the reference model, TEST the one measured.
  For each row it computes KL(softmax(BASE/T) || softmax(TEST/T)) in one
  streaming pass (no overflow for logits of any size), then reports the mean
  KL with its standard error, the median, 90th, 99th and 99.9th percentiles
  and the maximum of the per-row KL, how often the most probable token is the
  same in both models, and the RMS difference of the base model's top-token
  probability (P(top) - Q(top), top = BASE's most probable token).

  Inputs are NumPy .npy files (float16, float32 or float64, 2-D: rows x
  vocabulary) or raw little-endian float32 with --vocab N. Files are
  memory-mapped and read in chunks of rows, so files larger than memory work;
  extra memory is one chunk and one number per row.
)";

constexpr const char* kFooter = R"(
OUTPUT
  A table of the statistics in the unit of --base (nats for e, bits for 2).
  With --json: one JSON object; non-finite values are the strings "inf",
  "-inf" and "nan" (the standard error of a single row is "nan": undefined).
  Percentiles interpolate linearly between the two nearest ranks (NumPy's
  default). A progress bar goes to standard error when it is a terminal and
  the work takes more than a second (--no-progress turns it off).

EXAMPLES
  kldiv logits base_logits.npy quantised_logits.npy
  kldiv logits --vocab 128256 base.f32 test.f32 --json
  kldiv logits --temperature 2 --base 2 teacher.npy student.npy

EXIT STATUS
  0 on success; 2 for bad input (a missing or malformed file, shapes that
  differ, a NaN logit), with one line on standard error; 1 for an internal
  error.)";

// A progress line on standard error, only for a terminal and long work.
class progress_bar {
 public:
  progress_bar(bool enabled, std::size_t total)
      : enabled_(enabled && ::isatty(STDERR_FILENO)),
        total_(total),
        start_(std::chrono::steady_clock::now()) {}
  void update(std::size_t done) {
    if (!enabled_) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
            .count();
    if (elapsed < 1.0) return;
    shown_ = true;
    const double frac =
        total_ ? static_cast<double>(done) / static_cast<double>(total_) : 1;
    const int width = 30;
    const int filled = static_cast<int>(frac * width);
    std::fprintf(
        stderr, "\r[%s%s] %zu / %zu rows (%.0f%%, %.0f s)",
        std::string(static_cast<std::size_t>(filled), '#').c_str(),
        std::string(static_cast<std::size_t>(width - filled), ' ').c_str(),
        done, total_, 100 * frac, elapsed);
    std::fflush(stderr);
  }
  ~progress_bar() {
    if (shown_) std::fputs("\n", stderr);
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::size_t total_;
  std::chrono::steady_clock::time_point start_;
};

template <class T>
void compare_chunks(const io::array_file& base, const io::array_file& test,
                    std::size_t chunk, logits_comparer& c, progress_bar& bar) {
  std::vector<T> a, b;
  for (std::size_t first = 0; first < base.rows(); first += chunk) {
    const std::size_t count = std::min(chunk, base.rows() - first);
    base.read(first, count, a);
    test.read(first, count, b);
    c.add(matrix_view<T>::dense(a.data(), count, base.cols()),
          matrix_view<T>::dense(b.data(), count, base.cols()));
    bar.update(first + count);
  }
}

std::string describe(const io::array_file& f) {
  return fmt::format("{} ({} x {}, {})", f.source(), f.rows(), f.cols(),
                     f.dtype());
}

}  // namespace

CLI::App* add_logits_command(CLI::App& app, logits_args& a) {
  auto* sub = app.add_subcommand(
      "logits",
      "How far a model's output distributions drift from a reference model's "
      "(KL statistics over rows of logits)");
  sub->description(sub->get_description() + "\n" + kDescription);
  sub->footer(kFooter);
  sub->add_option("BASE", a.base_file,
                  "The reference model's logits (.npy, or raw float32 with "
                  "--vocab)")
      ->required();
  sub->add_option("TEST", a.test_file,
                  "The measured model's logits, same shape")
      ->required();
  sub->add_option("--vocab", a.vocab,
                  "Read both files as raw little-endian float32 with this "
                  "many columns");
  sub->add_option("--temperature,-T", a.temperature,
                  "Divide the logits by T before the softmax (default 1)");
  sub->add_option("--base,-b", a.base,
                  "Logarithm base: e (nats), 2 (bits), 10 (hartleys) or any "
                  "number > 1");
  sub->add_flag("--log-probs", a.log_probs,
                "The files hold log-probabilities (checked), not logits");
  sub->add_option("--chunk-rows", a.chunk_rows,
                  "Rows read at a time (default: about 32 MB per file)");
  sub->add_option("--threads", a.threads,
                  "Threads (default: OMP_NUM_THREADS or all cores); results "
                  "do not depend on it")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--json,-j", a.json, "Print one JSON object");
  sub->add_flag("!--no-progress", a.progress, "No progress bar");
  return sub;
}

std::string run_logits(const logits_args& a) {
  const io::array_file base(a.base_file, a.vocab);
  const io::array_file test(a.test_file, a.vocab);
  if (base.rows() != test.rows() || base.cols() != test.cols()) {
    throw InvalidArgument(fmt::format(
        "BASE is {} x {} but TEST is {} x {}: they must have the same shape "
        "(rows x vocabulary)",
        base.rows(), base.cols(), test.rows(), test.cols()));
  }
  logits_options opt;
  opt.base = parse_base(a.base);
  opt.temperature = a.temperature;
  opt.threads = a.threads;
  if (a.log_probs) opt.kind = logits_kind::log_probabilities;
  logits_comparer c(opt);
  const bool wide = base.dtype() == "float64" || test.dtype() == "float64";
  const std::size_t item = wide ? sizeof(double) : sizeof(float);
  const std::size_t chunk =
      a.chunk_rows ? a.chunk_rows
                   : std::max<std::size_t>(
                         1, (std::size_t{32} << 20) / (base.cols() * item));
  {
    progress_bar bar(a.progress, base.rows());
    if (wide) {
      compare_chunks<double>(base, test, chunk, c, bar);
    } else {
      compare_chunks<float>(base, test, chunk, c, bar);
    }
  }
  const logits_comparison s = c.summary();
  const std::size_t agree = static_cast<std::size_t>(
      std::llround(s.top1_agreement * static_cast<double>(s.rows)));
  if (a.json) {
    nlohmann::json j;
    j["base"] = base.source();
    j["test"] = test.source();
    j["rows"] = s.rows;
    j["vocab"] = base.cols();
    j["temperature"] = a.temperature;
    j["unit"] = s.unit;
    j["mean_kl"] = json_number(s.mean_kl);
    j["standard_error"] = json_number(s.standard_error);
    j["median_kl"] = json_number(s.median_kl);
    j["p90_kl"] = json_number(s.p90_kl);
    j["p99_kl"] = json_number(s.p99_kl);
    j["p999_kl"] = json_number(s.p999_kl);
    j["max_kl"] = json_number(s.max_kl);
    j["top1_agreement"] = json_number(s.top1_agreement);
    j["top1_agreeing_rows"] = agree;
    j["rms_top_prob_diff"] = json_number(s.rms_top_prob_diff);
    return j.dump(2) + "\n";
  }
  std::string out;
  out += fmt::format("base: {}\ntest: {}\n", describe(base), describe(test));
  out += fmt::format("KL(base || test) per row, in {}{}:\n\n", s.unit,
                     a.temperature == 1.0
                         ? std::string()
                         : ", temperature " + readable(a.temperature));
  const auto line = [&](const char* name, const std::string& value) {
    out += fmt::format("  {:<26} {}\n", name, value);
  };
  line("rows", std::to_string(s.rows));
  line("mean KL ± standard error",
       readable(s.mean_kl) + " ± " +
           (std::isnan(s.standard_error) ? std::string("n/a (one row)")
                                         : readable(s.standard_error)));
  line("median KL", readable(s.median_kl));
  line("90th percentile", readable(s.p90_kl));
  line("99th percentile", readable(s.p99_kl));
  line("99.9th percentile", readable(s.p999_kl));
  line("maximum", readable(s.max_kl));
  line("top-1 agreement", fmt::format("{:.4g} % ({} of {} rows)",
                                      100 * s.top1_agreement, agree, s.rows));
  line("RMS Δp(top token)", readable(s.rms_top_prob_diff));
  return out;
}

}  // namespace kldiv::cli
