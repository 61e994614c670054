#!/usr/bin/env bash
# Regenerates the demo translation report shown in README.md ("Translation report"): makes the
# demo mix (objdemo) in a scratch folder, runs objcheck on it, and replaces the block between
# the README's demo-report markers with the command and its summary. Builds nothing: run it
# after cmake --build build. Usage: scripts/demo_report.sh [OUT_DIR] (default: demo/)
# Environment: OBJR_BUILD_DIR (default: build).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${OBJR_BUILD_DIR:-build}
OUT=${1:-demo}
for tool in objdemo objcheck; do
    [ -x "$BUILD/$tool" ] || { echo "demo_report.sh: $BUILD/$tool not found: build first" >&2; exit 1; }
done
grep -q '<!-- demo-report:begin -->' README.md ||
    { echo "demo_report.sh: README.md has no demo-report markers" >&2; exit 1; }
"$BUILD/objdemo" -o "$OUT" >/dev/null
set +e
summary=$("$BUILD/objcheck" "$OUT/mix.xml" -o "$OUT")
status=$?
set -e
if [ "$status" -ne 0 ] && [ "$status" -ne 5 ]; then
    echo "demo_report.sh: objcheck failed (exit $status)" >&2
    exit 1
fi
block=$(mktemp)
trap 'rm -f "$block" README.md.tmp' EXIT
{
    echo '```'
    echo "\$ build/objcheck demo/mix.xml -o demo    # exit status $status"
    printf '%s\n' "$summary" | sed "s#$OUT/#demo/#g"
    echo '```'
} >"$block"
awk -v f="$block" '
    /<!-- demo-report:begin -->/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
    /<!-- demo-report:end -->/ { skip = 0 }
    !skip { print }' README.md >README.md.tmp
mv README.md.tmp README.md
echo "demo_report.sh: README.md updated (objcheck exit status $status)"
