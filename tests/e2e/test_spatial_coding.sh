#!/usr/bin/env bash
# objrender --spatial-coding end to end on the demo mix (14 coded sources + the LFE):
# with 64 and 16 elements every source has its own element and the render is bit-identical to
# the plain one (7.1.4 and 2.0); with 12 the integrated loudness stays within 1 LU of the plain
# 7.1.4 render and the position error is positive and no smaller than with 14; bad counts and
# binaural are refused with no output left.
# Usage: bash test_spatial_coding.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD=$(cd "$1" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

D="$TMP/demo"
"$BUILD/objdemo" -o "$D" -q
R="$BUILD/objrender"
DUR=(--duration 12) # 12 s of the 30 s piece: every object has moved by then
mkdir "$TMP/plain" "$TMP/sc64"
"$R" "$D/mix.wav" "${DUR[@]}" --layout 7.1.4,2.0 -o "$TMP/plain" -q
"$R" "$D/mix.wav" "${DUR[@]}" --layout 7.1.4,2.0 --spatial-coding 64 -o "$TMP/sc64" -q
n=0
for f in "$TMP"/plain/*.wav; do
    cmp -s "$f" "$TMP/sc64/$(basename "$f")" || fail "64 elements: $(basename "$f") differs"
    n=$((n + 1))
done
[ "$n" = 2 ] || fail "expected 2 renders, got $n"
cp "$(ls "$TMP"/plain/*7*1*4*.wav)" "$TMP/plain_714.wav"
"$R" "$D/mix.wav" "${DUR[@]}" --layout 7.1.4 --spatial-coding 16 -o "$TMP/sc16.wav" -q
cmp -s "$TMP/plain_714.wav" "$TMP/sc16.wav" || fail "16 elements (15 + LFE >= 14 sources) differ"

err() { # mean error in degrees from --json
    "$R" "$D/mix.wav" "${DUR[@]}" --layout 7.1.4 --spatial-coding "$1" -o "$2" --json |
        sed -n 's/.*"mean_error_deg": *\([0-9.eE+-]*\).*/\1/p'
}
e12=$(err 12 "$TMP/sc12.wav")
e14=$(err 14 "$TMP/sc14.wav")
e64=$(err 64 "$TMP/sc64b.wav")
[ -n "$e12" ] && [ -n "$e14" ] && [ -n "$e64" ] || fail "no spatial_coding in --json"
awk -v a="$e12" -v b="$e14" -v c="$e64" 'BEGIN { exit !(a > 0 && a >= b && c == 0) }' ||
    fail "errors 12: $e12, 14: $e14, 64: $e64 (want 12 > 0, 12 >= 14, 64 = 0)"

lufs() { "$BUILD/objmaster" --measure "$1" | sed -n 's/^ *integrated *\([-0-9.]*\) LUFS.*/\1/p'; }
lp=$(lufs "$TMP/plain_714.wav")
l12=$(lufs "$TMP/sc12.wav")
awk -v a="$lp" -v b="$l12" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= 1.0) }' ||
    fail "12 elements: integrated $l12 LUFS vs plain $lp LUFS (> 1 LU)"

# Refusals: counts out of 1..64 (usage, exit 1) and binaural (no file left).
for n in 0 65 x; do
    set +e
    "$R" "$D/mix.wav" "${DUR[@]}" --layout 7.1.4 --spatial-coding "$n" -o "$TMP/bad.wav" -q 2>/dev/null
    rc=$?
    set -e
    [ "$rc" = 1 ] || fail "--spatial-coding $n: exit $rc, want 1"
done
set +e
msg=$("$R" "$D/mix.wav" "${DUR[@]}" --layout binaural --spatial-coding 12 -o "$TMP/bin.wav" -q 2>&1)
rc=$?
set -e
[ "$rc" != 0 ] || fail "binaural with spatial coding accepted"
grep -q "spatial coding" <<<"$msg" || fail "binaural refusal does not say why: $msg"
[ ! -e "$TMP/bin.wav" ] && [ -z "$(find "$TMP" -name '*.tmp*')" ] || fail "output left behind"
echo "spatial coding: 12: $e12 deg, 14: $e14 deg; $lp vs $l12 LUFS"
