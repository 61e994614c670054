#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# objmaster end to end: a generated crest-heavy 12-channel 7.1.4 file mastered to every
# preset, checked for the ceiling by ffmpeg's ebur128 true-peak meter (independent of ours)
# and by libebur128, and for loudness by our own meter (ffmpeg weights 7.1.4 differently,
# REFERENCES.md §3.1); resampling/FLAC/MP3 delivery; bad input handling.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # has()
BUILD=$1
SRC=$2
OBJ="$BUILD/objmaster"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
err() { echo "FAIL: $*" >&2; fail=1; }

if ! command -v ffmpeg >/dev/null || ! command -v python3 >/dev/null; then
    echo "SKIP: ffmpeg or python3 not available"
    exit 0
fi

# ffmpeg's ebur128 true peak (max over channels) of a file, in dBTP.
ff_tp() {
    ffmpeg -nostats -hide_banner -i "$1" -filter_complex ebur128=peak=true -f null - 2>&1 |
        awk '/True peak:/{tp=1} tp && /Peak:/{v=$2} END{print v}'
}
# JSON field via python
jget() { python3 -c "import json,sys; d=json.load(open('$1')); print(eval('d'+sys.argv[1]))" "$2"; }

# A crest-heavy 7.1.4 programme: tones, decaying noise hits (full band: inter-sample peaks),
# a loud section from 6 s; 12 s at 48 kHz, 24 bit (8 s in sanitizer builds, which run the
# 8x true-peak filter an order of magnitude slower).
DUR=12
grep -q '^OBJR_SANITIZE:STRING=.' "$BUILD/CMakeCache.txt" 2>/dev/null && DUR=8
LAYOUT="FL+FR+FC+LFE+BL+BR+SL+SR+TFL+TFR+TBL+TBR"
HIT="(random(0)*2-1)*exp(-25*mod(t,0.5))"
EXPR="0.3*sin(2*PI*220*t)+0.6*$HIT|0.3*sin(2*PI*330*t)+0.6*$HIT|0.2*sin(2*PI*440*t)|0.3*sin(2*PI*50*t)|0.15*$HIT|0.15*sin(2*PI*550*t)|0.4*$HIT*gt(t,6)|0.2*sin(2*PI*990*t)|0.1*$HIT|0.1*sin(2*PI*2000*t)|0.05*$HIT|0.1*sin(2*PI*3000*t)"
ffmpeg -nostats -loglevel error -f lavfi -i "aevalsrc='$EXPR':c=$LAYOUT:s=48000:d=$DUR" \
    -c:a pcm_s24le "$T/in.wav" || { echo "FAIL: cannot generate input"; exit 1; }

check_master() { # preset, extra args...
    local p=$1; shift
    local out="$T/out_$p.wav"
    "$OBJ" --preset "$p" "$@" "$T/in.wav" -o "$out" --json >"$T/$p.json" 2>"$T/$p.err"
    local rc=$?
    [ $rc -eq 0 ] || { err "$p: exit $rc: $(cat "$T/$p.err")"; return; }
    [ -f "$out" ] || { err "$p: no output"; return; }
    local ceil kind target li tp tpe fft
    ceil=$(jget "$T/$p.json" "['target']['true_peak_dbtp']")
    kind=$(jget "$T/$p.json" "['target']['kind']")
    target=$(jget "$T/$p.json" "['target']['integrated_lufs']")
    li=$(jget "$T/$p.json" "['after']['integrated_lufs']")
    tp=$(jget "$T/$p.json" "['after']['true_peak_dbtp']")
    tpe=$(jget "$T/$p.json" "['after']['true_peak_4x_dbtp']")
    # the older key stays, with the same value
    [ "$(jget "$T/$p.json" "['after']['true_peak_ebur128_dbtp']")" = "$tpe" ] ||
        err "$p: true_peak_ebur128_dbtp differs from true_peak_4x_dbtp"
    fft=$(ff_tp "$out")
    echo "$p: I $li (target $kind $target), TP ours $tp BS.1770 4x (libebur128's filter) $tpe ffmpeg $fft (ceiling $ceil), gain $(jget "$T/$p.json" "['gain_db']") dB, GR $(jget "$T/$p.json" "['limiter_max_reduction_db']") dB"
    python3 - "$kind" "$target" "$li" "$tp" "$tpe" "$fft" "$ceil" <<'PY' || err "$p: figures out of tolerance"
import sys
kind, target, li, tp, tpe, fft, ceil = sys.argv[1], *map(float, sys.argv[2:])
ok = True
if kind == "exact" and abs(li - target) > 0.1: ok = False; print("loudness off target")
if kind == "at_most" and li > target: ok = False; print("louder than the maximum")
for name, v in (("ours", tp), ("BS.1770 4x (libebur128's filter)", tpe), ("ffmpeg", fft)):
    if v > ceil + 0.0: ok = False; print(name, "true peak over the ceiling")
sys.exit(0 if ok else 1)
PY
}

for p in atmos-music streaming apple-music ebu-r128 atsc-a85; do
    check_master "$p"
done
# Custom target that needs heavy limiting: still exact and under the ceiling.
"$OBJ" --lufs -10 --tp -1 "$T/in.wav" -o "$T/loud.wav" --json >"$T/loud.json" 2>"$T/loud.err" ||
    err "custom -10 LUFS: $(cat "$T/loud.err")"
if [ -f "$T/loud.wav" ]; then
    li=$(jget "$T/loud.json" "['after']['integrated_lufs']"); fft=$(ff_tp "$T/loud.wav")
    echo "custom -10: I $li, ffmpeg TP $fft, GR $(jget "$T/loud.json" "['limiter_max_reduction_db']") dB, passes $(jget "$T/loud.json" "['passes']")"
    python3 -c "import sys; sys.exit(0 if abs($li+10)<=0.1 and $fft<=-1.0 else 1)" || err "custom -10 out of tolerance"
fi
# The gain reduction over time in the JSON report; the other styles hold the ceiling too.
if [ -f "$T/loud.json" ]; then
    python3 - "$T/loud.json" <<'PY' || err "gain_reduction in the JSON report"
import json, sys
d = json.load(open(sys.argv[1])); g = d["gain_reduction"]; pts = g["points_db"]
assert g["style"] == "transparent", g
assert 0 < len(pts) <= 200 and g["point_seconds"] > 0, g
assert abs(max(pts) - g["max_db"]) <= 0.01, (max(pts), g["max_db"])
assert abs(g["max_db"] - d["limiter_max_reduction_db"]) <= 0.01, g["max_db"]
assert 0 <= g["over_1db_percent"] <= 100 and min(pts) >= 0, g["over_1db_percent"]
PY
fi
for style in punchy safe; do
    "$OBJ" --lufs -10 --tp -1 --limiter-style "$style" "$T/in.wav" -o "$T/$style.wav" --json \
        >"$T/$style.json" 2>"$T/$style.err" || err "--limiter-style $style: $(cat "$T/$style.err")"
    [ -f "$T/$style.wav" ] || continue
    li=$(jget "$T/$style.json" "['after']['integrated_lufs']"); fft=$(ff_tp "$T/$style.wav")
    echo "custom -10, $style: I $li, ffmpeg TP $fft, GR $(jget "$T/$style.json" "['limiter_max_reduction_db']") dB"
    python3 -c "import sys; sys.exit(0 if abs($li+10)<=0.1 and $fft<=-1.0 else 1)" || err "$style out of tolerance"
done
"$OBJ" --lufs -10 --limiter-style loud "$T/in.wav" -o "$T/x.wav" >/dev/null 2>"$T/style.err"
[ $? -eq 1 ] && grep -q "limiter-style" "$T/style.err" || err "unknown --limiter-style not a usage error: $(cat "$T/style.err")"

# Stereo delivery: 48 -> 44.1 kHz, 16 bit with dither, FLAC with metadata.
ffmpeg -nostats -loglevel error -i "$T/in.wav" -af "pan=stereo|c0=FL|c1=FR" -c:a pcm_s24le "$T/st.wav"
"$OBJ" --preset streaming --rate 44100 --bits 16 --title "Song" --artist "Band" --album "LP" \
    "$T/st.wav" -o "$T/st.flac" >"$T/st.txt" 2>&1 || err "flac delivery: $(cat "$T/st.txt")"
if [ -f "$T/st.flac" ]; then
    info=$(ffprobe -hide_banner "$T/st.flac" 2>&1)
    echo "$info" | has "44100 Hz" || err "flac: not 44.1 kHz"
    echo "$info" | has "s16" || err "flac: not 16 bit"
    echo "$info" | has -i "title *: Song" || err "flac: no title tag"
    echo "$info" | has -i "artist *: Band" || err "flac: no artist tag"
    fft=$(ff_tp "$T/st.flac"); echo "flac 44.1k/16: ffmpeg TP $fft"
    python3 -c "import sys; sys.exit(0 if $fft<=-1.0 else 1)" || err "flac over the ceiling"
fi
ffmpeg -nostats -loglevel error -i "$T/st.wav" -af volume=-6dB -t 5 -c:a pcm_s24le "$T/flacsrc.wav"
# MP3 when this libsndfile can encode it (skip cleanly otherwise).
"$OBJ" --preset streaming "$T/st.wav" -o "$T/st.mp3" >"$T/mp3.txt" 2>&1
rc=$?
if [ $rc -eq 0 ]; then
    fft=$(ff_tp "$T/st.mp3"); echo "mp3: ffmpeg TP $fft"
    python3 -c "import sys; sys.exit(0 if $fft<=-1.0 else 1)" || err "mp3 over the ceiling"
elif grep -q "MP3 output needs" "$T/mp3.txt"; then
    echo "SKIP mp3: $(tail -1 "$T/mp3.txt")"
else
    err "mp3: exit $rc: $(cat "$T/mp3.txt")"
fi

# Album mode: one gain, CUE sheet with ISRCs.
mkdir -p "$T/album"
"$OBJ" --album-mode --preset apple-music --artist Band --album LP --isrc US-ABC-26-00001,US-ABC-26-00002 \
    --cue "$T/album/album.cue" "$T/st.wav" "$T/flacsrc.wav" -o "$T/album" --json >"$T/album.json" 2>"$T/album.err" ||
    err "album: $(cat "$T/album.err")"
python3 -c "import json; d=json.load(open('$T/album.json')); a=d['album']; assert abs(a['after']['integrated_lufs']+16)<=0.1, a; assert len(d['tracks'])==2" ||
    err "album figures"
grep -q "ISRC USABC2600002" "$T/album/album.cue" || err "album: CUE lacks the ISRC"

# Measure mode: text and JSON, weights shown.
"$OBJ" --measure "$T/in.wav" | has "1.41 1.41" || err "measure: 7.1.4 side weights missing"
# The 4x reading is labelled for what it is (the BS.1770 4x filter, libebur128's), not as
# libebur128's meter (the mastering pipeline runs that filter on objrender's kernels).
"$OBJ" --measure "$T/in.wav" | has "(BS.1770 4x, libebur128's filter)" || err "measure: 4x label"
"$OBJ" --measure "$T/in.wav" | grep -q "libebur128 4x" && err "measure: old 4x label"
"$OBJ" --measure --json "$T/in.wav" "$T/st.wav" | python3 -c "import json,sys; d=json.load(sys.stdin); assert len(d)==2 and d[0]['weights'][3]==0" ||
    err "measure --json"

# Bad input: each gives one clear message, the exit status of README "Exit codes" (1 usage,
# 2 input, 3 output, 5 target unreachable) and no file.
expect_fail() { # name, expected rc, grep pattern, command...
    local name=$1 want=$2 pat=$3; shift 3
    "$@" >"$T/bad.out" 2>"$T/bad.err"
    local rc=$?
    [ $rc -eq "$want" ] || err "$name: exit $rc, expected $want ($(cat "$T/bad.err"))"
    grep -q "$pat" "$T/bad.err" || err "$name: message lacks '$pat': $(cat "$T/bad.err")"
    echo "$name: $(head -1 "$T/bad.err")"
}
ffmpeg -nostats -loglevel error -f lavfi -i "anullsrc=r=48000:cl=stereo" -t 3 -c:a pcm_s16le "$T/silence.wav"
expect_fail silence 2 "undefined" "$OBJ" --preset ebu-r128 "$T/silence.wav" -o "$T/x1.wav"
[ ! -e "$T/x1.wav" ] || err "silence: file written"
python3 - "$T/nan.wav" <<'PY'
import struct, sys, math
n = 4800
data = b"".join(struct.pack("<ff", 0.1 * math.sin(i / 10), float("nan") if i == 1234 else 0.0) for i in range(n))
fmt = struct.pack("<HHIIHH", 3, 2, 48000, 48000 * 8, 8, 32)
body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
open(sys.argv[1], "wb").write(b"RIFF" + struct.pack("<I", len(body)) + body)
PY
expect_fail nan 2 "frame 1234" "$OBJ" --preset ebu-r128 "$T/nan.wav" -o "$T/x2.wav"
[ ! -e "$T/x2.wav" ] || err "nan: file written"
expect_fail same-file 1 "input" "$OBJ" --preset ebu-r128 "$T/in.wav" -o "$T/in.wav"
expect_fail unwritable 3 "cannot create" "$OBJ" --preset ebu-r128 "$T/st.wav" -o "$T/in.wav/dir/out.wav"
expect_fail not-audio 2 "cannot open" "$OBJ" --measure "$SRC/CMakeLists.txt"
expect_fail unreachable 5 "unreachable" "$OBJ" --lufs 0 --tp -1 "$T/st.wav" -o "$T/x3.wav"
[ ! -e "$T/x3.wav" ] || err "unreachable: file written"
"$OBJ" --lufs 0 --tp -1 --keep-unreachable "$T/st.wav" -o "$T/x4.wav" >/dev/null 2>&1
[ $? -eq 5 ] && [ -f "$T/x4.wav" ] || err "--keep-unreachable: expected exit 5 and a file"
expect_fail flac-12ch 3 "at most 8 channels" "$OBJ" --preset ebu-r128 "$T/in.wav" -o "$T/x5.flac"
ls -a "$T" | has objmaster- && err "temporary file left behind"

exit $fail
