#!/usr/bin/env bash
# Cross-builds the kernels and their tests for aarch64 (kernels-only build, cmake/kernels_only)
# and runs them under qemu-user: once on a CPU with dotprod (QEMU_CPU=max: neon_dotprod, neon and
# generic are tested) and once on a Cortex-A53 (no dotprod: neon_dotprod must be reported as
# skipped and refused by SelectKernels). Needs g++-aarch64-linux-gnu and qemu-user
# (scripts/install-deps.sh). Usage: scripts/test-arm.sh [extra Catch2 arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD_ARM:-build-arm}
for tool in aarch64-linux-gnu-g++ qemu-aarch64; do
  command -v "$tool" >/dev/null || { echo "test-arm: $tool not found (run scripts/install-deps.sh)"; exit 1; }
done
cmake -S cmake/kernels_only -B "$BUILD" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/aarch64-linux-gnu.cmake" -DBITNET_BUILD_BENCH=OFF >/dev/null
ninja -C "$BUILD" -j"${JOBS:-2}" test_kernels
for cpu in max cortex-a53; do
  echo "== qemu-aarch64, QEMU_CPU=$cpu"
  QEMU_CPU=$cpu qemu-aarch64 -L /usr/aarch64-linux-gnu "$BUILD/tests/test_kernels" "$@"
done
