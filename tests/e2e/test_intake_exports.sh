#!/usr/bin/env bash
# Real exports through the command-line tools: a Pro-Tools-style ADM BWF (512-sample blocks,
# times rounded to 10 us, RC_* beds, cartesian objects with Z omitted, chna/axml/dbmd after the
# data chunk) and a Dolby-Atmos-Renderer-style XML (programme at 01:00:00, text after the root
# element, stems beside it), each written by tests/gen/gen_adm_export with an exact-time twin.
# Each renders to 7.1.4, 2.0 and binaural exactly as its twin (max difference below 1e-6 in
# float output) with one warning line per fixed kind (count, first ID and line); admtool
# validate counts the same warnings and --strict makes them errors (exit 2).
# Usage: bash test_intake_exports.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # has()
BUILD=$(cd "$1" && pwd)
A="$BUILD/admtool"
R="$BUILD/objrender"
G="$BUILD/tests/gen_adm_export"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
[ -x "$G" ] || fail "no generator at $G"
cd "$TMP"
mkdir dolby exact-xml
"$G" bwf protools pt.wav
"$G" bwf exact exact.wav
"$G" xml dolby dolby
"$G" xml exact exact-xml

# The Pro Tools file has its ADM chunks after the audio, as Pro Tools writes them.
if command -v python3 >/dev/null; then
    order=$(python3 - pt.wav <<'PY'
import struct, sys
b = open(sys.argv[1], 'rb').read(); i = 12; ids = []
while i + 8 <= len(b):
    n = struct.unpack('<I', b[i+4:i+8])[0]; ids.append(b[i:i+4].decode()); i += 8 + n + (n & 1)
print(' '.join(ids))
PY
)
    [ "$order" = "fmt  data chna axml dbmd" ] || fail "Pro Tools chunk order: $order"
fi

# What the reader must report, derived by the generator from the rounding alone.
read -r n_over first_id first_line <<<"$("$G" expect protools)"
[ "$n_over" -gt 10 ] || fail "too few rounded overlaps: $n_over"
overlap_line() {
    echo "objrender: $1: $n_over blocks overlap their successor by at most 10 us (exporter" \
        "rounding); each block ends where the next starts (first: $first_id, line $first_line)"
}
read -r n_dolby dolby_id dolby_line <<<"$("$G" expect dolby)"
[ "$n_dolby $dolby_id $dolby_line" = "$n_over $first_id $first_line" ] ||
    fail "the two styles should round the same blocks"
trailing_line="objrender: dolby/mix.xml: 1 document has content after its root element"

for l in 7.1.4 2.0 binaural; do
    run "$R" exact.wav -l "$l" -q --sample-format f32 -o "exact.$l.wav"
    [ "$rc" = 0 ] && [ -z "$err" ] || fail "exact twin to $l: $rc $err"
    run "$R" pt.wav -l "$l" -q --sample-format f32 -o "pt.$l.wav"
    [ "$rc" = 0 ] || fail "Pro Tools export to $l: $rc $err"
    [ "$err" = "$(overlap_line pt.wav)" ] || fail "Pro Tools export to $l: warnings: $err"
    run "$G" cmp "pt.$l.wav" "exact.$l.wav"
    [ "$rc" = 0 ] || fail "Pro Tools export to $l differs from its twin: $out $err"

    run "$R" exact-xml/mix.xml -l "$l" -q --sample-format f32 -o "exact-xml.$l.wav"
    [ "$rc" = 0 ] && [ -z "$err" ] || fail "exact XML twin to $l: $rc $err"
    run "$R" dolby/mix.xml -l "$l" -q --sample-format f32 -o "dolby.$l.wav"
    [ "$rc" = 0 ] || fail "Dolby renderer export to $l: $rc $err"
    [ "$(echo "$err" | wc -l)" = 2 ] || fail "Dolby renderer export to $l: not 2 lines: $err"
    echo "$err" | has -Fx "$(overlap_line dolby/mix.xml)" || fail "Dolby overlaps to $l: $err"
    echo "$err" | has -F "$trailing_line (51 bytes); ignored (first at line " ||
        fail "Dolby trailing text to $l: $err"
    run "$G" cmp "dolby.$l.wav" "exact-xml.$l.wav"
    [ "$rc" = 0 ] || fail "Dolby renderer export to $l differs from its twin: $out $err"
    # the BWF and the XML carry the same scene and audio: the same loudspeaker render (the
    # BWF's dbmd renders its objects "near" binaurally, which the XML cannot say)
    if [ "$l" != binaural ]; then
        run "$G" cmp "pt.$l.wav" "dolby.$l.wav"
        [ "$rc" = 0 ] || fail "the BWF and the XML render differently to $l: $out"
    else
        run "$G" cmp "pt.$l.wav" "dolby.$l.wav"
        [ "$rc" = 1 ] || fail "the dbmd's binaural render modes changed nothing: $out"
    fi
done

# validate: the same counts as warnings; --strict turns each into an error (exit 2).
run "$A" validate pt.wav
[ "$rc" = 0 ] && echo "$out" | has -Fx "pt.wav: 0 errors, $n_over warnings" ||
    fail "validate pt.wav: $rc $out"
[ "$(echo "$out" | grep -c 'fixed: ')" = 1 ] || fail "validate pt.wav: one line per kind: $out"
run "$A" validate --strict pt.wav
[ "$rc" = 2 ] && echo "$out" | has -Fx "pt.wav: $n_over errors, 0 warnings" ||
    fail "validate --strict pt.wav: $rc $out"
run "$A" validate dolby/mix.xml
[ "$rc" = 0 ] && echo "$out" | has -Fx "dolby/mix.xml: 0 errors, $((n_over + 1)) warnings" ||
    fail "validate dolby: $rc $out"
[ "$(echo "$out" | grep -c 'fixed: ')" = 2 ] || fail "validate dolby: one line per kind: $out"
run "$A" validate --strict dolby/mix.xml
[ "$rc" = 2 ] && echo "$out" | has -Fx "dolby/mix.xml: $((n_over + 1)) errors, 0 warnings" ||
    fail "validate --strict dolby: $rc $out"
for f in exact.wav exact-xml/mix.xml; do
    run "$A" validate --strict "$f"
    [ "$rc" = 0 ] && echo "$out" | has -Fx "$f: 0 errors, 0 warnings" || fail "twin $f: $out"
done
run "$R" pt.wav -l 2.0 -q --strict -o strict.wav
[ "$rc" = 2 ] && [ ! -e strict.wav ] || fail "objrender --strict on the Pro Tools export: $rc"
run "$R" dolby/mix.xml -l 2.0 -q --strict -o strict.wav
[ "$rc" = 2 ] && [ ! -e strict.wav ] || fail "objrender --strict on the Dolby export: $rc"

# admtool fix: the XML changes only where a fix applied (each overlapping block's duration,
# the text after the root); the result passes --strict and renders as the twin.
run "$A" fix pt.wav pt-fixed.wav
[ "$rc" = 0 ] || fail "fix pt.wav: $rc $err"
run "$A" fix dolby/mix.xml dolby/fixed.xml
[ "$rc" = 0 ] || fail "fix dolby: $rc $err"
for f in pt-fixed.wav dolby/fixed.xml; do
    run "$A" validate --strict "$f"
    [ "$rc" = 0 ] && echo "$out" | has -Fx "$f: 0 errors, 0 warnings" || fail "fixed $f: $out"
done
run "$R" pt-fixed.wav -l 2.0 -q --sample-format f32 -o pt-fixed.2.0.wav
[ "$rc" = 0 ] && [ -z "$err" ] || fail "render of the fixed BWF: $rc $err"
run "$G" cmp pt-fixed.2.0.wav exact.2.0.wav
[ "$rc" = 0 ] || fail "the fixed BWF renders differently: $out"
run "$R" dolby/fixed.xml -l 2.0 -q --sample-format f32 -o dolby-fixed.2.0.wav
[ "$rc" = 0 ] && [ -z "$err" ] || fail "render of the fixed XML: $rc $err"
run "$G" cmp dolby-fixed.2.0.wav exact-xml.2.0.wav
[ "$rc" = 0 ] || fail "the fixed XML renders differently: $out"
if command -v python3 >/dev/null; then
    python3 - pt.wav pt-fixed.wav dolby/mix.xml dolby/fixed.xml "$n_over" <<'PY' ||
import re, struct, sys
def axml(p):
    b = open(p, 'rb').read()
    if not b.startswith(b'RIFF'):
        return b.decode()
    i = 12
    while i + 8 <= len(b):
        n = struct.unpack('<I', b[i+4:i+8])[0]
        if b[i:i+4] == b'axml':
            return b[i+8:i+8+n].decode()
        i += 8 + n + (n & 1)
def check(a, b, n_over, trailing):
    la, lb = a.split('\n'), b.split('\n')
    if trailing:  # the text after the root is gone, nothing else at the end
        end = max(i for i, l in enumerate(la) if '</ebuCoreMain>' in l)
        assert lb[end + 1:] == [''], lb[end + 1:]
        la = la[:end + 1] + ['']
    assert len(la) == len(lb), (len(la), len(lb))
    changed = [(x, y) for x, y in zip(la, lb) if x != y]
    assert len(changed) == n_over, len(changed)
    dur = re.compile(r'duration="[^"]*"')
    for x, y in changed:  # only the duration of a block, and only shorter by 10 us
        assert '<audioBlockFormat ' in x and dur.sub('', x) == dur.sub('', y), (x, y)
        assert dur.search(x).group() == 'duration="00:00:00.01067"', x
        assert dur.search(y).group() == 'duration="00:00:00.01066"', y
n = int(sys.argv[5])
check(axml(sys.argv[1]), axml(sys.argv[2]), n, False)
check(axml(sys.argv[3]), axml(sys.argv[4]), n, True)
PY
        fail "fix changed more than the fixed places"
fi
# unpack writes what pack accepts
run "$A" unpack pt.wav -o up
[ "$rc" = 0 ] || fail "unpack pt.wav: $err"
run "$A" pack up/mix.xml -o repacked.wav
[ "$rc" = 0 ] || fail "pack of unpack's output: $rc $err"
run "$A" unpack pt-fixed.wav -o up-fixed
run "$A" pack up-fixed/mix.xml -o repacked-fixed.wav
[ "$rc" = 0 ] || fail "pack of the fixed file's unpack: $rc $err"
# The same exports with their blocks in a temporary file (formats/adm_spill.c; real sessions
# spill above 32 MiB of XML): the same samples, the same warnings, no file left behind.
mkdir spill
for l in 7.1.4 binaural; do
    for f in pt.wav dolby/mix.xml; do
        out_name="spilled.$(basename "$(dirname "$f")").$(basename "$f" .wav).$l.wav"
        plain="$([ "$f" = pt.wav ] && echo pt || echo dolby).$l.wav"
        run env OBJR_ADM_SPILL_BYTES=1 TMPDIR="$TMP/spill" "$R" "$f" -l "$l" -q --sample-format f32 \
            -o "$out_name"
        [ "$rc" = 0 ] || fail "spilled render of $f to $l: $err"
        cmp -s "$out_name" "$plain" || fail "spilled render of $f to $l differs from the plain one"
    done
done
[ -z "$(ls -A spill)" ] || fail "temporary block files left behind: $(ls -A spill)"
echo "exports: 6 renders match their exact-time twins; $n_over overlaps reported in one line; fix changes $n_over durations; 4 spilled renders are bit-identical"
