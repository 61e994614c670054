#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# End-to-end test of how every tool opens a mix (formats/mix_source): NaN/Inf samples are an
# input error naming file, track and time, or silence with one warning under
# --repair-nonfinite; stems outside the mix.xml's folder are refused (objrender, admtool pack)
# unless --allow-external-stems; a 2-channel stem where the mix reads one channel, a stem
# shorter than the mix and audio shorter than the metadata each give one warning; --start past
# the end is an error with no output; a data chunk one byte short renders its whole frames; a
# UTF-16 mix.xml renders; an A-law BWF and a 768 kHz binaural render get messages that say so;
# admtool validate accepts FLAC stems and reports NaN samples; objcheck opens its input the same
# way (NaN an input error or, repaired, a finite report; the stem policy).
# Usage: test_mix_source.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # has()
BUILD=$(cd "$1" && pwd)
OBJR="$BUILD/objrender"
ADMTOOL="$BUILD/admtool"
OBJCHECK="$BUILD/objcheck"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failed=0
err() { echo "test_mix_source: FAIL: $*" >&2; failed=1; }
command -v ffmpeg >/dev/null || { echo "ffmpeg not installed: skipping"; exit 0; }

# expect NAME RC PATTERN CMD...: exit status RC and PATTERN ('' = any) in stderr+stdout.
expect() {
    local name=$1 want=$2 pat=$3
    shift 3
    "$@" >"$T/out" 2>&1
    local rc=$?
    [ "$rc" = "$want" ] || err "$name: exit $rc, expected $want: $(head -c 400 "$T/out")"
    [ -z "$pat" ] || has -- "$pat" "$T/out" || err "$name: output lacks '$pat': $(head -c 400 "$T/out")"
}
lines() { grep -c -- "$1" "$T/out"; }

# ---- a one-object mix.xml: stem FILE (objr:channel CH), metadata DUR seconds long --------------
scene() { # file channel [object attributes]
    cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<ebuCoreMain xmlns="urn:ebu:metadata-schema:ebuCore_2016" xmlns:objr="urn:objrender:mix:1"><coreMetadata><format>
<audioFormatExtended version="ITU-R_BS.2076-2">
<audioProgramme audioProgrammeID="APR_1001" audioProgrammeName="t"><audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>
<audioContent audioContentID="ACO_1001" audioContentName="c"><audioObjectIDRef>AO_1001</audioObjectIDRef></audioContent>
<audioObject audioObjectID="AO_1001" audioObjectName="o" ${3:-}><audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef><audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>
<audioPackFormat audioPackFormatID="AP_00031001" audioPackFormatName="o" typeLabel="0003" typeDefinition="Objects"><audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef></audioPackFormat>
<audioChannelFormat audioChannelFormatID="AC_00031001" audioChannelFormatName="o" typeLabel="0003" typeDefinition="Objects"><audioBlockFormat audioBlockFormatID="AB_00031001_00000001"><position coordinate="azimuth">30</position><position coordinate="elevation">0</position></audioBlockFormat></audioChannelFormat>
<audioTrackUID UID="ATU_00000001" objr:file="$1" objr:channel="$2"><audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef><audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef></audioTrackUID>
</audioFormatExtended></format></coreMetadata></ebuCoreMain>
EOF
}
mkdir -p "$T/m/stems" "$T/m/sub"
cd "$T/m" || exit 1
sine() { ffmpeg -loglevel error -y -f lavfi -i "sine=f=440:d=$1:r=${3:-48000}" -af volume=0.5 "${@:4}" "$2"; }
sine 1 stems/obj.wav 48000 -c:a pcm_s24le
# 1 s float, one NaN at frame 24000 (0.5 s)
ffmpeg -loglevel error -y -f lavfi -i "aevalsrc=exprs='if(eq(n\,24000)\,0/0\,0.25*sin(2*PI*440*t))':s=48000:d=1" \
    -c:a pcm_f32le stems/nan.wav
scene stems/obj.wav 1 >mix.xml
scene stems/nan.wav 1 >nan.xml

# ---- non-finite samples ------------------------------------------------------------------------
expect "NaN stem" 2 "stems/nan.wav: channel 1: non-finite sample (NaN) at 0.500000 s" \
    "$OBJR" nan.xml -l 2.0 -o nan.2.0.wav
[ -e nan.2.0.wav ] && err "NaN stem: an output was left"
expect "NaN stem repaired" 0 "1 non-finite sample (NaN/Inf; first: ./stems/nan.wav: channel 1 at 0.500000 s) replaced by silence" \
    "$OBJR" nan.xml -l binaural -o nan.bin.wav --repair-nonfinite -q
[ "$(lines 'non-finite')" = 1 ] || err "NaN stem repaired: not exactly one warning line"
nans=$(ffmpeg -hide_banner -nostats -i nan.bin.wav -af astats -f null - 2>&1 |
    sed -n 's/.*Number of NaNs: *\([0-9.]*\).*/\1/p' | sort -u | tr '\n' ' ')
case "$nans" in "0 0.000000 " | "0 " | "0.000000 ") ;; *) err "repaired binaural render has NaN samples ($nans)" ;; esac
"$ADMTOOL" pack mix.xml -o packed.wav >/dev/null || err "pack of the clean mix failed"
# the same NaN in an ADM BWF (float): track and time
sed 's#stems/obj.wav#stems/nan.wav#' mix.xml >nan2.xml
"$ADMTOOL" pack nan2.xml -o nan.wav --format float >/dev/null 2>&1 || err "pack of the NaN mix failed"
expect "NaN BWF" 2 "nan.wav: track 1: non-finite sample (NaN) at 0.500000 s" "$OBJR" nan.wav -l 7.1.4 -o x.wav
expect "NaN validate" 2 "1 non-finite sample (NaN/Inf; first: ./stems/nan.wav: channel 1 at 0.500000 s)" \
    "$ADMTOOL" validate nan.xml

# objcheck: the same NaN is an input error naming the stem, channel and time (no report), or
# with --repair-nonfinite measured as silence: one warning, exit 0, a report with finite levels
expect "NaN objcheck" 2 "stems/nan.wav: channel 1: non-finite sample (NaN) at 0.500000 s" \
    "$OBJCHECK" nan.xml -o rep --renders 2.0 -q
[ -e rep/report.json ] && err "NaN objcheck: a report was written"
grep -q "value out of range" "$T/out" && err "objcheck still says 'value out of range' for NaN input"
expect "NaN objcheck repaired" 0 "1 non-finite sample (NaN/Inf; first: ./stems/nan.wav: channel 1 at 0.500000 s) measured as silence" \
    "$OBJCHECK" nan.xml -o rep --renders 2.0 -q --repair-nonfinite
[ "$(lines 'non-finite')" = 1 ] || err "NaN objcheck repaired: not exactly one warning line"
python3 - rep/report.json <<'PY' || err "NaN objcheck repaired: report.json not finite JSON"
import json, sys
def bad(c):
    raise ValueError(c)
r = json.load(open(sys.argv[1]), parse_constant=bad)
lufs = [x["integrated_lufs"] for x in r["renders"]]
# a -6 dBFS 440 Hz sine at 30 degrees: every render measures a finite loudness
assert all(isinstance(v, (int, float)) and -40 < v < 0 for v in lufs), lufs
PY

# ---- stem policy ---------------------------------------------------------------------------------
cp stems/obj.wav "$T/outside.wav"
scene "$T/outside.wav" 1 >abs.xml
scene ../stems/obj.wav 1 >sub/up.xml
expect "absolute stem" 2 "abs.xml: line 9: ATU_00000001: stem '$T/outside.wav' is outside the mix.xml's folder" \
    "$OBJR" abs.xml -l 2.0 -o abs.wav
[ "$(wc -l <"$T/out")" = 1 ] || err "absolute stem: not one line"
[ -e abs.wav ] && err "absolute stem: an output was written"
expect "'..' stem" 2 "outside the mix.xml's folder" "$OBJR" sub/up.xml -l 2.0 -o up.wav
expect "'..' stem allowed" 0 "" "$OBJR" sub/up.xml -l 2.0 -o up.wav --allow-external-stems -q
expect "pack absolute stem" 2 "outside the mix.xml's folder" "$ADMTOOL" pack abs.xml -o abs.wav
[ -e abs.wav ] && err "pack absolute stem: the stem was embedded"
expect "pack absolute stem allowed" 0 "" "$ADMTOOL" pack abs.xml -o abs.wav --allow-external-stems
expect "validate absolute stem" 2 "outside the mix.xml's folder" "$ADMTOOL" validate abs.xml
expect "objcheck '..' stem" 2 "ATU_00000001: stem '../stems/obj.wav' is outside the mix.xml's folder" \
    "$OBJCHECK" sub/up.xml -o uprep --renders 2.0 -q
[ -e uprep/report.json ] && err "objcheck '..' stem: a report was written"
expect "objcheck '..' stem allowed" 0 "" "$OBJCHECK" sub/up.xml -o uprep --renders 2.0 -q \
    --allow-external-stems
[ -s uprep/report.json ] || err "objcheck '..' stem allowed: no report"

# ---- stems that still render: one warning each ----------------------------------------------------
sine 1 stems/st.wav 48000 -ac 2 -c:a pcm_s24le
scene stems/st.wav 1 >wide.xml
expect "2-channel stem" 0 "stems/st.wav has 2 channels but the mix.xml reads 1" "$OBJR" wide.xml -l 2.0 -o wide.wav -q
sine 0.5 stems/short.wav 48000 -c:a pcm_s24le
scene stems/short.wav 1 'start="00:00:00.00000" duration="00:00:01.00000"' >short.xml
expect "audio shorter than metadata" 0 "the audio lasts 0.500 s but the metadata 1.000 s" \
    "$OBJR" short.xml -l 2.0 -o short.wav -q
n=$(ffprobe -v error -select_streams a -count_packets -show_entries stream=duration_ts -of csv=p=0 short.wav 2>/dev/null)
[ -z "$n" ] || [ "$n" = 24000 ] || err "audio shorter than metadata: rendered $n frames, expected 24000"

# ---- --start past the end -----------------------------------------------------------------------
expect "--start past the end" 2 "start 5.000 s is at or past the end of the audio (1.000 s)" \
    "$OBJR" mix.xml -l 2.0 -o late.wav --start 5
[ -e late.wav ] && err "--start past the end: an output was written"

# ---- a data chunk one byte short ----------------------------------------------------------------
cp packed.wav cut.wav
truncate -s -1 cut.wav
expect "data one byte short" 0 "the data chunk ends 1 byte before its declared size" \
    "$OBJR" cut.wav -l 2.0 -o cut.2.0.wav -q
n=$(ffprobe -v error -show_entries stream=duration_ts -of csv=p=0 cut.2.0.wav 2>/dev/null)
[ -z "$n" ] || [ "$n" = 47999 ] || err "data one byte short: rendered $n frames, expected 47999"

# ---- UTF-16 mix.xml ------------------------------------------------------------------------------
{ printf '\xff\xfe'; sed 's/UTF-8/UTF-16/' mix.xml | iconv -f UTF-8 -t UTF-16LE; } >mix16.xml
expect "UTF-16 mix.xml" 0 "" "$OBJR" mix16.xml -l 2.0 -o m16.wav -q
"$OBJR" mix.xml -l 2.0 -o m8.wav -q || err "UTF-8 twin failed"
cmp -s m16.wav m8.wav || err "UTF-16 mix.xml renders differently from its UTF-8 twin"

# ---- A-law BWF, 768 kHz binaural -------------------------------------------------------------------
ffmpeg -loglevel error -y -i packed.wav -map_metadata -1 -c:a pcm_alaw alaw_plain.wav
# keep the ADM chunks: splice the A-law fmt/data after packed.wav's chna+axml is not needed:
# objrender must name the encoding before it looks for metadata.
expect "A-law" 2 "A-law samples" "$OBJR" alaw_plain.wav -l 2.0 -o alaw.wav
grep -q "no ADM metadata" "$T/out" && err "A-law: still says 'no ADM metadata'"
sine 0.1 stems/hi.wav 768000 -c:a pcm_s24le
scene stems/hi.wav 1 >hi.xml
expect "768 kHz binaural" 2 "sample rate 768000 Hz: the binaural renderer supports 8000 to 384000 Hz" \
    "$OBJR" hi.xml -l binaural -o hi.wav
expect "768 kHz 2.0" 0 "" "$OBJR" hi.xml -l 2.0 -o hi.wav -q

# ---- FLAC stems --------------------------------------------------------------------------------
ffmpeg -loglevel error -y -i stems/obj.wav stems/obj.flac
scene stems/obj.flac 1 >flac.xml
expect "validate FLAC stem" 0 "0 errors" "$ADMTOOL" validate flac.xml
expect "render FLAC stem" 0 "" "$OBJR" flac.xml -l 2.0 -o flac.wav -q

exit $failed
