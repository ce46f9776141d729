#!/usr/bin/env bash
# Fuzzes the GGUF reader only: scripts/fuzz-gguf.sh [SECONDS] (default 60). See scripts/fuzz.sh,
# which runs every target.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/fuzz.sh" "${1:-60}" gguf
