#!/usr/bin/env bash
# Real-world intake end to end: a mix whose block times carry exporter rounding renders with
# one line per fixed kind and exactly as the exact original, --strict refuses it, --json
# carries the finding as data; over the shared corpus, validate and render agree (a file that
# validates renders to 7.1.4, 2.0 and binaural; a file the renderer refuses has errors in
# validate) and every file reads or is refused with one clear line.
# Usage: bash test_intake.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
A="$BUILD/admtool"
R="$BUILD/objrender"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
run() {
    set +e
    "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    set -e
    out=$(cat "$TMP/out")
    err=$(cat "$TMP/err")
}

D="$TMP/demo"
"$BUILD/objdemo" -o "$D" >/dev/null
# Every 0.5 s block written 10 us too long (as exporters round): each overlaps its successor.
sed 's/duration="00:00:00.50000"/duration="00:00:00.50001"/g' "$D/mix.xml" >"$D/rounded.xml"
n_long=$(grep -o 'duration="00:00:00.50001"' "$D/rounded.xml" | wc -l)
[ "$n_long" -gt 10 ] || fail "the demo has too few 0.5 s blocks ($n_long)"
run "$R" "$D/mix.xml" -l 2.0 -q -o "$TMP/exact.wav"
[ "$rc" = 0 ] && [ -z "$err" ] || fail "exact render: $rc $err"
run "$R" "$D/rounded.xml" -l 2.0 -q -o "$TMP/rounded.wav"
[ "$rc" = 0 ] || fail "rounded render: $rc $err"
[ "$(echo "$err" | wc -l)" = 1 ] && echo "$err" | grep -q "rounded.xml: [0-9]* blocks overlap their successor by at most 10 us (exporter rounding); each block ends where the next starts (first: AB_" ||
    fail "one line for the overlaps: $err"
cmp -s <(tail -c +100 "$TMP/exact.wav") <(tail -c +100 "$TMP/rounded.wav") ||
    fail "the rounded mix does not render as the exact one"
run "$R" "$D/rounded.xml" -l 2.0 -q --strict -o "$TMP/strict.wav"
[ "$rc" = 2 ] && [ ! -e "$TMP/strict.wav" ] && echo "$err" | grep -q "overlaps" ||
    fail "--strict: $rc $err"
run "$R" "$D/rounded.xml" -l 2.0 --json -o "$TMP/j.wav"
[ "$rc" = 0 ] && echo "$out" | grep -q '"kind": "block_overlap", "severity": "fixed", "count": [1-9]' ||
    fail "--json warnings: $out"
echo "$out" | python3 -c 'import json,sys; json.load(sys.stdin)' 2>/dev/null ||
    ! command -v python3 >/dev/null || fail "--json is not JSON: $out"
# Text after the root element (Dolby renderer exports append Title:/Creator: lines).
{ cat "$D/mix.xml"; printf 'Title: demo\nCreator: a tool\n'; } >"$D/trailing.xml"
run "$R" "$D/trailing.xml" -l 2.0 -q -o "$TMP/trailing.wav"
[ "$rc" = 0 ] && echo "$err" | grep -q "content after its root element" ||
    fail "trailing text: $rc $err"
cmp -s <(tail -c +100 "$TMP/exact.wav") <(tail -c +100 "$TMP/trailing.wav") ||
    fail "trailing text changed the render"
run "$A" validate --strict "$D/trailing.xml"
[ "$rc" = 2 ] || fail "validate --strict with trailing text: $rc $out"

CORPUS="$SRC/../shared/adm-corpus"
if [ ! -d "$CORPUS" ]; then
    echo "note: ../shared/adm-corpus absent: corpus checks skipped"
    exit 0
fi
n=0
for f in "$CORPUS"/*.wav "$CORPUS"/*.xml "$CORPUS"/pre-standard/*.xml; do
    b=$(basename "$f")
    run "$A" info "$f"
    if [ "$rc" != 0 ]; then
        # refused: one line naming the file
        [ "$rc" = 2 ] && [ "$(echo "$err" | wc -l)" = 1 ] && echo "$err" | grep -qF "$b" ||
            fail "info $b: $rc $err"
        continue
    fi
    run "$A" validate "$f"
    vrc=$rc
    vout=$out
    case "$b" in *.wav) ;; *) continue ;; esac
    for l in 7.1.4 2.0 binaural; do
        run "$R" "$f" -l "$l" -q -o "$TMP/r.wav"
        if [ "$vrc" = 0 ]; then
            [ "$rc" = 0 ] || fail "$b validates but does not render to $l: $err"
        else
            [ "$rc" != 0 ] || fail "$b has errors in validate but renders to $l: $vout"
            [ "$(echo "$err" | wc -l)" = 1 ] || fail "$b: refusal is not one line: $err"
        fi
        n=$((n + 1))
    done
done
echo "corpus: $n renders agree with validate"
