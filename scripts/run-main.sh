#!/usr/bin/env bash
# Fresh machine -> the main job: installs the Debian packages, builds, and runs
# `bitnet-eval --suite paper-table` on the built-in default (a synthetic 2B4T model).
# Extra arguments go to bitnet-eval (e.g. --model bitnet=path/to/ggml-model-i2_s.gguf).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh -DBITNET_BUILD_TESTS=OFF -DBITNET_BUILD_BENCH=OFF
./build/harness/bitnet-eval --suite paper-table --out "${OUT_DIR:-bitnet-eval-out}" "$@"
