#!/usr/bin/env bash
# Submits N shards as one Slurm array job and the merge as a job that starts when all succeeded.
#   MODEL=/shared/m.gguf DATA_DIR=/shared/data OUT_ROOT=/shared/runs/r1 deploy/slurm/submit.sh 8
#   SUITE=paper-table MODEL=/shared/m.gguf DATA_DIR=/shared/data OUT_ROOT=/shared/runs/r2 deploy/slurm/submit.sh 8
set -euo pipefail
n=${1:?usage: submit.sh NUMBER_OF_SHARDS}
here=$(cd "$(dirname "$0")" && pwd)
: "${OUT_ROOT:?}"
if [[ -z "${SUITE:-}" ]]; then : "${MODEL:?}" "${DATA_DIR:?}"; fi
export OUT_ROOT MODEL DATA_DIR SUITE
array=$(sbatch --parsable --export=ALL --array=0-$((n - 1)) "$here/eval_shards.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --export=ALL --dependency=afterok:"$array" "$here/merge.sbatch")
echo "shards: job $array (array 0-$((n - 1))), merge: job $merge -> $OUT_ROOT/merged"
