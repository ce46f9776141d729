#!/usr/bin/env bash
# Submits N shards as one Slurm array job and the merge as a job that starts when all succeeded.
#   MODEL=/shared/m.gguf DATA_DIR=/shared/data OUT_ROOT=/shared/runs/r1 deploy/slurm/submit.sh 8
set -euo pipefail
n=${1:?usage: submit.sh NUMBER_OF_SHARDS}
here=$(cd "$(dirname "$0")" && pwd)
: "${MODEL:?}" "${DATA_DIR:?}" "${OUT_ROOT:?}"
export MODEL DATA_DIR OUT_ROOT
array=$(sbatch --parsable --export=ALL --array=0-$((n - 1)) "$here/eval_shards.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --export=ALL --dependency=afterok:"$array" "$here/merge.sbatch")
echo "shards: job $array (array 0-$((n - 1))), merge: job $merge -> $OUT_ROOT/merged"
