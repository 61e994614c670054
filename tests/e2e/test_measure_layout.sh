#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Layout-aware measuring: objmaster --measure --layout NAME takes any layout objrender knows and
# weights each channel as ITU-R BS.1770-4 Annex 3 says (LFE excluded, 1.41 at 60..120 deg
# azimuth below 30 deg elevation, 1.0 elsewhere). A 16-channel WAV with no channel mask (what
# objrender -l 9.1.6 writes) carries a 1 kHz sine of amplitude 0.1 in channel 1 (M+030) and
# the same in channel 4 (LFE1 in 9.1.6 file order). BS.1770: one channel with mean square
# 0.01/2 reads 10*log10(0.005) = -23.01 LUFS (the K filter's +0.69 dB at 1 kHz cancels the
# -0.691 constant); counting the LFE as full range gives 10*log10(0.01) = -20.00. A sine in
# channel 5 alone (M+090) reads -23.01 + 10*log10(1.41) = -21.52. Tolerance 0.1 LU (EBU Tech
# 3341). Without --layout the assumption is named in one warning line.
# Usage: test_measure_layout.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
BUILD=$(cd "$1" && pwd)
OM="$BUILD/objmaster"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
err() { echo "test_measure_layout: FAIL: $*" >&2; fail=1; }
command -v ffmpeg >/dev/null || { echo "ffmpeg not installed: skipping"; exit 0; }

gen() { # out, channels carrying the sine (0-based)...
    local out=$1 e="" x
    shift
    for k in $(seq 0 15); do
        x=0
        for c in "$@"; do [ "$c" = "$k" ] && x="0.1*sin(2*PI*1000*t)"; done
        e="$e${e:+|}$x"
    done
    ffmpeg -loglevel error -y -f lavfi -i "aevalsrc=exprs=$e:s=48000:d=5" -c:a pcm_f32le "$out"
}
gen "$T/lfe.wav" 0 3
gen "$T/side.wav" 4
lufs() { awk '/integrated/ {print $2}'; }
near() { awk -v a="$1" -v b="$2" 'BEGIN {d = a - b; exit !(d < 0.1 && d > -0.1)}'; }

v=$("$OM" --measure --layout 9.1.6 "$T/lfe.wav" 2>"$T/err" | lufs)
near "$v" -23.01 || err "9.1.6: LFE not excluded: $v LUFS, expected -23.01"
[ -s "$T/err" ] && err "--layout given, yet: $(cat "$T/err")"
v=$("$OM" --measure -l 9.1.6 "$T/side.wav" | lufs)
near "$v" -21.52 || err "9.1.6: M+090 weight: $v LUFS, expected -21.52"
# the JSON weights: LFE 0, sides 1.41
"$OM" --measure --json --layout 9.1.6 "$T/lfe.wav" | python3 -c '
import json, sys
w = json.load(sys.stdin)[0]["weights"]
assert w[3] == 0 and w[4] == 1.41 and w[8] == 1.41 and w[0] == 1 and w[10] == 1, w' || err "9.1.6 weights"
# no mask, no --layout: measured as 16 full-range channels, with one warning saying so
v=$("$OM" --measure "$T/lfe.wav" 2>"$T/err" | lufs)
near "$v" -20.00 || err "no layout: $v LUFS, expected -20.00"
[ "$(grep -c "warning: .*no channel mask.*--layout" "$T/err")" = 1 ] || err "no mask warning: $(cat "$T/err")"
# --strict: the assumption is an input error (exit 2, one line, nothing measured or written);
# with --layout there is nothing to assume
"$OM" --measure --strict "$T/lfe.wav" >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "no channel mask.*--strict" "$T/err" &&
    [ ! -s "$T/out" ] || err "--strict without a mask: rc $rc $(cat "$T/err")"
"$OM" --strict --preset streaming "$T/lfe.wav" -o "$T/strict.wav" 2>"$T/err"; rc=$?
[ $rc = 2 ] && [ ! -e "$T/strict.wav" ] || err "--strict mastering without a mask: rc $rc"
v=$("$OM" --measure --strict --layout 9.1.6 "$T/lfe.wav" | lufs)
near "$v" -23.01 || err "--strict with --layout: $v LUFS, expected -23.01"
# other layout names and a custom list are accepted; a wrong count or name is a usage error
"$OM" --measure --layout 22.2 "$T/lfe.wav" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 1 ] && grep -q "24 channels" "$T/err" || err "22.2 on 16 channels: rc $rc $(cat "$T/err")"
"$OM" --measure --layout 9.1.7 "$T/lfe.wav" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 1 ] && grep -q "did you mean 9.1.6" "$T/err" || err "9.1.7: rc $rc $(cat "$T/err")"
# objrender's own 9.1.6 render (mask 0) measured with its name: the LFE weight is 0
if "$BUILD/objdemo" -o "$T/demo" -q; then
    "$BUILD/objrender" "$T/demo/mix.wav" -l 9.1.6 --duration 3 -o "$T/r.wav" -q || err "render 9.1.6"
    "$OM" --measure --json -l 9.1.6 "$T/r.wav" | python3 -c '
import json, sys
w = json.load(sys.stdin)[0]["weights"]
assert len(w) == 16 and w[3] == 0, w' || err "9.1.6 render weights"
fi
exit $fail
