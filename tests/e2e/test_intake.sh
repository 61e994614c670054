#!/usr/bin/env bash
# Real-world intake end to end: a mix whose block times carry exporter rounding renders with
# one line per fixed kind and exactly as the exact original, --strict refuses it, --json
# carries the finding as data; over the shared corpus, validate and render agree (a file that
# validates renders to 7.1.4, 2.0 and binaural; a file the renderer refuses has errors in
# validate) and every file reads or is refused with one clear line.
# Usage: bash test_intake.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # has()
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
A="$BUILD/admtool"
R="$BUILD/objrender"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

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
[ "$(echo "$err" | wc -l)" = 1 ] && echo "$err" | has "rounded.xml: [0-9]* blocks overlap their successor by at most 10 us (exporter rounding); each block ends where the next starts (first: AB_" ||
    fail "one line for the overlaps: $err"
cmp -s <(tail -c +100 "$TMP/exact.wav") <(tail -c +100 "$TMP/rounded.wav") ||
    fail "the rounded mix does not render as the exact one"
run "$R" "$D/rounded.xml" -l 2.0 -q --strict -o "$TMP/strict.wav"
[ "$rc" = 2 ] && [ ! -e "$TMP/strict.wav" ] && echo "$err" | has "overlaps" ||
    fail "--strict: $rc $err"
run "$BUILD/objcheck" "$D/rounded.xml" --renders 2.0 --no-objects -q --strict -o "$TMP/strict-check"
[ "$rc" = 2 ] && [ ! -e "$TMP/strict-check/report.json" ] && echo "$err" | has "overlaps" ||
    fail "objcheck --strict: $rc $err"
run "$R" "$D/rounded.xml" -l 2.0 --json -o "$TMP/j.wav"
[ "$rc" = 0 ] && echo "$out" | has '"kind": "block_overlap", "severity": "fixed", "count": [1-9]' ||
    fail "--json warnings: $out"
echo "$out" | python3 -c 'import json,sys; json.load(sys.stdin)' 2>/dev/null ||
    ! command -v python3 >/dev/null || fail "--json is not JSON: $out"
# Text after the root element (Dolby renderer exports append Title:/Creator: lines).
{ cat "$D/mix.xml"; printf 'Title: demo\nCreator: a tool\n'; } >"$D/trailing.xml"
run "$R" "$D/trailing.xml" -l 2.0 -q -o "$TMP/trailing.wav"
[ "$rc" = 0 ] && echo "$err" | has "content after its root element" ||
    fail "trailing text: $rc $err"
cmp -s <(tail -c +100 "$TMP/exact.wav") <(tail -c +100 "$TMP/trailing.wav") ||
    fail "trailing text changed the render"
run "$A" validate --strict "$D/trailing.xml"
[ "$rc" = 2 ] || fail "validate --strict with trailing text: $rc $out"

# admtool fix: XML and BWF repaired so that --strict accepts them; audio and other chunks kept.
run "$A" fix "$D/trailing.xml" "$D/fixed.xml"
[ "$rc" = 0 ] && echo "$out" | has "fixed: 1 document has content after its root" || fail "fix xml: $rc $out $err"
run "$A" validate --strict "$D/fixed.xml"
[ "$rc" = 0 ] || fail "the fixed XML does not pass --strict: $out"
run "$A" pack "$D/rounded.xml" -o "$TMP/rounded.wav" # pack accepts what needs only fixes
[ "$rc" = 0 ] || fail "pack of a rounded mix: $rc $err"
run "$A" validate --strict "$TMP/rounded.wav"
[ "$rc" = 2 ] || fail "--strict accepts the rounded BWF: $out"
run "$A" fix "$TMP/rounded.wav" "$TMP/fixed.wav"
[ "$rc" = 0 ] && [ "$(echo "$out" | grep -c 'fixed: ')" = 1 ] || fail "fix bwf: $rc $out $err"
run "$A" validate --strict "$TMP/fixed.wav"
[ "$rc" = 0 ] || fail "the fixed BWF does not pass --strict: $out"
run "$A" fix "$TMP/fixed.wav" "$TMP/fixed.wav"
[ "$rc" = 1 ] || fail "fix onto its input: $rc"
if command -v ffmpeg >/dev/null; then
    [ "$(ffmpeg -v error -i "$TMP/rounded.wav" -map 0:a -f md5 -)" = \
        "$(ffmpeg -v error -i "$TMP/fixed.wav" -map 0:a -f md5 -)" ] || fail "fix changed the audio"
fi
# Unpack writes what pack accepts, whatever needed fixing.
run "$A" unpack "$TMP/rounded.wav" -o "$TMP/up"
[ "$rc" = 0 ] || fail "unpack: $err"
run "$A" pack "$TMP/up/mix.xml" -o "$TMP/repacked.wav"
[ "$rc" = 0 ] || fail "pack of unpack's output: $rc $err"

# A programme written at a session timecode (01:00:00, objects at 0) renders from the first
# sample; --start takes the session timecode (hh:mm:ss.fff, or hh:mm:ss:ff with --fps).
sed 's|start="00:00:00.00000" end="00:00:30.00000"|start="01:00:00.00000" end="01:00:30.00000"|' \
    "$D/mix.xml" >"$D/tc.xml"
grep -q 'start="01:00:00.00000"' "$D/tc.xml" || fail "no programme timecode in the demo"
run "$R" "$D/tc.xml" -l 2.0 -q -o "$TMP/tc.wav"
[ "$rc" = 0 ] && cmp -s "$TMP/tc.wav" "$TMP/exact.wav" || fail "programme at 01:00:00: $rc $err"
run "$R" "$D/mix.xml" -l 2.0 -q --start 10 --duration 2 -o "$TMP/s10.wav"
for args in "--start 01:00:10:00 --fps 25 --duration 2" "--start 01:00:10.000 --duration 00:00:02.000"; do
    # shellcheck disable=SC2086
    run "$R" "$D/tc.xml" -l 2.0 -q $args -o "$TMP/tcs.wav"
    [ "$rc" = 0 ] && cmp -s "$TMP/tcs.wav" "$TMP/s10.wav" || fail "timecode $args: $rc $err"
done
run "$R" "$D/tc.xml" -l 2.0 -q --start 01:00:10:00 -o "$TMP/nofps.wav"
[ "$rc" = 1 ] && echo "$err" | has -- "--fps" || fail "frames without --fps: $rc $err"
run "$A" info "$D/tc.xml"
echo "$out" | has "start 01:00:00.00000 (3600.000 s)" || fail "info timecode: $out"

CORPUS="$SRC/../shared/adm-corpus"
if [ ! -d "$CORPUS" ]; then
    echo "note: ../shared/adm-corpus absent: corpus checks skipped"
    exit 0
fi
# A typeDefinition that misses a BS.2076 name only by case or a final "s" ("Object") is a
# fixed kind (one line; --strict refuses it); fix rewrites exactly those attributes and adds
# the missing ones (the channels of that file have no type attributes at all).
F="$CORPUS/dolby-pmdtool__sadm_malformed.xml"
run "$A" validate "$F"
[ "$rc" = 0 ] && echo "$out" | has -F 'fixed: 4 typeDefinitions differ from BS.2076 type names only in case or a final "s"; read as that type (first: AP_00031668, line 100)' ||
    fail "near-miss typeDefinition: $rc $out $err"
run "$A" validate --strict "$F"
[ "$rc" = 2 ] || fail "near-miss typeDefinition under --strict: $rc"
run "$A" fix "$F" "$TMP/malformed.xml"
[ "$rc" = 0 ] || fail "fix of the near-miss types: $rc $err"
run "$A" validate --strict "$TMP/malformed.xml"
[ "$rc" = 0 ] || fail "the fixed near-miss file does not pass --strict: $out"
set +e
changes=$(diff "$F" "$TMP/malformed.xml")
set -e
[ "$(echo "$changes" | grep -c '^< ')" = 14 ] && [ "$(echo "$changes" | grep -c '^> ')" = 14 ] &&
    [ "$(echo "$changes" | grep '^> ' | grep -c 'typeDefinition="\(Objects\|DirectSpeakers\)"')" = 14 ] ||
    fail "fix changed more than the type attributes: $changes"
# The pre-standard bbcat file states no type at all (code 0000, no typeLabel/typeDefinition):
# its blocks' positions make its channels Objects and its packs take their channels' type.
run "$A" validate "$CORPUS/pre-standard/bbc-bbcat__test.xml"
[ "$rc" = 0 ] && echo "$out" | has -F "fixed: 20 packs/channels have no typeLabel, typeDefinition or type code in their ID; the type comes from the contents" ||
    fail "bbcat types from the contents: $rc $out $err"
# fix keeps chna, dbmd and the audio of a Dolby Atmos Conversion Tool file byte for byte
if command -v python3 >/dev/null; then
    run "$A" fix "$CORPUS/dolby-dact180__sample_adm_file_0.wav" "$TMP/dact.wav"
    [ "$rc" = 0 ] || fail "fix dact180: $err"
    python3 - "$CORPUS/dolby-dact180__sample_adm_file_0.wav" "$TMP/dact.wav" <<'PY' || fail "fix lost a chunk"
import struct, sys
def chunks(p):
    b = open(p, 'rb').read(); i = 12; out = {}
    while i + 8 <= len(b):
        cid = b[i:i+4]; n = struct.unpack('<I', b[i+4:i+8])[0]
        out[cid] = b[i+8:i+8+n]; i += 8 + n + (n & 1)
    return out
a, c = chunks(sys.argv[1]), chunks(sys.argv[2])
sys.exit(0 if all(a[k] == c.get(k) for k in (b'data', b'chna', b'dbmd')) else 1)
PY
fi
n=0
for f in "$CORPUS"/*.wav "$CORPUS"/*.xml "$CORPUS"/pre-standard/*.xml; do
    b=$(basename "$f")
    run "$A" info "$f"
    if [ "$rc" != 0 ]; then
        # refused: one line naming the file
        [ "$rc" = 2 ] && [ "$(echo "$err" | wc -l)" = 1 ] && echo "$err" | has -F "$b" ||
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
