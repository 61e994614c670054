#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# No render clips silently. A 2.0 DirectSpeakers bed (which renders to 2.0 with unit gains,
# BS.2127 §8 label match) carries a stem built so that the number of samples over full scale
# after --gain 6.0206 (x2) is known exactly: left 0.75 on 7 of every 100 samples from sample
# 50 (3360 in 1 s at 48 kHz), right -0.75 on 3 of every 100 (1440), 0.25 elsewhere. Expected:
# integer output: one warning line with 4800 samples in 2 channels, first at 50/48000 s, peak
# 20*log10(1.5) = +3.52 dBFS; --fail-on-overload: exit 3 and no file; float output: the same
# count reported as over 0 dBFS; --json: per-channel counts, sample and true peaks; no warning
# at all without the gain.
# Usage: test_levels.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # has()
BUILD=$(cd "$1" && pwd)
OBJR="$BUILD/objrender"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
err() { echo "test_levels: FAIL: $*" >&2; fail=1; }
command -v ffmpeg >/dev/null || { echo "ffmpeg not installed: skipping"; exit 0; }

mkdir -p "$T/s/stems"
ffmpeg -loglevel error -y -f lavfi \
    -i "aevalsrc=exprs='if(lt(mod(n+50\,100)\,7)*gte(n\,50)\,0.75\,0.25)|if(lt(mod(n+50\,100)\,3)*gte(n\,50)\,-0.75\,0.25)':s=48000:d=1" \
    -c:a pcm_s24le "$T/s/stems/bed.wav" || { err "ffmpeg"; exit 1; }
{
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo '<ebuCoreMain xmlns="urn:ebu:metadata-schema:ebuCore_2016" xmlns:objr="urn:objrender:mix:1"><coreMetadata><format><audioFormatExtended version="ITU-R_BS.2076-2">'
    echo '<audioProgramme audioProgrammeID="APR_1001" audioProgrammeName="lv"><audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>'
    echo '<audioContent audioContentID="ACO_1001" audioContentName="c"><audioObjectIDRef>AO_1001</audioObjectIDRef></audioContent>'
    echo '<audioObject audioObjectID="AO_1001" audioObjectName="bed"><audioPackFormatIDRef>AP_00011001</audioPackFormatIDRef><audioTrackUIDRef>ATU_00000001</audioTrackUIDRef><audioTrackUIDRef>ATU_00000002</audioTrackUIDRef></audioObject>'
    echo '<audioPackFormat audioPackFormatID="AP_00011001" audioPackFormatName="bed" typeLabel="0001" typeDefinition="DirectSpeakers"><audioChannelFormatIDRef>AC_00011001</audioChannelFormatIDRef><audioChannelFormatIDRef>AC_00011002</audioChannelFormatIDRef></audioPackFormat>'
    i=1
    for l in "M+030 30" "M-030 -30"; do
        set -- $l
        printf '<audioChannelFormat audioChannelFormatID="AC_0001100%d" audioChannelFormatName="%s" typeLabel="0001" typeDefinition="DirectSpeakers"><audioBlockFormat audioBlockFormatID="AB_0001100%d_00000001"><speakerLabel>%s</speakerLabel><position coordinate="azimuth">%s</position><position coordinate="elevation">0</position></audioBlockFormat></audioChannelFormat>\n' $i "$1" $i "$1" "$2"
        printf '<audioTrackUID UID="ATU_0000000%d" objr:file="stems/bed.wav" objr:channel="%d"><audioChannelFormatIDRef>AC_0001100%d</audioChannelFormatIDRef><audioPackFormatIDRef>AP_00011001</audioPackFormatIDRef></audioTrackUID>\n' $i $i $i
        i=$((i + 1))
    done
    echo '</audioFormatExtended></format></coreMetadata></ebuCoreMain>'
} >"$T/s/mix.xml"
G=6.020599913 # 20*log10(2)

# integer output: one warning line, exit 0, the file written
for sf in s16 s24; do
    "$OBJR" "$T/s/mix.xml" -l 2.0 -g $G --sample-format $sf -o "$T/$sf.wav" -q 2>"$T/err"; rc=$?
    [ $rc = 0 ] || err "$sf: exit $rc: $(cat "$T/err")"
    [ -f "$T/$sf.wav" ] || err "$sf: no file"
    [ "$(grep -c warning "$T/err")" = 1 ] || err "$sf: expected one warning line: $(cat "$T/err")"
    grep -q "4800 samples clipped in 2 channels (first at 0.001 s, peak +3.52 dBFS)" "$T/err" ||
        err "$sf: warning says: $(cat "$T/err")"
done
# --fail-on-overload: exit 3, no file, the count named
"$OBJR" "$T/s/mix.xml" -l 2.0 -g $G --sample-format s24 -o "$T/f.wav" --fail-on-overload 2>"$T/err"; rc=$?
[ $rc = 3 ] || err "--fail-on-overload: exit $rc, expected 3: $(cat "$T/err")"
[ -e "$T/f.wav" ] && err "--fail-on-overload left a file"
ls "$T" | has '^f\.wav\.' && err "--fail-on-overload left a temporary file: $(ls "$T")"
grep -q "4800 samples" "$T/err" || err "--fail-on-overload: $(cat "$T/err")"
# float output: reported the same way, kept in the file; with --fail-on-overload refused
"$OBJR" "$T/s/mix.xml" -l 2.0 -g $G -o "$T/f32.wav" 2>"$T/err"; rc=$?
[ $rc = 0 ] && [ -f "$T/f32.wav" ] || err "f32: exit $rc"
grep -q "warning: .*4800 samples over 0 dBFS in 2 channels (first at 0.001 s, peak +3.52 dBFS)" "$T/err" ||
    err "f32 warning: $(cat "$T/err")"
"$OBJR" "$T/s/mix.xml" -l 2.0 -g $G -o "$T/f32b.wav" --fail-on-overload 2>/dev/null; rc=$?
[ $rc = 3 ] && [ ! -e "$T/f32b.wav" ] || err "f32 --fail-on-overload: exit $rc"
# --json: per-channel overload counts, sample peaks (before quantisation) and the true peaks
# of the written file: float keeps the overs (true peak >= the +3.52 dBFS sample peak), s24
# holds full-scale samples where it clipped (true peak >= 0 dBTP: the reconstruction of a
# full-scale step overshoots)
for sf in f32 s24; do
    "$OBJR" "$T/s/mix.xml" -l 2.0 -g $G --sample-format $sf -o "$T/j.wav" --json 2>/dev/null >"$T/j.json" || err "json run"
    python3 - "$T/j.json" $sf <<'PY' || err "--json figures ($sf)"
import json, sys, math
d = json.load(open(sys.argv[1]))
o = d["outputs"][0]
assert o["overloads"] == [3360, 1440], o["overloads"]
assert abs(o["first_overload_s"] - 50 / 48000) < 1e-6, o["first_overload_s"]
pk = 20 * math.log10(1.5)
assert all(abs(p - pk) < 0.01 for p in o["peak_dbfs"]), o["peak_dbfs"]
assert len(o["true_peak_dbtp"]) == 2
floor = pk if sys.argv[2] == "f32" else 0.0
assert all(t >= floor - 0.01 for t in o["true_peak_dbtp"]), o
PY
done
# no gain: nothing over, no warning, --fail-on-overload passes
"$OBJR" "$T/s/mix.xml" -l 2.0 --sample-format s16 -o "$T/ok.wav" --fail-on-overload 2>"$T/err"; rc=$?
[ $rc = 0 ] && [ -f "$T/ok.wav" ] || err "no overload: exit $rc"
grep -q warning "$T/err" && err "no overload: warned: $(cat "$T/err")"
exit $fail
