#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# End-to-end test of objrender --layout binaural: a mix.xml built here (an object on the
# left, one on the right in cartesian coordinates, an object with headphoneVirtualise
# bypass, a DirectSpeakers LFE channel, a short burst for the room), rendered to binaural:
# stereo output with the FL|FR mask and the input's length; the side each source is heard on;
# the LFE identical at both ears; the room tail present with --binaural-mode far and absent
# with dry; the README demo renders binaural at a loudness close to its stereo render, the
# same bytes in two runs; a
# truncated or garbage --hrtf file and a bad --binaural-mode fail with one line and no output.
# Usage: test_binaural.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # has()
BUILD=$(cd "$1" && pwd)
OBJR="$BUILD/objrender"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

command -v ffmpeg >/dev/null || { echo "ffmpeg not installed: skipping"; exit 0; }
command -v ffprobe >/dev/null || { echo "ffprobe not installed: skipping"; exit 0; }
[ -f /usr/share/libmysofa/default.sofa ] || { echo "no default SOFA file: skipping"; exit 0; }
[ -x "$OBJR" ] || fail "$OBJR not built"

mkdir -p "$T/s/stems"
ffmpeg -loglevel error -y -f lavfi -i "anoisesrc=color=pink:amplitude=0.3:sample_rate=48000:duration=1:seed=7" \
    -c:a pcm_s24le "$T/s/stems/noise.wav"
ffmpeg -loglevel error -y -f lavfi -i "sine=frequency=50:sample_rate=48000:duration=1" \
    -af volume=0.5 -c:a pcm_s24le "$T/s/stems/lfe.wav"
ffmpeg -loglevel error -y -f lavfi -i "anoisesrc=color=white:amplitude=0.5:sample_rate=48000:duration=1:seed=3" \
    -af "volume=enable='gte(t,0.05)':volume=0" -c:a pcm_s24le "$T/s/stems/burst.wav"

# scene(name, object position XML, extra block XML, stem)
scene() {
    local name=$1 pos=$2 extra=$3 stem=$4
    cat >"$T/s/$name.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<ebuCoreMain xmlns="urn:ebu:metadata-schema:ebuCore_2016" xmlns:objr="urn:objrender:mix:1"><coreMetadata><format>
<audioFormatExtended version="ITU-R_BS.2076-2">
<audioProgramme audioProgrammeID="APR_1001" audioProgrammeName="e2e"><audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>
<audioContent audioContentID="ACO_1001" audioContentName="all"><audioObjectIDRef>AO_1001</audioObjectIDRef></audioContent>
<audioObject audioObjectID="AO_1001" audioObjectName="src"><audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef><audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>
<audioPackFormat audioPackFormatID="AP_00031001" audioPackFormatName="src" typeLabel="0003" typeDefinition="Objects"><audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef></audioPackFormat>
<audioChannelFormat audioChannelFormatID="AC_00031001" audioChannelFormatName="src" typeLabel="0003" typeDefinition="Objects">
<audioBlockFormat audioBlockFormatID="AB_00031001_00000001">$pos$extra</audioBlockFormat></audioChannelFormat>
<audioTrackUID UID="ATU_00000001" objr:file="stems/$stem" objr:channel="1"><audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef><audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef></audioTrackUID>
</audioFormatExtended></format></coreMetadata></ebuCoreMain>
EOF
}
polar() { echo "<position coordinate=\"azimuth\">$1</position><position coordinate=\"elevation\">$2</position>"; }
cart() { echo "<cartesian>1</cartesian><position coordinate=\"X\">$1</position><position coordinate=\"Y\">$2</position><position coordinate=\"Z\">0</position>"; }

rms() { # file channel [filter] -> RMS dB
    ffmpeg -hide_banner -nostats -i "$1" \
        -af "pan=mono|c0=$2${3:+,$3},astats=measure_overall=RMS_level:measure_perchannel=none" \
        -f null - 2>&1 | awk '/RMS level dB/ {print $NF}' | tail -1
}
gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }
num_or_inf() { [ "$1" = "-inf" ] && echo -200 || echo "$1"; }

# ---- sides --------------------------------------------------------------------------------
scene left "$(polar 90 0)" "" noise.wav
scene right "$(cart 1 0)" "" noise.wav
scene bypass "$(polar 90 0)" '<headphoneVirtualise bypass="1"/>' noise.wav
for n in left right bypass; do
    "$OBJR" "$T/s/$n.xml" --layout binaural --binaural-mode dry --quiet ||
        fail "binaural render of $n.xml failed"
done
p=$(ffprobe -v error -select_streams a:0 -show_entries stream=channels,channel_layout,duration_ts \
    -of default=nw=1:nk=1 "$T/s/left.binaural.wav" | paste -sd'|')
[ "$p" = "2|stereo|48000" ] || fail "binaural output: $p (want 2 channels, FL|FR, 48000 frames)"
l=$(rms "$T/s/left.binaural.wav" c0) r=$(rms "$T/s/left.binaural.wav" c1)
gt "$l" "$(echo "$r" | awk '{print $1 + 6}')" || fail "object at azimuth +90: left $l dB, right $r dB"
l=$(rms "$T/s/right.binaural.wav" c0) r=$(rms "$T/s/right.binaural.wav" c1)
gt "$r" "$(echo "$l" | awk '{print $1 + 3}')" || fail "cartesian X=+1: left $l dB, right $r dB"
# headphoneVirtualise bypass: plain constant-power pan, nothing at the far ear
l=$(rms "$T/s/bypass.binaural.wav" c0) r=$(num_or_inf "$(rms "$T/s/bypass.binaural.wav" c1)")
gt "$l" -40 && gt -90 "$r" || fail "bypass object at +90: left $l dB, right $r dB"

# ---- LFE: a DirectSpeakers LFE channel reaches both ears identically ------------------------
cat >"$T/s/lfe.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<ebuCoreMain xmlns="urn:ebu:metadata-schema:ebuCore_2016" xmlns:objr="urn:objrender:mix:1"><coreMetadata><format>
<audioFormatExtended version="ITU-R_BS.2076-2">
<audioProgramme audioProgrammeID="APR_1001" audioProgrammeName="e2e"><audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>
<audioContent audioContentID="ACO_1001" audioContentName="all"><audioObjectIDRef>AO_1001</audioObjectIDRef></audioContent>
<audioObject audioObjectID="AO_1001" audioObjectName="lfe"><audioPackFormatIDRef>AP_00011001</audioPackFormatIDRef><audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>
<audioPackFormat audioPackFormatID="AP_00011001" audioPackFormatName="lfe" typeLabel="0001" typeDefinition="DirectSpeakers"><audioChannelFormatIDRef>AC_00011001</audioChannelFormatIDRef></audioPackFormat>
<audioChannelFormat audioChannelFormatID="AC_00011001" audioChannelFormatName="LFE1" typeLabel="0001" typeDefinition="DirectSpeakers"><frequency typeDefinition="lowPass">120</frequency>
<audioBlockFormat audioBlockFormatID="AB_00011001_00000001"><speakerLabel>LFE1</speakerLabel><position coordinate="azimuth">0</position><position coordinate="elevation">-30</position></audioBlockFormat></audioChannelFormat>
<audioTrackUID UID="ATU_00000001" objr:file="stems/lfe.wav" objr:channel="1"><audioChannelFormatIDRef>AC_00011001</audioChannelFormatIDRef><audioPackFormatIDRef>AP_00011001</audioPackFormatIDRef></audioTrackUID>
</audioFormatExtended></format></coreMetadata></ebuCoreMain>
EOF
"$OBJR" "$T/s/lfe.xml" --layout binaural --quiet || fail "LFE render failed"
l=$(rms "$T/s/lfe.binaural.wav" c0) in=$(rms "$T/s/stems/lfe.wav" c0)
d=$(num_or_inf "$(rms "$T/s/lfe.binaural.wav" "c0-c1")")
# 50 Hz through the 120 Hz Linkwitz-Riley low-pass (0 dB there) to each ear with half of a
# loudspeaker feed's power (-3 dB) and the direct sound's level calibration (0 to -3 dB for
# MIT KEMAR): 2.5 to 6.5 dB under the input
awk -v a="$l" -v b="$in" 'BEGIN { exit !(b - a > 2.5 && b - a < 6.5) }' ||
    fail "LFE at the left ear $l dB, input $in dB"
gt -120 "$d" || fail "LFE differs between the ears (difference $d dB)"

# ---- room: a 50 ms burst; the tail 0.3..0.9 s ------------------------------------------------
scene burst "$(polar 30 0)" "" burst.wav
tail_rms() { num_or_inf "$(rms "$1" c0 "atrim=start=0.3:end=0.9")"; }
"$OBJR" "$T/s/burst.xml" --layout binaural --binaural-mode dry -o "$T/s/dry.wav" --quiet
"$OBJR" "$T/s/burst.xml" --layout binaural --binaural-mode far -o "$T/s/far.wav" --quiet
td=$(tail_rms "$T/s/dry.wav") tf=$(tail_rms "$T/s/far.wav")
gt -100 "$td" || fail "dry render has a tail ($td dB)"
gt "$tf" -75 || fail "far render has no room tail ($tf dB)"

# ---- bad input --------------------------------------------------------------------------------
head -c 5000 /usr/share/libmysofa/default.sofa >"$T/cut.sofa"
echo "not a sofa file" >"$T/text.sofa"
for h in cut text; do
    set +e
    err=$("$OBJR" "$T/s/left.xml" --layout binaural --hrtf "$T/$h.sofa" -o "$T/s/bad.wav" --quiet 2>&1)
    rc=$?
    set -e
    [ "$rc" = 2 ] || fail "--hrtf $h.sofa: exit $rc (want 2)"
    [ "$(echo "$err" | wc -l)" = 1 ] || fail "--hrtf $h.sofa: not one line: $err"
    echo "$err" | has "$h.sofa" || fail "--hrtf $h.sofa: message does not name the file: $err"
    [ ! -e "$T/s/bad.wav" ] || fail "--hrtf $h.sofa left an output file"
done
# a byte-mutated MIT KEMAR file on which libmysofa 1.3.1's HDF5 parser overruns a buffer
cp /usr/share/libmysofa/default.sofa "$T/mutant.sofa"
for pv in 69:ec 2357:97 4828:67 4939:dc 6453:2a 7166:97; do
    printf "\\x${pv#*:}" | dd of="$T/mutant.sofa" bs=1 seek=$((${pv%%:*} - 1)) conv=notrunc status=none
done
set +e
err=$("$OBJR" "$T/s/left.xml" --layout binaural --hrtf "$T/mutant.sofa" -o "$T/s/bad.wav" --quiet 2>&1)
rc=$?
set -e
[ "$rc" = 2 ] || fail "--hrtf mutant.sofa: exit $rc (want 2): $err"
echo "$err" | has "mutant.sofa" || fail "--hrtf mutant.sofa: message does not name the file: $err"
[ ! -e "$T/s/bad.wav" ] || fail "--hrtf mutant.sofa left an output file"
set +e
"$OBJR" "$T/s/left.xml" --layout binaural --binaural-mode loud -o "$T/s/bad.wav" 2>/dev/null
rc=$?
set -e
[ "$rc" = 1 ] || fail "--binaural-mode loud: exit $rc (want 1)"
set +e
"$OBJR" "$T/s/left.xml" --layout binaural --hrtf-eq flat -o "$T/s/bad.wav" 2>/dev/null
rc=$?
set -e
[ "$rc" = 1 ] || fail "--hrtf-eq flat: exit $rc (want 1)"
[ ! -e "$T/s/bad.wav" ] || fail "--hrtf-eq flat left an output file"
# the diffuse-field equaliser (default) against the raw set, same object at +90: the raw MIT
# KEMAR set is 10 dB short below 500 Hz, so the equalised render has more low end and the
# same side stays louder
"$OBJR" "$T/s/left.xml" --layout binaural --binaural-mode dry --hrtf-eq none --quiet \
    -o "$T/s/left.raw.wav"
lo_eq=$(rms "$T/s/left.binaural.wav" c0 lowpass=f=300) lo_raw=$(rms "$T/s/left.raw.wav" c0 lowpass=f=300)
gt "$lo_eq" "$(echo "$lo_raw" | awk '{print $1 + 5}')" ||
    fail "--hrtf-eq: low end equalised $lo_eq dB, raw $lo_raw dB (want 5 dB more)"
l=$(rms "$T/s/left.raw.wav" c0) r=$(rms "$T/s/left.raw.wav" c1)
gt "$l" "$(echo "$r" | awk '{print $1 + 6}')" || fail "--hrtf-eq none at +90: left $l, right $r"

# ---- the README demo (scripts/demo.sh): binaural from the first command ----------------------
SRC=$(cd "$2" && pwd)
if [ -x "$BUILD/objdemo" ] && [ -x "$BUILD/admtool" ]; then
    OBJR_BUILD_DIR="$BUILD" bash "$SRC/scripts/demo.sh" "$T/demo" >"$T/demo.log" 2>&1 ||
        { cat "$T/demo.log"; fail "scripts/demo.sh"; }
    [ -s "$T/demo/mix.binaural.wav" ] || fail "demo: no mix.binaural.wav"
    # the binaural render is calibrated against the 2.0 render (README "Binaural levels"):
    # uncorrelated frontal and diffuse content within 1 LU (tests/unit/test_binaural_level.c);
    # the demo's bed carries its drums and bass in L, R and C at once, which add in amplitude
    # at the ears (as from loudspeakers) but in power in the 2.0 feeds' BS.1770 sum, so here
    # the binaural render may read up to 2 LU louder, never quieter by more than 1
    lufs() { "$BUILD/objmaster" --measure "$1" | awk '/integrated/ {print $2}'; }
    ls=$(lufs "$T/demo/mix.2.0.wav") lb=$(lufs "$T/demo/mix.binaural.wav")
    awk -v a="$ls" -v b="$lb" 'BEGIN { d = b - a; exit !(d < 2 && d > -1) }' ||
        fail "demo: binaural loudness $lb LUFS against the 2.0 render's $ls LUFS"
    # bit-reproducible: a second process renders the same bytes
    "$OBJR" "$T/demo/mix.xml" --layout binaural -o "$T/demo/again.wav" --quiet ||
        fail "demo: second binaural render"
    cmp -s "$T/demo/mix.binaural.wav" "$T/demo/again.wav" ||
        fail "demo: two binaural renders of the same mix differ"
fi
echo "binaural e2e: ok"
