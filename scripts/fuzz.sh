#!/usr/bin/env bash
# Fuzzes every reader of untrusted input with libFuzzer (clang, ASan + UBSan):
#   scripts/fuzz.sh [TOTAL_SECONDS] [TARGET...]
# TOTAL_SECONDS (default 90) is split evenly over the targets run (default: all of them, see
# TARGETS below; give names without the _fuzz suffix to run some). Builds build-fuzz/ (override
# with BITNET_FUZZ_BUILD_DIR), seeds each target with small valid inputs (generated, from the
# source tree, and the kept regression inputs in tests/fuzz/seeds/TARGET), keeps each growing
# corpus in build-fuzz/fuzz/TARGET-corpus and crash inputs in build-fuzz/fuzz/TARGET-artifacts.
# Exits non-zero when a target finds a crash, a sanitizer report, an unexpected exception or an
# input slower than FUZZ_TIMEOUT seconds (default 10). Without clang or libFuzzer it prints why
# and exits 0. Needs clang and libclang-rt-14-dev (scripts/install-deps.sh).
set -euo pipefail

TARGETS=(gguf safetensors hf_checkpoint hf_tokenizer tokenizer datasets task_config request_cache report suite)

TOTAL="${1:-90}"
shift || true
if [ "$#" -gt 0 ]; then TARGETS=("$@"); fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BITNET_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
JOBS="${JOBS:-2}"
TIMEOUT="${FUZZ_TIMEOUT:-10}"

# clang with libFuzzer's runtime, or a clean skip.
if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz: SKIPPED: clang++ not found (scripts/install-deps.sh installs clang)"
  exit 0
fi
probe="$(mktemp -d)"
trap 'rm -rf "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' > "$probe/p.cc"
if ! clang++ -fsanitize=fuzzer,address,undefined "$probe/p.cc" -o "$probe/p" >/dev/null 2>&1; then
  echo "fuzz: SKIPPED: clang++ cannot link -fsanitize=fuzzer (libclang-rt-dev missing?)"
  exit 0
fi

LAUNCHER=()
if command -v ccache >/dev/null 2>&1; then
  LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$ROOT" -B "$BUILD" -G Ninja "${LAUNCHER[@]}" \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBITNET_BUILD_FUZZ=ON -DBITNET_SANITIZE=ON -DBITNET_BUILD_BENCH=OFF >/dev/null
EXES=()
for t in "${TARGETS[@]}"; do EXES+=("${t}_fuzz"); done
ninja -C "$BUILD" -j"$JOBS" "${EXES[@]}" gguf_fuzz_seeds fuzz_seeds

WORK="$BUILD/fuzz"
GEN="$WORK/generated-seeds"
rm -rf "$GEN"
mkdir -p "$GEN/gguf"
"$BUILD/tests/fuzz/gguf_fuzz_seeds" "$GEN/gguf" >/dev/null
"$BUILD/tests/fuzz/fuzz_seeds" "$GEN" >/dev/null

# Seeds taken from the source tree: each file as it is, or behind the mode byte the target reads.
seed_file() {  # seed_file DIR NAME MODE_BYTE_OCTAL|"" FILE  (at most 16 KiB of FILE)
  mkdir -p "$1"
  { [ -z "$3" ] || printf "\\$3"; head -c 16384 "$4"; } > "$1/$2"
}
mkdir -p "$GEN/datasets" "$GEN/task_config" "$GEN/report" "$GEN/suite"
n=0
while IFS= read -r f; do
  n=$((n + 1))
  case "$f" in
    *.jsonl) seed_file "$GEN/datasets" "s$n-jsonl" 000 "$f"; seed_file "$GEN/datasets" "s$n-jsonl-ordered" 005 "$f" ;;
    *.json) seed_file "$GEN/datasets" "s$n-json" 001 "$f" ;;
    *.csv) seed_file "$GEN/datasets" "s$n-csv" 002 "$f"; seed_file "$GEN/datasets" "s$n-csv-columns" 003 "$f" ;;
    *.gz) seed_file "$GEN/datasets" "s$n-gz" 010 "$f" ;;
    *.lst) seed_file "$GEN/datasets" "s$n-labels" 011 "$f" ;;
  esac
done < <(find "$ROOT/datasets/samples" -type f ! -name '*.md' | sort)
for f in $(find "$ROOT/evals/tasks" -name '*.json' | sort | head -40); do
  cp "$f" "$GEN/task_config/$(echo "${f#"$ROOT"/evals/tasks/}" | tr / _)"
done
cp "$ROOT"/tests/reports/fixtures/*.json "$GEN/report/"
cp "$ROOT"/harness/suite/suites/*.json "$GEN/suite/"

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
per=$(( TOTAL / ${#TARGETS[@]} ))
[ "$per" -ge 1 ] || per=1
failed=()
summary=()
for t in "${TARGETS[@]}"; do
  corpus="$WORK/$t-corpus" artifacts="$WORK/$t-artifacts"
  mkdir -p "$corpus" "$artifacts"
  dirs=("$corpus")
  [ -d "$GEN/$t" ] && dirs+=("$GEN/$t")
  [ -d "$ROOT/tests/fuzz/seeds/$t" ] && dirs+=("$ROOT/tests/fuzz/seeds/$t")
  log="$WORK/$t.log"
  status=0
  "$BUILD/tests/fuzz/${t}_fuzz" -max_total_time="$per" -max_len=131072 -rss_limit_mb=2048 \
    -timeout="$TIMEOUT" -print_final_stats=1 -artifact_prefix="$artifacts/" "${dirs[@]}" > "$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    summary+=("$t: FAILED (exit $status, $runs runs); log $log, inputs in $artifacts/")
    tail -n 40 "$log" >&2
  else
    summary+=("$t: ok, $runs runs in ${per}s, corpus $(ls "$corpus" | wc -l) files")
  fi
done
printf 'fuzz: %s\n' "${summary[@]}"
if [ "${#failed[@]}" -ne 0 ]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
