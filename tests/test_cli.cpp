// The kldiv command end to end: the built binary on files in tests/data/cli,
// its standard output, standard error and exit status.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

using testing::HasSubstr;
using testing::StartsWith;

const std::string kData = KLDIV_TEST_DATA_DIR "/cli/";

struct result {
  int status = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Runs `ENV kldiv ARGS` through the shell (so that ARGS may redirect stdin
// and ENV set variables).
result kldiv(const std::string& args, const std::string& env = "") {
  const auto err_path =
      std::filesystem::temp_directory_path() /
      ("kldiv_cli_err_" + std::to_string(::getpid()) + ".txt");
  const std::string cmd = std::string("cd ") + KLDIV_TEST_DATA_DIR +
                          "/cli && " + env + " " + KLDIV_EXE + " " + args +
                          " 2>" + err_path.string();
  result r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
  const int raw = ::pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.err = slurp(err_path.string());
  std::filesystem::remove(err_path);
  return r;
}

// A bad-input run: status 2, one line on stderr equal to `message`, no stdout.
void expect_usage_error(const std::string& args, const std::string& message) {
  const result r = kldiv(args);
  EXPECT_EQ(r.status, 2) << args;
  EXPECT_EQ(r.out, "") << args;
  EXPECT_EQ(r.err, "kldiv: error: " + message + "\n") << args;
}

TEST(Cli, InlineListsAndOneMeasure) {
  const result r = kldiv("discrete --measure kl 0.1,0.4,0.5 0.8,0.15,0.05");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.err, "");
  // Σ p ln(p/q), worked with mpmath: 1.33568009353372976...
  EXPECT_NEAR(std::stod(r.out), 1.3356800935337298, 4e-16);
  EXPECT_EQ(kldiv("discrete -m kl -b 2 1,0 0.5,0.5").out, "1\n");
  EXPECT_EQ(kldiv("discrete -m kl 0.5,0.5 1,0").out, "inf\n");
  EXPECT_EQ(kldiv("discrete -m entropy --base 2 0.25,0.25,0.25,0.25").out,
            "2\n");
}

TEST(Cli, TableShowsEveryMeasureWithUnitsAndDiagnostics) {
  const result r = kldiv("discrete --base 2 0.5,0.3,0.2 0.5,0.5,0");
  EXPECT_EQ(r.status, 0);
  for (const char* name :
       {"kl", "reverse_kl", "jeffreys", "js_divergence", "js_distance",
        "cross_entropy", "entropy", "renyi alpha=0.5", "hellinger",
        "bhattacharyya_coefficient", "bhattacharyya_distance",
        "total_variation", "chi2_pearson", "chi2_neyman"}) {
    EXPECT_THAT(r.out, HasSubstr(std::string("\n") + name + " ")) << name;
  }
  EXPECT_THAT(r.out, HasSubstr("unit: bits (log base 2)"));
  EXPECT_THAT(r.out,
              HasSubstr("P has mass 0.2 on 1 entry where Q = 0: KL(P||Q) = "
                        "inf"));
}

TEST(Cli, JsonWritesNonFiniteValuesAsStrings) {
  const result r = kldiv("discrete --json 0.5,0.3,0.2 0.5,0.5,0");
  ASSERT_EQ(r.status, 0);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["measures"]["kl"], "inf");
  EXPECT_EQ(j["unit"], "nats");
  EXPECT_EQ(j["support"]["entries_where_q_zero"], 1);
  // KL(Q||P) = ½ ln(½/0.3) (worked by hand).
  EXPECT_NEAR(j["measures"]["reverse_kl"].get<double>(),
              0.5 * std::log(0.5 / 0.3), 1e-15);
  const auto one = nlohmann::json::parse(
      kldiv("discrete --json -m js_distance -b 2 1,0 0,1").out);
  EXPECT_EQ(one["value"], 1.0);
  EXPECT_EQ(one["unit"], "sqrt(bits)");
}

TEST(Cli, FilesColumnsAndFormats) {
  // pq.csv has columns a = [0.1, 0.4, 0.5] and b = [0.8, 0.15, 0.05].
  const result r =
      kldiv("discrete -m kl --p-column a --q-column b pq.csv pq.csv");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NEAR(std::stod(r.out), 1.3356800935337298, 4e-16);
  // By 0-based index as well, and --column for both.
  EXPECT_EQ(kldiv("discrete -m kl --column 1 pq.csv pq.csv").out, "0\n");
  // TSV row against a JSON array: KL([½, ½] || [¼, ¾]) = ½ ln(4/3).
  const result t = kldiv("discrete -m kl half.tsv quarter.json");
  EXPECT_NEAR(std::stod(t.out), 0.5 * std::log(4.0 / 3), 1e-16);
  // Standard input.
  const result s = kldiv("discrete -m kl - quarter.json < half.tsv");
  EXPECT_EQ(s.out, t.out);
}

TEST(Cli, NpyInput) {
  // A float32 .npy of [0.5, 0.5], written here byte by byte.
  const auto path = std::filesystem::temp_directory_path() / "kldiv_half.npy";
  {
    std::string header =
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
    // Magic (6) + version (2) + length (2) + header, padded to 64 bytes.
    const std::size_t used = 10 + header.size() + 1;
    header.append((64 - used % 64) % 64, ' ');
    header += '\n';
    std::ofstream f(path, std::ios::binary);
    f.write("\x93NUMPY\x01\x00", 8);
    const auto len = static_cast<unsigned short>(header.size());
    f.put(static_cast<char>(len & 0xff)).put(static_cast<char>(len >> 8));
    f << header;
    const float v[2] = {0.5f, 0.5f};
    f.write(reinterpret_cast<const char*>(v), sizeof v);
  }
  const result r = kldiv("discrete -m kl " + path.string() + " quarter.json");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NEAR(std::stod(r.out), 0.5 * std::log(4.0 / 3), 1e-16);
  std::filesystem::remove(path);
}

TEST(Cli, RowsGiveOneResultPerRowInOrder) {
  const result r = kldiv("discrete --rows -m kl rows_p.csv rows_q.csv");
  EXPECT_EQ(r.status, 0) << r.err;
  std::istringstream lines(r.out);
  double a, b, c;
  lines >> a >> b >> c;
  EXPECT_EQ(a, 0.0);                       // identical rows
  EXPECT_NEAR(b, std::log(2.0), 2.3e-16);  // [½,½,0] vs [¼,¼,½]
  EXPECT_NEAR(c, std::log(2.0), 2.3e-16);  // [1,0,0] vs [½,½,0]
  // A single-row Q (an inline list is one row) is compared with every row.
  const result one =
      kldiv("discrete --rows -m total_variation rows_p.csv 1,0,0");
  EXPECT_EQ(one.status, 0) << one.err;
  EXPECT_EQ(one.out, "0.8\n0.5\n0\n");
  // A one-column file has rows of one entry each.
  expect_usage_error("discrete --rows -m kl rows_p.csv three.txt",
                     "p[0] has 3 entries but q[0] has 1: the lengths must "
                     "match");
  const result table = kldiv("discrete --rows rows_p.csv rows_q.csv");
  EXPECT_THAT(table.out, HasSubstr("3 rows; unit: nats"));
}

TEST(Cli, BadInputIsOneLineAndStatusTwo) {
  expect_usage_error("discrete nope.csv 0.5,0.5",
                     "cannot open 'nope.csv': No such file or directory");
  expect_usage_error(
      "discrete bad_number.csv three.txt",
      "bad_number.csv: line 3, column 1: '0.2x' is not a number");
  expect_usage_error("discrete negative.csv three.txt",
                     "p[1] = -0.5: probabilities must be >= 0");
  expect_usage_error("discrete 0.5,0.5 three.txt",
                     "p has 2 entries but q has 3: the lengths must match");
  expect_usage_error("discrete 0.5,0.4 0.5,0.5",
                     "p sums to 0.9, not 1 (off by 0.09999999999999998, more "
                     "than the tolerance 1e-06): pass normalize to treat the "
                     "values as weights, or counts");
  expect_usage_error("discrete --measure kullback 0.5,0.5 0.5,0.5",
                     "--measure 'kullback' is not a measure: see kldiv "
                     "discrete --help for the names");
  expect_usage_error("discrete --smooth beta=2 0.5,0.5 0.5,0.5",
                     "--smooth 'beta=2': expected alpha=A (additive, on "
                     "counts) or lambda=L (mix with the uniform distribution)");
  expect_usage_error("discrete pq.csv pq.csv",
                     "P (pq.csv) has 3 rows and 2 columns: choose a column "
                     "with --column (a, b), or pass --rows to take each row "
                     "as a distribution");
  const result unknown = kldiv("discrete --frobnicate 0.5,0.5 0.5,0.5");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_EQ(unknown.out, "");
  EXPECT_THAT(unknown.err, StartsWith("kldiv: error: "));
  EXPECT_THAT(unknown.err, HasSubstr("--frobnicate"));
  EXPECT_EQ(std::count(unknown.err.begin(), unknown.err.end(), '\n'), 1);
  const result none = kldiv("");
  EXPECT_EQ(none.status, 2);
  EXPECT_EQ(std::count(none.err.begin(), none.err.end(), '\n'), 1);
}

TEST(Cli, SmoothingAndCounts) {
  // Counts [0, 2] and [2, 0] with alpha = 1: [¼, ¾] vs [¾, ¼]: ½ ln 3.
  const result r = kldiv("discrete -c --smooth alpha=1 -m kl 0,2 2,0");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NEAR(std::stod(r.out), 0.5 * std::log(3.0), 2.3e-16);  // 2 ulps
  const result t = kldiv("discrete -c --smooth alpha=1 0,2 2,0");
  EXPECT_THAT(t.out, HasSubstr("smoothing: additive alpha = 1"));
}

TEST(Cli, HelpAndVersionReadLikeAManPage) {
  const result h = kldiv("--help");
  EXPECT_EQ(h.status, 0);
  EXPECT_THAT(h.out, HasSubstr("Subcommands:\n  discrete"));
  EXPECT_THAT(h.out, HasSubstr("EXAMPLES"));
  const result d = kldiv("discrete --help");
  EXPECT_EQ(d.status, 0);
  for (const char* section :
       {"OUTPUT", "MEASURES", "EXAMPLES", "EXIT STATUS", "--normalize",
        "--counts", "--smooth", "--rows", "--column", "--json", "--base"}) {
    EXPECT_THAT(d.out, HasSubstr(section)) << section;
  }
  const result v = kldiv("--version");
  EXPECT_EQ(v.status, 0);
  EXPECT_THAT(v.out, StartsWith("kldiv 0.1.0"));
  EXPECT_THAT(v.out, HasSubstr("\nSIMD target: "));
  EXPECT_THAT(v.out, HasSubstr("\nthreads: "));
}

TEST(Cli, EnvironmentLimitsTheSimdTarget) {
  // The lowest available target, from --version's own list, is the one that
  // runs when KLDIV_SIMD_TARGET names it.
  const std::string out = kldiv("--version").out;
  const auto open = out.find("(available: ");
  const auto close = out.find(';', open);
  ASSERT_NE(open, std::string::npos);
  const std::string list = out.substr(open + 12, close - open - 12);
  const std::string lowest = list.substr(list.rfind(' ') + 1);
  const result forced = kldiv("--version", "KLDIV_SIMD_TARGET=" + lowest);
  EXPECT_THAT(forced.out, HasSubstr("SIMD target: " + lowest +
                                    " (available: " + lowest + ";"));
  // The kernels still give the same answer there.
  EXPECT_EQ(
      kldiv("discrete -m kl 1,0 0.5,0.5 -b 2", "KLDIV_SIMD_TARGET=" + lowest)
          .out,
      "1\n");
  // --threads changes nothing in the result.
  EXPECT_EQ(kldiv("discrete -m kl --threads 7 0.1,0.4,0.5 0.8,0.15,0.05").out,
            kldiv("discrete -m kl --threads 1 0.1,0.4,0.5 0.8,0.15,0.05").out);
  const result bad = kldiv("--version", "KLDIV_SIMD_TARGET=NEON");
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(bad.out, "");
  EXPECT_THAT(bad.err,
              StartsWith("kldiv: error: KLDIV_SIMD_TARGET: SIMD target "
                         "'NEON' is not available here"));
}

}  // namespace

// ---- kldiv logits ----------------------------------------------------------
// Fixtures and the expected statistics (mpmath per-row KL, NumPy's
// percentile rule) from tools/make_logits_fixtures.py.

const nlohmann::json& logits_expected() {
  static const nlohmann::json j = nlohmann::json::parse(
      slurp(std::string(KLDIV_TEST_DATA_DIR) + "/logits/expected.json"));
  return j;
}

// Every statistic of `kldiv logits --json` against the expected ones.
void expect_statistics(const std::string& args, const nlohmann::json& want) {
  const result r = kldiv("logits --json " + args);
  ASSERT_EQ(r.status, 0) << args << ": " << r.err;
  EXPECT_EQ(r.err, "");
  const auto got = nlohmann::json::parse(r.out);
  for (const auto& [key, value] : want.items()) {
    SCOPED_TRACE(args + ": " + key);
    if (value.is_string()) {
      EXPECT_EQ(got[key], value);
    } else if (value.is_number_float()) {
      const double w = value.get<double>();
      EXPECT_NEAR(got[key].get<double>(), w, 1e-13 * std::fabs(w) + 1e-16);
    } else {
      EXPECT_EQ(got[key], value);
    }
  }
}

TEST(CliLogits, StatisticsMatchTheReference) {
  const auto& e = logits_expected();
  const std::string dir = "../logits/";
  expect_statistics(dir + "base_f32.npy " + dir + "test_f32.npy",
                    e["base_f32_vs_test_f32"]);
  // Infinite rows: mean, percentiles and maximum inf, standard error
  // undefined.
  expect_statistics(dir + "base_f32.npy " + dir + "test_inf_f32.npy",
                    e["base_f32_vs_test_inf_f32"]);
  // The same numbers as raw float32, as big-endian float64, in Fortran order,
  // and in chunks of 5 rows.
  expect_statistics("--vocab 11 " + dir + "base.f32 " + dir + "test.f32",
                    e["base_f32_vs_test_f32"]);
  expect_statistics(dir + "base_f8_be.npy " + dir + "test_fortran_f32.npy",
                    e["base_f32_vs_test_f32"]);
  expect_statistics("--chunk-rows 5 --threads 3 " + dir + "base_f32.npy " +
                        dir + "test_f32.npy",
                    e["base_f32_vs_test_f32"]);
  // float16, with a subnormal, a large value and -inf.
  expect_statistics(dir + "base_f32.npy " + dir + "test_f16.npy",
                    e["base_f32_vs_test_f16"]);
}

// The table's "mean KL ± standard error" value, six significant digits.
std::string fmt_mean(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "mean KL ± standard error   %.6g ± ", x);
  return buf;
}

TEST(CliLogits, TableNamesTheInputsAndUnits) {
  const result r =
      kldiv("logits --base 2 ../logits/base_f32.npy ../logits/test_f32.npy");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("base: ../logits/base_f32.npy (37 x 11, "
                               "float32)"));
  EXPECT_THAT(r.out, HasSubstr("KL(base || test) per row, in bits:"));
  EXPECT_THAT(r.out, HasSubstr("top-1 agreement            89.19 % (33 of 37 "
                               "rows)"));
  const double mean_bits =
      logits_expected()["base_f32_vs_test_f32"]["mean_kl"].get<double>() /
      std::log(2.0);
  EXPECT_THAT(r.out, HasSubstr(fmt_mean(mean_bits)));
}

TEST(CliLogits, BadFilesAreOneLineErrors) {
  const std::string d = "../logits/";
  expect_usage_error(
      "logits " + d + "base_f32.npy " + d + "truncated.npy",
      "../logits/truncated.npy: truncated: shape (37, 11) of float32 needs "
      "1628 bytes of data, the file has 1618");
  expect_usage_error("logits " + d + "base_f32.npy " + d + "ints.npy",
                     "../logits/ints.npy: dtype '<i4' is not supported: "
                     "expected float64 ('<f8'), float32 ('<f4') or float16 "
                     "('<f2')");
  expect_usage_error("logits " + d + "cube.npy " + d + "cube.npy",
                     "../logits/cube.npy: a 3-D array, shape (2, 2, 2), is "
                     "not supported: expected a 1-D or 2-D array");
  expect_usage_error(
      "logits " + d + "base_f32.npy " + d + "other_shape.npy",
      "BASE is 37 x 11 but TEST is 37 x 10: they must have the same shape "
      "(rows x vocabulary)");
  expect_usage_error("logits " + d + "base_f32.npy " + d + "base.f32",
                     "../logits/base.f32: not a NumPy .npy file (give --vocab "
                     "N to read raw float32)");
  expect_usage_error("logits --vocab 7 " + d + "base.f32 " + d + "test.f32",
                     "../logits/base.f32: raw float32 of 7 columns needs a "
                     "multiple of 28 bytes, the file has 1628");
  expect_usage_error("logits " + d + "missing.npy " + d + "test_f32.npy",
                     "../logits/missing.npy: cannot open: No such file or "
                     "directory");
  expect_usage_error(
      "logits --temperature 0 " + d + "base_f32.npy " + d + "test_f32.npy",
      "temperature = 0: must be > 0 and finite");
}

namespace {

// `kldiv dist`: values worked by hand, the table's rows, JSON, Monte Carlo
// fields and reproducibility, and bad specs.
TEST(CliDist, ClosedFormsBothWays) {
  // KL(N(0,1) || N(1,2)) = log 2 + (1 + 1)/8 - 1/2; reversed:
  // -log 2 + (4 + 1)/2 - 1/2.
  result r = kldiv("dist -m kl 'normal(0, 1)' 'normal(loc=1, scale=2)'");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NEAR(std::stod(r.out), std::log(2.0) - 0.25, 1e-15);
  r = kldiv("dist -m reverse_kl 'normal(0, 1)' 'normal(loc=1, scale=2)'");
  EXPECT_NEAR(std::stod(r.out), 2.0 - std::log(2.0), 1e-15);
  // Bits: 1 - H2(0.3) for Bernoulli(0.3) against the fair coin.
  r = kldiv("dist -m kl --base 2 'bernoulli(0.3)' 'bernoulli(0.5)'");
  const double h = -(0.3 * std::log2(0.3) + 0.7 * std::log2(0.7));
  EXPECT_NEAR(std::stod(r.out), 1.0 - h, 1e-15);
  // Defaults: a bare family name takes every default.
  EXPECT_EQ(kldiv("dist -m kl normal 'normal(0, 1)'").out, "0\n");
}

TEST(CliDist, TableNamesMethodsAndUnits) {
  const result r = kldiv("dist 'uniform(0, 1)' 'uniform(0, 2)'");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("P: uniform(low=0, high=1)\n"
                                "Q: uniform(low=0, high=2)\nunit: nats\n"));
  EXPECT_THAT(r.out, HasSubstr("KL(P||Q)      0.693147     closed form"));
  EXPECT_THAT(r.out, HasSubstr("KL(Q||P)      inf          closed form"));
  EXPECT_THAT(r.out, HasSubstr("H(P)          0 "));
  // A discrete family against a continuous one: +inf by the supports.
  EXPECT_THAT(kldiv("dist 'poisson(2)' 'normal(0, 1)'").out,
              HasSubstr("KL(P||Q)      inf          support"));
  // No closed form and no --mc: the row says what applies.
  EXPECT_THAT(
      kldiv("dist 'student_t(3)' 'student_t(5)'").out,
      HasSubstr("KL(P||Q)      n/a: kl(student_t, student_t): no closed "
                "form here; a Monte Carlo estimate"));
}

TEST(CliDist, OtherMeasuresThatApply) {
  // Two normals: W2 = sqrt(δ² + (σp - σq)²) = sqrt(2); Bhattacharyya
  // δ²/(4(σp² + σq²)) + ½ log((σp² + σq²)/(2 σp σq)) = 1/20 + ½ log(5/4).
  result r = kldiv("dist -m wasserstein2 'normal(0, 1)' 'normal(1, 2)'");
  EXPECT_NEAR(std::stod(r.out), std::sqrt(2.0), 1e-15);
  r = kldiv("dist -m bhattacharyya_distance 'normal(0, 1)' 'normal(1, 2)'");
  EXPECT_NEAR(std::stod(r.out), 0.05 + 0.5 * std::log(1.25), 1e-15);
  // Bernoulli(0.3) against categorical([0.5, 0.25, 0.25]) as vectors
  // (0.7, 0.3, 0) and (0.5, 0.25, 0.25): TV = ½ Σ|p - q| = 0.25.
  r = kldiv(
      "dist -m total_variation 'bernoulli(0.3)' "
      "'categorical([0.5, 0.25, 0.25])'");
  EXPECT_NEAR(std::stod(r.out), 0.25, 1e-16);
  r = kldiv("dist 'bernoulli(0.3)' 'categorical([0.5, 0.25, 0.25])'");
  EXPECT_THAT(r.out, HasSubstr("\nTV            0.25         closed form "
                               "(no unit)\n"));
  EXPECT_THAT(kldiv("dist 'normal(0, 1)' 'normal(1, 2)'").out,
              HasSubstr("\nW2            1.41421      closed form (in the "
                        "unit of x)\n"));
}

TEST(CliDist, MultivariateNormalSpecs) {
  // ½ [tr Σp + |δ|² - d - log det Σp] with Σq = I, by hand.
  result r = kldiv(
      "dist -m kl 'multivariate_normal([0, 0], [[2, 0.5], [0.5, 1]])' "
      "'multivariate_normal([1, 0], [1, 1])'");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NEAR(std::stod(r.out), 0.5 * (2.0 - std::log(1.75)), 1e-15);
  // W2 between N((0,0), I) and N((3,4), I): |δ| = 5.
  r = kldiv(
      "dist -m wasserstein2 'multivariate_normal([0, 0], [1, 1])' "
      "'multivariate_normal([3, 4], [1, 1])'");
  EXPECT_EQ(r.out, "5\n");
  expect_usage_error(
      "dist 'multivariate_normal([0, 0], [[1, 2], [2, 1]])' normal",
      "multivariate_normal: the covariance is not positive definite: its "
      "leading minor of order 2 is not > 0 (pivot -3; kldiv adds no jitter)");
}

TEST(CliDist, IntegrateWhereThereIsNoClosedForm) {
  // Student's t(3) against t(5): the mpmath quadrature of
  // tools/gen_distributions_kl_reference.py gives values of this kind; here
  // the two routes must agree: quadrature within its error estimate of a
  // long Monte Carlo run (4 standard errors).
  const auto q = nlohmann::json::parse(
      kldiv("dist --json --integrate 'student_t(3)' 'student_t(5)'").out);
  const auto m = nlohmann::json::parse(
      kldiv("dist --json --mc 400000 --seed 2 'student_t(3)' 'student_t(5)'")
          .out);
  const auto& qk = q["measures"]["kl"];
  const auto& mk = m["measures"]["kl"];
  EXPECT_EQ(qk["method"], "quadrature");
  EXPECT_LT(qk["error_estimate"].get<double>(), 1e-9);
  EXPECT_NEAR(qk["value"].get<double>(), mk["value"].get<double>(),
              4 * mk["standard_error"].get<double>());
  EXPECT_THAT(kldiv("dist --integrate 'student_t(3)' 'student_t(5)'").out,
              HasSubstr("quadrature (error estimate)"));
  expect_usage_error("dist --integrate --mc 10 normal normal",
                     "--mc and --integrate: choose one");
}

TEST(CliDist, JsonAndMonteCarlo) {
  const std::string args =
      "dist --json --mc 20000 --seed 7 'student_t(3)' 'student_t(5)'";
  const result r = kldiv(args);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["p"], "student_t(df=3, loc=0, scale=1)");
  const auto& k = j["measures"]["kl"];
  EXPECT_EQ(k["method"], "monte carlo");
  EXPECT_EQ(k["samples"], 20000);
  EXPECT_EQ(k["seed"], 7);
  EXPECT_GT(k["standard_error"].get<double>(), 0.0);
  EXPECT_EQ(j["measures"]["entropy_p"]["method"], "closed form");
  // The same seed gives the same numbers for any thread count.
  EXPECT_EQ(kldiv(args + " --threads 1").out, r.out);
  EXPECT_EQ(kldiv(args + " --threads 2").out, r.out);
  EXPECT_NE(kldiv("dist --json --mc 20000 --seed 8 'student_t(3)' "
                  "'student_t(5)'")
                .out,
            r.out);
  // Non-finite values as strings; a missing value as null with the reason.
  const auto u = nlohmann::json::parse(
      kldiv("dist --json 'uniform(0, 1)' 'uniform(0, 0.5)'").out);
  EXPECT_EQ(u["measures"]["kl"]["value"], "inf");
  const auto t =
      nlohmann::json::parse(kldiv("dist --json 'student_t(3)' normal").out);
  EXPECT_TRUE(t["measures"]["kl"]["value"].is_null());
  EXPECT_THAT(t["measures"]["kl"]["why"].get<std::string>(),
              HasSubstr("Monte Carlo"));
}

TEST(CliDist, BadSpecsNameTheFamilyAndParameter) {
  expect_usage_error("dist 'gamma(sigma=1)' normal",
                     "gamma: unknown parameter 'sigma': its parameters are "
                     "shape, rate");
  expect_usage_error("dist 'normal(0, -1)' normal",
                     "normal: scale = -1, but must be > 0 and finite");
  expect_usage_error("dist -m cross_entropy 'student_t(3)' normal",
                     "kl(student_t, normal): no closed form here; a Monte "
                     "Carlo estimate with its standard error applies: kl(p, "
                     "q, monte_carlo{samples, seed}) (kldiv dist --mc N)");
  expect_usage_error("dist -m nope normal normal",
                     "--measure 'nope': for this pair, choose one of kl, "
                     "reverse_kl, cross_entropy, entropy_p, entropy_q, "
                     "bhattacharyya_distance, hellinger, wasserstein2");
  const result r = kldiv("dist 'norml(0, 1)' normal");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("norml"));
  EXPECT_THAT(r.err, HasSubstr("normal, exponential, gamma"));
}

}  // namespace

namespace {

// `kldiv gmm`: one-component mixtures against the closed form worked by
// hand, every method's row with its kind, JSON, reproducibility and bad
// files.
TEST(CliGmm, OneComponentMethodsGiveTheClosedForm) {
  // A = N((0,0), diag(2,5)), B = N((1,0), I): ½[tr Σ + |δ|² - d - log det Σ]
  // = ½[7 + 1 - 2 - log 10].
  const double want = 0.5 * (6.0 - std::log(10.0));
  const auto j = nlohmann::json::parse(
      kldiv("gmm --json gmm_one_a.json gmm_one_b.json").out);
  for (const char* m : {"unscented", "gaussian", "matched_bound", "variational",
                        "variational_upper"}) {
    EXPECT_NEAR(j["kl"][m]["value"].get<double>(), want, 1e-14) << m;
    EXPECT_EQ(j["kl"][m]["kind"], "exact") << m;
  }
  const auto& mc = j["kl"]["monte_carlo"];
  EXPECT_NEAR(mc["value"].get<double>(), want,
              4 * mc["standard_error"].get<double>());
  EXPECT_LE(j["kl"]["lower_bound"]["value"].get<double>(), want);
  EXPECT_GE(j["kl"]["upper_bound"]["value"].get<double>(), want);
}

TEST(CliGmm, TableJsonAndReproducibility) {
  const result r = kldiv("gmm --js gmm_a.json gmm_b.json");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("A: gmm_a.json (2 components)\nB: gmm_b.json "
                                "(3 components)\ndimension: 2\nunit: nats\n"));
  for (const char* row :
       {"  monte_carlo ", "  unscented ", "  gaussian ", "  product ",
        "  matched_bound ", "  variational ", "  variational_upper ",
        "  lower_bound ", "  upper_bound "}) {
    EXPECT_THAT(r.out, HasSubstr(row)) << row;
  }
  EXPECT_THAT(r.out, HasSubstr("lower bound"));
  EXPECT_THAT(r.out, HasSubstr("\nJS(A, B)  "));
  const std::string args =
      "gmm --json -m monte_carlo -n 50000 --seed 3 gmm_a.json gmm_b.json";
  const auto a = nlohmann::json::parse(kldiv(args + " --threads 1").out);
  const auto b = nlohmann::json::parse(kldiv(args + " --threads 2").out);
  EXPECT_EQ(a["kl"]["monte_carlo"]["value"], b["kl"]["monte_carlo"]["value"]);
  EXPECT_EQ(a["kl"].size(), 1u);
  // Bits: the same numbers over log 2.
  const auto bits = nlohmann::json::parse(
      kldiv("gmm --json -m variational --base 2 gmm_a.json gmm_b.json").out);
  const auto nats = nlohmann::json::parse(
      kldiv("gmm --json -m variational gmm_a.json gmm_b.json").out);
  EXPECT_NEAR(bits["kl"]["variational"]["value"].get<double>(),
              nats["kl"]["variational"]["value"].get<double>() / std::log(2.0),
              1e-15);
}

TEST(CliGmm, BadFilesNameTheFieldAndTheProblem) {
  expect_usage_error("gmm gmm_bad.json gmm_b.json",
                     "gmm_bad.json: means[1] has 3 entries, but means[0] has "
                     "2");
  expect_usage_error("gmm -m nope gmm_a.json gmm_b.json",
                     "unknown method 'nope': choose one of monte_carlo, "
                     "unscented, gaussian, product, matched_bound, "
                     "variational, variational_upper, lower_bound, "
                     "upper_bound");
  expect_usage_error("gmm gmm_a.json gmm_one_a.json.missing",
                     "gmm_one_a.json.missing: cannot open");
  expect_usage_error("gmm quarter.json gmm_b.json",
                     "quarter.json: expected an object with weights, means "
                     "and covariances (or variances)");
}

}  // namespace

namespace {

// `kldiv samples`: the k-NN estimate worked by hand on three points against
// four, columns picked by name, ties, JSON and bootstrap.
TEST(CliSamples, HandWorkedEstimateAndColumns) {
  // x = 0, 1, 3 and y = 0.5, 2, 5, 6 (column a; the files order their
  // columns differently): ρ = 1, 1, 2 and ν = 0.5, 0.5, 1, so D = (1/3)
  // Σ log(ν/ρ) + log(4/2) = -log 2 + log 2 = 0.
  const auto j = nlohmann::json::parse(
      kldiv("samples --json --columns a samples_x.csv samples_y.csv").out);
  const auto& e = j["estimates"][0];
  EXPECT_NEAR(e["value"].get<double>(), 0.0, 1e-15);
  EXPECT_EQ(e["n"], 3);
  EXPECT_EQ(e["m"], 4);
  EXPECT_EQ(e["d"], 1);
  EXPECT_EQ(e["ties"], 0);
  EXPECT_THAT(e["warnings"][0].get<std::string>(),
              HasSubstr("n is small for d"));
  const result r = kldiv("samples --columns a samples_x.csv samples_y.csv");
  EXPECT_THAT(r.out, HasSubstr("X: samples_x.csv (n = 3)\nY: samples_y.csv "
                               "(m = 4)\ndimension: 1\n"));
  EXPECT_THAT(r.out, HasSubstr("ties: 0 of 3 points (distinct)"));
}

TEST(CliSamples, TiesBootstrapAndErrors) {
  expect_usage_error("samples --ties error samples_dup.csv samples_y.csv",
                     "kl_knn: 2 of 4 points have a zero nearest-neighbour "
                     "distance at k = 1 (ties: identical points); choose a "
                     "tie policy: jitter, distinct or exclude");
  const auto j = nlohmann::json::parse(
      kldiv("samples --json --bootstrap 50 --seed 3 samples_big_x.csv "
            "samples_big_y.csv")
          .out);
  const auto& e = j["estimates"][0];
  ASSERT_TRUE(e.contains("ci"));
  EXPECT_LT(e["ci"][0].get<double>(), e["ci"][1].get<double>());
  EXPECT_EQ(kldiv("samples --json --bootstrap 50 --seed 3 --threads 1 "
                  "samples_big_x.csv samples_big_y.csv")
                .out,
            kldiv("samples --json --bootstrap 50 --seed 3 --threads 2 "
                  "samples_big_x.csv samples_big_y.csv")
                .out);
  // Ties under distinct: all four points of samples_dup.csv are tied (a
  // duplicate in x, or equal to a point of samples_x.csv).
  const auto t = nlohmann::json::parse(
      kldiv("samples --json samples_dup.csv samples_x.csv").out);
  EXPECT_EQ(t["estimates"][0]["ties"], 4);
  expect_usage_error("samples --ties maybe samples_x.csv samples_y.csv",
                     "--ties 'maybe': choose distinct, exclude, jitter or "
                     "error");
  expect_usage_error("samples samples_x.csv gmm_a.json",
                     "gmm_a.json: the top level is an object, expected an "
                     "array of numbers or an array of rows (arrays of "
                     "numbers)");
}

// The other estimators of `kldiv samples`, each on a case worked by hand
// (x = 0, 1, 3 and y = 0.5, 2, 5, 6 from column a of the two files).
TEST(CliSamples, OneDimensionalHandWorked) {
  // Pooled range [0, 6], w = 6/7, lo = -6/7. Left slopes of P_c at 0, 1, 3:
  // (1/6)/(6/7), (2/6)/1, (2/6)/2; of Q_c there: (1/8)/(0.5 + 6/7),
  // (2/8)/1.5, (2/8)/3. D = (1/3)(log(19/9) + 2 log 2) - 1.
  const auto j = nlohmann::json::parse(
      kldiv("samples -e 1d --json --columns a samples_x.csv samples_y.csv")
          .out);
  EXPECT_EQ(j["estimator"], "1d");
  const auto& e = j["estimates"][0];
  EXPECT_NEAR(e["value"].get<double>(), std::log(76.0 / 9.0) / 3.0 - 1.0,
              1e-15);
  EXPECT_FALSE(e.contains("k"));
  EXPECT_EQ(e["n"], 3);
  EXPECT_EQ(e["m"], 4);
  const result r =
      kldiv("samples -e 1d --columns a samples_x.csv samples_y.csv");
  EXPECT_THAT(r.out, HasSubstr("empirical CDFs (Perez-Cruz 2008)"));
  EXPECT_THAT(r.out, HasSubstr("KL(P||Q)  -0.28883\n"));
  expect_usage_error("samples -e 1d samples_x.csv samples_y.csv",
                     "samples_x.csv: the 1d estimator takes one column, but 2 "
                     "are chosen; pick one with --columns");
  expect_usage_error("samples -e 1d samples_x.csv",
                     "the 1d estimator needs two samples: X and Y");
}

TEST(CliSamples, HistogramHandWorked) {
  // Edges 0.5, 3, 6: x counts (outer, inner, inner, outer) 1, 1, 1, 0 and
  // y 0, 2, 2, 0 (6 is in the last, closed bin). No smoothing: infinite.
  const auto j = nlohmann::json::parse(
      kldiv("samples -e histogram --bins 0.5,3,6 --json --columns a "
            "samples_x.csv samples_y.csv")
          .out);
  EXPECT_EQ(j["estimator"], "histogram");
  EXPECT_EQ(j["rule"], "edges");
  EXPECT_EQ(j["value"], "inf");
  EXPECT_EQ(j["x_counts"], nlohmann::json({1, 1, 1, 0}));
  EXPECT_EQ(j["y_counts"], nlohmann::json({0, 2, 2, 0}));
  EXPECT_EQ(j["bins"], nlohmann::json({"< 0.5", "[0.5, 3)", "[3, 6]", "> 6"}));
  EXPECT_THAT(j["warnings"][0].get<std::string>(),
              HasSubstr("1 of 3 values of x lie outside the reference range "
                        "[0.5, 6]"));
  // Smoothing 1: p = (2, 2, 2, 1)/7, q = (1, 3, 3, 1)/8.
  const auto s = nlohmann::json::parse(
      kldiv("samples -e histogram --bins 0.5,3,6 --smoothing 1 --json "
            "--columns a samples_x.csv samples_y.csv")
          .out);
  const double expected = 2.0 / 7 * std::log(16.0 / 7) +
                          4.0 / 7 * std::log(16.0 / 21) +
                          1.0 / 7 * std::log(8.0 / 7);
  EXPECT_NEAR(s["value"].get<double>(), expected, 1e-15);
  EXPECT_NEAR(s["terms"][0].get<double>(), 2.0 / 7 * std::log(16.0 / 7), 1e-15);
  // Rules by name; quantiles of y (0.5, 2, 5, 6) in two bins: 0.5, 3.5, 6.
  const auto q = nlohmann::json::parse(
      kldiv("samples -e histogram --bins quantiles:2 --json --columns a "
            "samples_x.csv samples_y.csv")
          .out);
  EXPECT_EQ(q["edges"], nlohmann::json({0.5, 3.5, 6.0}));
  expect_usage_error(
      "samples -e histogram --bins nice --columns a samples_x.csv "
      "samples_y.csv",
      "--bins 'nice': choose auto, fd, scott, sturges, doane, rice, sqrt, a "
      "bin count, quantiles[:N] or comma-separated edges");
  expect_usage_error(
      "samples -e histogram --bins 3,1 --columns a samples_x.csv "
      "samples_y.csv",
      "edges must be strictly increasing, but [1] = 1 follows 3");
}

TEST(CliSamples, CategoricalHandWorked) {
  // y's categories blue, red, yellow (sorted) and the unseen bucket; x =
  // red, red, blue, green: counts 1, 2, 0, 1 against 2, 1, 1, 0.
  const auto j = nlohmann::json::parse(
      kldiv("samples -e categorical --smoothing 0.5 --json --columns colour "
            "colours_x.csv colours_y.csv")
          .out);
  EXPECT_EQ(j["bins"], nlohmann::json({"blue", "red", "yellow", "(unseen)"}));
  EXPECT_EQ(j["unseen"], nlohmann::json({"green"}));
  EXPECT_EQ(j["x_counts"], nlohmann::json({1, 2, 0, 1}));
  EXPECT_EQ(j["y_counts"], nlohmann::json({2, 1, 1, 0}));
  const double p[] = {1.5 / 6, 2.5 / 6, 0.5 / 6, 1.5 / 6};
  const double q[] = {2.5 / 6, 1.5 / 6, 1.5 / 6, 0.5 / 6};
  double expected = 0;
  for (int i = 0; i < 4; ++i) expected += p[i] * std::log(p[i] / q[i]);
  EXPECT_NEAR(j["value"].get<double>(), expected, 1e-15);
  const result r = kldiv(
      "samples -e categorical --columns colour colours_x.csv colours_y.csv");
  EXPECT_THAT(r.out, HasSubstr("KL(P||Q)  inf"));
  EXPECT_THAT(r.out, HasSubstr("in 1 category the reference y does not "
                               "have ('green'): the unseen bucket"));
  expect_usage_error(
      "samples -e categorical colours_x.csv colours_y.csv",
      "colours_y.csv: the categorical estimator takes one column, but 2 are "
      "chosen; pick one with --columns");
}

TEST(CliSamples, EntropyAndMutualInformationHandWorked) {
  // Entropy of 0, 1, 3 at k = 1: ψ(3) - ψ(1) + log 2 + (1/3) log 2, the
  // distances being 1, 1, 2 and V_1 = 2.
  const auto h = nlohmann::json::parse(
      kldiv("samples -e entropy --json --columns a samples_x.csv").out);
  EXPECT_NEAR(h["estimates"][0]["value"].get<double>(),
              1.5 + std::log(2.0) * 4.0 / 3.0, 1e-14);
  expect_usage_error("samples -e entropy samples_x.csv samples_y.csv",
                     "the entropy estimator takes one sample (X), but Y was "
                     "given");
  // I(a; b) for (0, 10), (1, 20), (3, 30) at k = 1 under the max-norm: every
  // joint distance to the nearest is 10. Variant 1: n_a = 2, n_b = 0 for
  // all, so I = ψ(1) + ψ(3) - (ψ(3) + ψ(1)) = 0. Variant 2: the neighbours
  // within 10 give (n_a, n_b) = (1, 1), (2, 2), (1, 1), so I = ψ(1) - 1 +
  // ψ(3) - (4 ψ(1) + 2 ψ(2)) / 3 = -1/6.
  const auto m1 = nlohmann::json::parse(
      kldiv("samples -e mi -k 1 --x-columns a --y-columns b --json "
            "samples_x.csv")
          .out);
  EXPECT_NEAR(m1["estimates"][0]["value"].get<double>(), 0.0, 1e-15);
  EXPECT_EQ(m1["estimates"][0]["d"], 2);
  const auto m2 = nlohmann::json::parse(
      kldiv("samples -e mi -k 1 --variant 2 --x-columns a --y-columns b "
            "--json samples_x.csv")
          .out);
  EXPECT_NEAR(m2["estimates"][0]["value"].get<double>(), -1.0 / 6.0, 1e-15);
  EXPECT_EQ(m2["variant"], 2);
  expect_usage_error("samples -e mi samples_x.csv",
                     "the mi estimator on one file needs --x-columns and "
                     "--y-columns (the two variables), or give two files of "
                     "paired rows");
  expect_usage_error("samples -e nope samples_x.csv samples_y.csv",
                     "--estimator 'nope': choose knn, 1d, histogram, "
                     "categorical, entropy or mi");
}

// `kldiv fit`: x = 0, 1, 1, 2 worked by hand for the Poisson fit (rate =
// mean = 1): log-likelihood Σ log P(x) = -4 - log 2, AIC = 2 - 2 ℓ, and
// KL(p̂ || P) = ¼ log(¼ e) + ½ log(½ e) + ¼ log(½ e) with P(0) = P(1) =
// 1/e, P(2) = 1/(2e); the same from the table of values and counts.
TEST(CliFit, PoissonWorkedByHandFromDataAndFromATable) {
  const double ll = -4.0 - std::log(2.0);
  const double kl = 0.25 * std::log(0.25 * std::exp(1.0)) +
                    0.5 * std::log(0.5 * std::exp(1.0)) +
                    0.25 * std::log(0.5 * std::exp(1.0));
  for (const std::string args :
       {"fit --json fit_small.csv",
        "fit --json --column value --counts count fit_table.csv"}) {
    const auto j = nlohmann::json::parse(kldiv(args).out);
    EXPECT_EQ(j["n"], 4) << args;
    EXPECT_EQ(j["discrete"], true) << args;
    bool found = false;
    for (const auto& m : j["models"]) {
      if (m["family"] != "poisson") continue;
      found = true;
      EXPECT_NEAR(m["parameters"]["rate"].get<double>(), 1.0, 1e-15);
      EXPECT_NEAR(m["log_likelihood"].get<double>(), ll, 1e-13);
      EXPECT_NEAR(m["aic"].get<double>(), 2.0 - 2.0 * ll, 1e-12);
      EXPECT_NEAR(m["bic"].get<double>(), std::log(4.0) - 2.0 * ll, 1e-12);
      EXPECT_NEAR(m["kl"].get<double>(), kl, 1e-15);
      EXPECT_EQ(m["kl_method"], "exact");
    }
    EXPECT_TRUE(found) << args;
  }
  const result r = kldiv("fit fit_small.csv");
  EXPECT_THAT(r.out, HasSubstr("data: fit_small.csv (n = 4, discrete)"));
  EXPECT_THAT(r.out, HasSubstr("rate = 1"));
  // Binomial(2, 1/2) is exactly (¼, ½, ¼): KL 0, ranked first.
  EXPECT_THAT(r.out, HasSubstr("1     binomial                     0 "));
  expect_usage_error(
      "fit --families poison fit_small.csv",
      "fit: unknown family \"poison\"; the families are uniform, binomial, "
      "poisson, geometric, negative_binomial, normal, lognormal, "
      "exponential, gamma, weibull, beta");
  expect_usage_error("fit --kind integer fit_small.csv",
                     "--kind 'integer': choose auto, discrete or continuous");
}

// The continuous KL estimates. Data 0.5, 0.5, 1.5, 2.5 (0.5 repeats, so the
// histogram by default); the exponential's rate is 1 / 1.25 = 0.8. On the
// edges 1, 2 (--bins 1,2) the proportions are ½ below 1, ¼ in [1, 2] and ¼
// above 2, against the masses 1 - e^-0.8, e^-0.8 - e^-1.6 and e^-1.6.
TEST(CliFit, HistogramAndKnnEstimatesWorkedByHand) {
  const auto path =
      std::filesystem::temp_directory_path() /
      ("kldiv_fit_rounded_" + std::to_string(::getpid()) + ".csv");
  {
    std::ofstream f(path);
    f << "x\n0.5\n0.5\n1.5\n2.5\n";
  }
  const std::string file = path.string();
  const double a = std::exp(-0.8), b = std::exp(-1.6);
  const double kl = 0.5 * std::log(0.5 / (1.0 - a)) +
                    0.25 * std::log(0.25 / (a - b)) + 0.25 * std::log(0.25 / b);
  const auto j = nlohmann::json::parse(
      kldiv("fit --json --families exponential --kl histogram --bins 1,2 " +
            file)
          .out);
  EXPECT_EQ(j["kl_edges"], nlohmann::json({1.0, 2.0}));
  EXPECT_THAT(j["kl_estimator"].get<std::string>(),
              HasSubstr("on 1 bin (the given edges)"));
  ASSERT_EQ(j["models"].size(), 1u);
  EXPECT_NEAR(j["models"][0]["kl"].get<double>(), kl, 1e-15);
  EXPECT_EQ(j["models"][0]["kl_method"], "histogram");
  ASSERT_EQ(j["warnings"].size(), 1u);
  EXPECT_THAT(j["warnings"][0].get<std::string>(),
              HasSubstr("3 of 4 values lie outside the edges [1, 2]"));
  // By default the repeat chooses the histogram (NumPy's auto rule), and the
  // text says so; --kl knn takes the k-NN estimate, with no edges. The
  // values lie on a grid of step 1, so NumPy's width 2/3 becomes 1 and the
  // edges run from 0.5 - 1/2 to the first above 2.5: 0, 1, 2, 3.
  const result r = kldiv("fit " + file);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("ranked by KL(empirical || model): histogram: "
                               "KL = Σ_b p̂_b log(p̂_b / P_b)"));
  EXPECT_THAT(r.out, HasSubstr("NumPy's \"auto\" rule, fitted on the data"));
  EXPECT_THAT(r.out, HasSubstr("on 3 bins (NumPy's \"auto\" rule, fitted on "
                               "the data; the rule's width 0.666667 widened "
                               "to 1, one step of the data's grid 1, with "
                               "edges at the midpoints between grid points)"));
  EXPECT_THAT(r.out, HasSubstr("chosen because 1 of 4 values repeat"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("warning")));
  EXPECT_EQ(nlohmann::json::parse(kldiv("fit --json " + file).out)["kl_edges"],
            nlohmann::json({0.0, 1.0, 2.0, 3.0}));
  // --no-align: NumPy's own "auto" edges (numpy.histogram_bin_edges gives
  // 0.5, 1.1666666666666665, 1.8333333333333333, 2.5).
  EXPECT_EQ(nlohmann::json::parse(
                kldiv("fit --json --no-align " + file).out)["kl_edges"],
            nlohmann::json({0.5, 1.1666666666666665, 1.8333333333333333, 2.5}));
  const auto knn =
      nlohmann::json::parse(kldiv("fit --json --kl knn " + file).out);
  EXPECT_EQ(knn["kl_edges"], nlohmann::json::array());
  EXPECT_EQ(knn["models"][0]["kl_method"], "k-NN entropy");
  expect_usage_error("fit --kl magic " + file,
                     "--kl 'magic': choose auto, knn or histogram");
  expect_usage_error("fit --bins many " + file,
                     "--bins 'many': choose auto, fd, scott, sturges, doane, "
                     "rice, sqrt, a bin count, quantiles[:N] or "
                     "comma-separated edges");
  expect_usage_error("fit --kl histogram --bins 2,1 " + file,
                     "fit: bins.edges[1] = 1, but edges must be strictly "
                     "increasing (it follows 2)");
  expect_usage_error(
      "fit --kl histogram fit_small.csv",
      "fit: continuous_kl = histogram, but the data are fitted as discrete, "
      "whose KL is exact (the sum over the observed values): leave "
      "continuous_kl automatic, or set kind to continuous");
  std::filesystem::remove(path);
}

// `kldiv compare` on two tiny tables worked by hand. x: reference 0, 0, 1, 1
// and current 0, 1, 1, 1 (and one NA) on the bins [0, 0.5), [0.5, 1]: p_ref
// = (½, ½), p_cur = (¼, ¾), JS = H(⅜, ⅝) - (H(¼, ¾) + H(½, ½)) / 2 bits.
// letter: reference a, a, b, b and current a, b, b, c (and one empty):
// categories a, b and the unseen bucket, counts (2, 2, 0) and (1, 2, 1), so
// KL(current || reference) is infinite (c is unseen) and JS is finite.
TEST(CliCompare, TinyTablesWorkedByHand) {
  const auto j = nlohmann::json::parse(
      kldiv("compare --json --bins 0,0.5,1 --permutations 50 --bootstrap 20 "
            "compare_ref.csv compare_cur.csv")
          .out);
  ASSERT_EQ(j["columns"].size(), 2u);
  const auto h2 = [](double p) {
    return -p * std::log2(p) - (1 - p) * std::log2(1 - p);
  };
  for (const auto& c : j["columns"]) {
    if (c["column"] == "x") {
      EXPECT_EQ(c["kind"], "numeric");
      EXPECT_EQ(c["n_reference"], 4);
      EXPECT_EQ(c["n_current"], 4);
      EXPECT_EQ(c["missing_current"], 1);
      EXPECT_EQ(c["reference_counts"], nlohmann::json({0, 2, 2, 0}));
      EXPECT_EQ(c["current_counts"], nlohmann::json({0, 1, 3, 0}));
      EXPECT_NEAR(c["js_bits"].get<double>(),
                  h2(0.375) - (h2(0.25) + h2(0.5)) / 2, 1e-12);
      EXPECT_NEAR(c["kl_current_reference"].get<double>(),
                  0.25 * std::log(0.5) + 0.75 * std::log(1.5), 1e-12);
      EXPECT_TRUE(c["tests"].contains("Kolmogorov-Smirnov"));
    } else {
      EXPECT_EQ(c["column"], "letter");
      EXPECT_EQ(c["kind"], "categorical");
      EXPECT_EQ(c["missing_current"], 1);
      EXPECT_EQ(c["bins"], nlohmann::json({"a", "b", "(unseen)"}));
      EXPECT_EQ(c["reference_counts"], nlohmann::json({2, 2, 0}));
      EXPECT_EQ(c["current_counts"], nlohmann::json({1, 2, 1}));
      EXPECT_EQ(c["kl_current_reference"], "inf");
      EXPECT_TRUE(c["tests"].contains("chi-square"));
    }
    EXPECT_TRUE(c["verdict"] == "no drift" ||
                c["verdict"] == "possible drift" || c["verdict"] == "drift");
  }
  const result r = kldiv(
      "compare --bins 0,0.5,1 --permutations 50 --bootstrap 20 "
      "compare_ref.csv compare_cur.csv");
  EXPECT_THAT(r.out, HasSubstr("columns compared: 2"));
  EXPECT_THAT(r.out, HasSubstr("reference: compare_ref.csv"));
  expect_usage_error(
      "compare --numeric letter compare_ref.csv compare_cur.csv",
      "compare_ref.csv: line 2, column 'letter': 'a' is not a finite "
      "number, but the column is named numeric");
  expect_usage_error("compare --columns y compare_ref.csv compare_cur.csv",
                     "compare_ref.csv: no column 'y'; the columns are x, "
                     "letter");
}

// Bad tables: each message names the file, the column and the line.
TEST(CliCompare, BadTablesNameFileColumnAndLine) {
  expect_usage_error(
      "compare compare_ref.csv compare_text_x.csv",
      "column 'x' is numeric in the reference but categorical in the current "
      "data (current: line 3 has 'low', not a number); name the column "
      "numeric or categorical to choose (reference: compare_ref.csv, "
      "current: compare_text_x.csv)");
  expect_usage_error("compare compare_ref.csv compare_ragged.csv",
                     "compare_ragged.csv: line 3 has 1 field, but the header "
                     "has 2");
  expect_usage_error(
      "compare compare_ref.csv compare_empty_x.csv",
      "column 'x' has no values in the current data (3 missing) (reference: "
      "compare_ref.csv, current: compare_empty_x.csv)");
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("kldiv_cli_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// --report writes the page (its content is tested in test_report and in a
// browser by python/tests/test_report_browser.py); the files are named by
// their file names, and a report that cannot be written is an error naming
// the option and the file.
TEST(CliCompare, Report) {
  const std::string path = temp_path("compare.html");
  const result r = kldiv("compare --permutations 20 --bootstrap 0 --report " +
                         path + " compare_ref.csv compare_cur.csv");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("report: " + path + "\n"));
  const std::string page = slurp(path);
  std::filesystem::remove(path);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(count_of(page, "data-chart=\"distribution\""), 2u);
  EXPECT_EQ(count_of(page, "data-chart=\"kl-terms\""), 2u);
  EXPECT_THAT(page, HasSubstr("<title>Comparison of compare_cur.csv with "
                              "compare_ref.csv</title>"));
  expect_usage_error(
      "compare --report /nonexistent-dir/r.html compare_ref.csv "
      "compare_cur.csv",
      "--report /nonexistent-dir/r.html: cannot write the file (does its "
      "directory exist, and may it be written?)");
}

TEST(CliFit, Report) {
  const std::string path = temp_path("fit.html");
  const result r = kldiv("fit --report " + path + " fit_small.csv");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("report: " + path + "\n"));
  const std::string page = slurp(path);
  std::filesystem::remove(path);
  std::size_t fitted = 0;
  for (const char* line : {"\n1 ", "\n2 ", "\n3 ", "\n4 ", "\n5 "}) {
    fitted += r.out.find(line) != std::string::npos;
  }
  EXPECT_GE(fitted, 2u);
  EXPECT_EQ(count_of(page, "data-chart=\"fit\""), 1u);
  EXPECT_EQ(count_of(page, "data-chart=\"fit-model\""), fitted);
  EXPECT_THAT(page, HasSubstr("Models fitted to fit_small.csv"));
}

}  // namespace
