#!/usr/bin/env bash
# Fresh machine -> all tests: installs the Debian packages, builds with tests, runs a short
# libFuzzer run on every reader of untrusted input (scripts/fuzz.sh), the ARM kernel tests under qemu (where scripts/test-arm.sh
# exists), the ctest suite, then the suite gates: `--suite quick` twice (a baseline and a
# candidate from this build) compared with `bitnet-eval compare --require-identical-logits`, and
# last the README's main job (scripts/run-main.sh; MAIN_JOB=0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh -DBITNET_BUILD_TESTS=ON
bash scripts/fuzz.sh "${FUZZ_SECONDS:-90}"
if [ -x scripts/test-arm.sh ]; then
  bash scripts/test-arm.sh
fi
(cd build && ctest --output-on-failure -j 2 --timeout 900)

# Suite gate: what a kernel or engine change is held to (README "Gating a change").
BIN=./build/harness/bitnet-eval
QUICK=build/ci-quick
rm -rf "$QUICK"
"$BIN" --suite quick --out "$QUICK/base" > "$QUICK.base.md"
"$BIN" --suite quick --out "$QUICK/new" > "$QUICK.new.md"
"$BIN" compare "$QUICK/base/report.json" "$QUICK/new/report.json" --require-identical-logits --max-drop '*=0'

# The README's main job, on the built-in default (a synthetic model with the 2B4T shape).
if [ "${MAIN_JOB:-1}" != 0 ]; then
  OUT_DIR=build/ci-main-job bash scripts/run-main.sh > build/ci-main-job.md
  "$BIN" report build/ci-main-job/report.json > /dev/null
  echo "main job: build/ci-main-job/report.json, report.html"
fi
