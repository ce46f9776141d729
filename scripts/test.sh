#!/usr/bin/env bash
# Fresh machine -> all tests: installs the Debian packages, builds with tests, runs a short
# libFuzzer run on the GGUF reader, the ARM kernel tests under qemu (where scripts/test-arm.sh
# exists), and the ctest suite last.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh -DBITNET_BUILD_TESTS=ON
bash scripts/fuzz-gguf.sh "${FUZZ_SECONDS:-30}"
if [ -x scripts/test-arm.sh ]; then
  bash scripts/test-arm.sh
fi
cd build && ctest --output-on-failure -j 2 --timeout 900
