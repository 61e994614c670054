#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The output's extension decides its file format (or --format does), in every tool: .wav and
# .rf64 renders, .flac/.mp3/.opus/.caf masters (read back with ffprobe: codec, bit depth, rate),
# and an extension nothing here writes (.m4a) refused with exit 1 and no file before any work
# is done. Opus codes at 48 kHz: a master that would be at another rate is refused (exit 3,
# as an MP3 the encoder cannot take).
# Usage: test_formats.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # has()
BUILD=$(cd "$1" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
err() { echo "test_formats: FAIL: $*" >&2; fail=1; }
command -v ffprobe >/dev/null || { echo "ffprobe not installed: skipping"; exit 0; }
codec() { ffprobe -v error -select_streams a:0 -show_entries stream=codec_name -of csv=p=0 "$1"; }
bits() { ffprobe -v error -select_streams a:0 -show_entries stream=bits_per_raw_sample -of csv=p=0 "$1"; }

"$BUILD/objdemo" -o "$T/demo" -q || { err objdemo; exit 1; }
IN="$T/demo/mix.wav"
R=("$BUILD/objrender" "$IN" -l 2.0 --duration 3 -q)
"${R[@]}" -o "$T/st.wav" || err "stereo render" # objmaster's input (it refuses an ADM BWF)

refused() { # name, file that must not appear, command...
    local name=$1 f=$2; shift 2
    "$@" >/dev/null 2>"$T/err"; local rc=$?
    [ $rc = 1 ] || err "$name: exit $rc, expected 1 ($(cat "$T/err"))"
    [ "$(wc -l <"$T/err")" = 1 ] || err "$name: not one line: $(cat "$T/err")"
    grep -qF "$f" "$T/err" || err "$name: the line does not name $f: $(cat "$T/err")"
    [ -e "$f" ] && err "$name: $f was written"
    ls "$(dirname "$f")" | has "$(basename "$f")." && err "$name: a temporary file was left"
}
refused "objrender .m4a" "$T/a.m4a" "${R[@]}" -o "$T/a.m4a"
refused "objrender no extension" "$T/noext" "${R[@]}" -o "$T/noext"
refused "objrender .flac unmastered" "$T/b.flac" "${R[@]}" -o "$T/b.flac"
refused "objrender .opus unmastered" "$T/c.opus" "${R[@]}" -o "$T/c.opus"
refused "objmaster .m4a" "$T/d.m4a" "$BUILD/objmaster" --preset streaming "$T/st.wav" -o "$T/d.m4a"
refused "objrender .caf unmastered" "$T/e.caf" "${R[@]}" -o "$T/e.caf"
refused "admtool pack .flac" "$T/p.flac" "$BUILD/admtool" pack "$T/demo/mix.xml" -o "$T/p.flac"

# renders: .wav and .rf64 are WAV data; --format names the format whatever the extension
"${R[@]}" -o "$T/r.wav" && [ "$(codec "$T/r.wav")" = pcm_f32le ] || err ".wav render"
"${R[@]}" -o "$T/r.rf64" --sample-format s24 && [ "$(codec "$T/r.rf64")" = pcm_s24le ] || err ".rf64 render"
"${R[@]}" -o "$T/r.out" --format wav && [ "$(codec "$T/r.out")" = pcm_f32le ] || err "--format wav"
# masters: the extension picks the codec; FLAC defaults to 24-bit
"${R[@]}" --preset streaming -o "$T/m.flac" || err "objrender .flac master: exit $?"
[ "$(codec "$T/m.flac")" = flac ] && [ "$(bits "$T/m.flac")" = 24 ] || err ".flac master: $(codec "$T/m.flac") $(bits "$T/m.flac")"
"${R[@]}" --preset streaming -o "$T/m16.flac" -b 16 && [ "$(bits "$T/m16.flac")" = 16 ] || err ".flac -b 16"
"$BUILD/objmaster" --preset streaming "$T/r.wav" -o "$T/o.flac" -q && [ "$(codec "$T/o.flac")" = flac ] || err "objmaster .flac"
# CAF: linear PCM (lossless), 24-bit by default, 16 with -b 16; a 12-channel master too
"$BUILD/objmaster" --preset streaming "$T/r.wav" -o "$T/o.caf" -q && [ "$(codec "$T/o.caf")" = pcm_s24be ] || err "objmaster .caf: $(codec "$T/o.caf")"
"${R[@]}" --preset streaming -o "$T/m16.caf" -b 16 && [ "$(codec "$T/m16.caf")" = pcm_s16be ] || err ".caf -b 16"
"$BUILD/objrender" "$IN" -l 7.1.4 --duration 3 -q --preset atmos-music -o "$T/m714.caf" &&
    [ "$(ffprobe -v error -show_entries stream=channels -of csv=p=0 "$T/m714.caf")" = 12 ] || err "7.1.4 .caf master"
"$BUILD/objmaster" --preset streaming "$T/r.wav" -o "$T/o.bin" --format flac -q && [ "$(codec "$T/o.bin")" = flac ] || err "objmaster --format flac"
if "$BUILD/objmaster" --preset streaming "$T/r.wav" -o "$T/o.mp3" -q 2>"$T/err"; then
    [ "$(codec "$T/o.mp3")" = mp3 ] || err "objmaster .mp3: $(codec "$T/o.mp3")"
else
    grep -q "LAME" "$T/err" || err "objmaster .mp3: $(cat "$T/err")" # libsndfile without MP3
fi
# Opus: 48 kHz masters in Ogg (verified on the decode, so the ceiling holds after decoding)
if "$BUILD/objmaster" --preset streaming "$T/r.wav" -o "$T/o.opus" -q 2>"$T/err"; then
    [ "$(codec "$T/o.opus")" = opus ] || err "objmaster .opus: $(codec "$T/o.opus")"
    "${R[@]}" --preset streaming -o "$T/m.opus" && [ "$(codec "$T/m.opus")" = opus ] ||
        err "objrender .opus master"
    tp=$("$BUILD/objmaster" --measure --json "$T/o.opus" | python3 -c '
import json, sys
print(json.load(sys.stdin)[0]["measure"]["true_peak_dbtp"])')
    python3 -c "import sys; sys.exit(0 if $tp <= -1.0 else 1)" || err ".opus decode over the ceiling: $tp"
    "$BUILD/objmaster" --preset streaming "$T/r.wav" --rate 44100 -o "$T/o44.opus" -q 2>"$T/err"
    rc=$?
    [ $rc = 3 ] && grep -q "48 kHz" "$T/err" && [ ! -e "$T/o44.opus" ] ||
        err ".opus at 44.1 kHz: exit $rc $(cat "$T/err")"
else
    grep -q "libopus" "$T/err" || err "objmaster .opus: $(cat "$T/err")" # libsndfile without Opus
fi
exit $fail
