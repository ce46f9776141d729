#!/usr/bin/env bash
# Fresh machine -> the main job: installs the Debian packages, builds, and runs
# `bitnet-eval --suite paper-table` on the built-in default (a synthetic model with the BitNet
# b1.58 2B4T shape, written once into the output folder, then the efficiency rows of the five
# baseline columns from synthetic BF16 models written, measured and deleted one at a time:
# up to 5.5 GB of free disk; --no-baselines skips them). Extra arguments go to bitnet-eval, e.g.
#   ./scripts/run-main.sh --model bitnet=path/to/ggml-model-i2_s.gguf --data-dir path/to/data
# OUT_DIR (default bitnet-eval-out) gets report.json, report.html and the resume state: running
# the same command again after an interruption continues where it stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh -DBITNET_BUILD_TESTS=OFF -DBITNET_BUILD_BENCH=OFF
exec "${BUILD_DIR:-build}/harness/bitnet-eval" --suite paper-table --out "${OUT_DIR:-bitnet-eval-out}" "$@"
