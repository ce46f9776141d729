#!/usr/bin/env bash
# Fuzzes the GGUF reader with libFuzzer (clang, ASan + UBSan) for SECONDS (default 60).
#   scripts/fuzz-gguf.sh [SECONDS]
# Builds build-fuzz/ (override with BITNET_FUZZ_BUILD_DIR), writes a seed corpus of valid files,
# keeps the growing corpus in build-fuzz/fuzz/gguf-corpus and crash inputs in
# build-fuzz/fuzz/gguf-artifacts. Exits non-zero when the fuzzer finds a crash.
# Needs clang and libclang-rt-14-dev (scripts/install-deps.sh).
set -euo pipefail

SECS="${1:-60}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BITNET_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
JOBS="${JOBS:-2}"

cmake -S "$ROOT" -B "$BUILD" -G Ninja \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBITNET_BUILD_FUZZ=ON -DBITNET_SANITIZE=ON -DBITNET_BUILD_BENCH=OFF >/dev/null
ninja -C "$BUILD" -j"$JOBS" gguf_fuzz gguf_fuzz_seeds

WORK="$BUILD/fuzz"
mkdir -p "$WORK/gguf-seeds" "$WORK/gguf-corpus" "$WORK/gguf-artifacts"
"$BUILD/tests/fuzz/gguf_fuzz_seeds" "$WORK/gguf-seeds"

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
status=0
"$BUILD/tests/fuzz/gguf_fuzz" -max_total_time="$SECS" -max_len=65536 -rss_limit_mb=2048 \
  -timeout=10 -print_final_stats=1 -artifact_prefix="$WORK/gguf-artifacts/" \
  "$WORK/gguf-corpus" "$WORK/gguf-seeds" || status=$?

if [ "$status" -ne 0 ]; then
  echo "fuzz-gguf: FAILED (exit $status); crash inputs are in $WORK/gguf-artifacts/" >&2
  exit "$status"
fi
echo "fuzz-gguf: no crash in ${SECS}s; corpus: $(ls "$WORK/gguf-corpus" | wc -l) files"
