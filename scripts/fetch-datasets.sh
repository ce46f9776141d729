#!/usr/bin/env bash
# Download the evaluation datasets listed in datasets/manifest.json into DEST (default ./data), for
# use with --data-dir DEST. Every file is checked against the manifest's sha256: a mismatch is
# reported and not kept. Files already present with the right sha256 are skipped, so re-running is
# cheap. Files whose sha256 the manifest does not know (hellaswag, mt_bench) are only fetched with
# --allow-unverified; files with no download URL (triviaqa) are listed for manual conversion.
# Needs: bash, curl, sha256sum (coreutils), tar, python3 (only to read the JSON manifest; on a fresh
# Debian: apt-get install curl python3). Never run by CI or tests: it uses the network.
set -euo pipefail

usage() { echo "usage: $0 [--allow-unverified] [DEST]" >&2; exit 2; }
allow_unverified=0
dest=./data
for arg in "$@"; do
  case "$arg" in
    --allow-unverified) allow_unverified=1 ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) dest=$arg ;;
  esac
done

manifest="$(cd "$(dirname "$0")/.." && pwd)/datasets/manifest.json"
for tool in curl sha256sum tar python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is required" >&2; exit 2; }
done
mkdir -p "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One line per file: F <dataset> <path> <url|-> <sha256|->; one per archive: A <dataset> <url> <strip> <dest>
python3 - "$manifest" > "$work/plan" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
for name, d in m["datasets"].items():
    for f in d["files"]:
        print("\t".join(["F", name, f["path"], f.get("url") or "-", f.get("sha256") or "-"]))
    a = d.get("archive")
    if a:
        print("\t".join(["A", name, a["url"], str(a.get("strip_components", 0)), a["dest"]]))
PY

ok=0; got=0; skipped=0; failed=0
sha_of() { sha256sum "$1" | cut -d' ' -f1; }
verified() { [ -f "$1" ] && [ "$(sha_of "$1")" = "$2" ]; }

# install <candidate> <path> <sha|->: keep the candidate only if its sha256 matches.
install_checked() {
  local tmp=$1 path=$2 sha=$3 actual
  actual=$(sha_of "$tmp")
  if [ "$sha" != "-" ] && [ "$actual" != "$sha" ]; then
    echo "MISMATCH $path: expected $sha, downloaded $actual; not kept" >&2
    failed=$((failed + 1)); return
  fi
  mkdir -p "$(dirname "$dest/$path")"
  mv -f "$tmp" "$dest/$path"
  [ "$sha" = "-" ] && echo "got      $path (UNVERIFIED, sha256 $actual)" || echo "got      $path"
  got=$((got + 1))
}

while IFS=$'\t' read -r kind name path url sha; do
  [ "$kind" = F ] || continue
  if [ "$sha" != "-" ] && verified "$dest/$path" "$sha"; then ok=$((ok + 1)); continue; fi
  if [ "$url" = "-" ]; then
    grep -q "^A	$name	" "$work/plan" || { echo "manual   $path: no download URL (see notes for '$name' in the manifest)"; skipped=$((skipped + 1)); }
    continue
  fi
  if [ "$sha" = "-" ] && [ "$allow_unverified" = 0 ]; then
    [ -f "$dest/$path" ] && { ok=$((ok + 1)); continue; }
    echo "skip     $path: the manifest has no sha256 for it (use --allow-unverified)"; skipped=$((skipped + 1)); continue
  fi
  if curl -fsSL --retry 3 --proto '=https' -o "$work/dl" "$url"; then
    install_checked "$work/dl" "$path" "$sha"
  else
    echo "FAILED   $path: download from $url" >&2; failed=$((failed + 1))
  fi
done < "$work/plan"

# Archives (MMLU): fetched only when some member is missing or wrong, then each member is checked.
while IFS=$'\t' read -r kind name url strip adest; do
  [ "$kind" = A ] || continue
  need=0
  while IFS=$'\t' read -r k n path u sha; do
    [ "$k" = F ] && [ "$n" = "$name" ] && [ "$u" = "-" ] && ! verified "$dest/$path" "$sha" && need=1
  done < "$work/plan"
  [ "$need" = 0 ] && continue
  echo "fetching $url for $name"
  rm -rf "$work/x" && mkdir -p "$work/x"
  if ! curl -fsSL --retry 3 --proto '=https' -o "$work/archive" "$url" ||
     ! tar -xf "$work/archive" -C "$work/x" --strip-components="$strip"; then
    echo "FAILED   $name: download or unpack of $url" >&2; failed=$((failed + 1)); continue
  fi
  while IFS=$'\t' read -r k n path u sha; do
    [ "$k" = F ] && [ "$n" = "$name" ] && [ "$u" = "-" ] || continue
    verified "$dest/$path" "$sha" && continue  # counted in the first pass
    member="$work/x/${path#"$adest"/}"
    if [ -f "$member" ]; then install_checked "$member" "$path" "$sha"
    else echo "MISSING  $path: not in $url" >&2; failed=$((failed + 1)); fi
  done < "$work/plan"
done < "$work/plan"

echo "$ok already verified, $got downloaded, $skipped skipped, $failed failed (in $dest)"
[ "$failed" = 0 ]
