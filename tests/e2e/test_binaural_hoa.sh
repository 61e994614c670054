#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# End-to-end test of HOA content rendered with --layout binaural: a mix.xml built here holds a
# first-order HOA pack (ACN/SN3D, BS.2076-2 typeDefinition HOA) carrying a plane wave of pink
# noise from the left (W = Y = noise, Z = X = silence); rendered to binaural it must succeed,
# give a stereo file of the input's length whose left ear is clearly louder, with a sane level
# (not silent, below full scale); the same pack written in FuMa renders the same; rendering
# binaural and 7.1.4 together works; an order-11 channel and a channel without order/degree
# fail with one line naming the element, a non-zero exit and no output file.
# Usage: test_binaural_hoa.sh BUILD_DIR SOURCE_DIR
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
ffmpeg -loglevel error -y -f lavfi -i "anoisesrc=color=pink:amplitude=0.2:sample_rate=48000:duration=1:seed=5" \
    -c:a pcm_s24le "$T/s/stems/noise.wav"
ffmpeg -loglevel error -y -f lavfi -i "anullsrc=r=48000:cl=mono" -t 1 -c:a pcm_s24le "$T/s/stems/silence.wav"
# FuMa W carries 1/sqrt(2) of SN3D's
ffmpeg -loglevel error -y -i "$T/s/stems/noise.wav" -af "volume=0.70710678" -c:a pcm_s24le \
    "$T/s/stems/noise_w_fuma.wav"

# hoa(name, normalisation, [order of the last channel], [omit order/degree of the last: 1])
hoa() {
    local name=$1 norm=$2 last_order=${3:-1} no_od=${4:-0}
    local orders=(0 1 1 "$last_order") degrees=(0 -1 0 1)
    local stems=(noise.wav noise.wav silence.wav silence.wav)
    [ "$norm" = FuMa ] && stems[0]=noise_w_fuma.wav
    {
        cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<ebuCoreMain xmlns="urn:ebu:metadata-schema:ebuCore_2016" xmlns:objr="urn:objrender:mix:1"><coreMetadata><format>
<audioFormatExtended version="ITU-R_BS.2076-2">
<audioProgramme audioProgrammeID="APR_1001" audioProgrammeName="e2e"><audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>
<audioContent audioContentID="ACO_1001" audioContentName="all"><audioObjectIDRef>AO_1001</audioObjectIDRef></audioContent>
<audioObject audioObjectID="AO_1001" audioObjectName="field"><audioPackFormatIDRef>AP_00041001</audioPackFormatIDRef>
EOF
        for c in 1 2 3 4; do echo "<audioTrackUIDRef>ATU_0000000$c</audioTrackUIDRef>"; done
        echo '</audioObject>'
        echo '<audioPackFormat audioPackFormatID="AP_00041001" audioPackFormatName="foa" typeLabel="0004" typeDefinition="HOA">'
        for c in 1 2 3 4; do echo "<audioChannelFormatIDRef>AC_0004100$c</audioChannelFormatIDRef>"; done
        echo '</audioPackFormat>'
        for c in 0 1 2 3; do
            local od="<order>${orders[$c]}</order><degree>${degrees[$c]}</degree>"
            [ "$no_od" = 1 ] && [ "$c" = 3 ] && od=""
            echo "<audioChannelFormat audioChannelFormatID=\"AC_0004100$((c + 1))\" audioChannelFormatName=\"ACN$c\" typeLabel=\"0004\" typeDefinition=\"HOA\">"
            echo "<audioBlockFormat audioBlockFormatID=\"AB_0004100$((c + 1))_00000001\">$od<normalization>$norm</normalization></audioBlockFormat></audioChannelFormat>"
        done
        for c in 0 1 2 3; do
            echo "<audioTrackUID UID=\"ATU_0000000$((c + 1))\" objr:file=\"stems/${stems[$c]}\" objr:channel=\"1\"><audioChannelFormatIDRef>AC_0004100$((c + 1))</audioChannelFormatIDRef><audioPackFormatIDRef>AP_00041001</audioPackFormatIDRef></audioTrackUID>"
        done
        echo '</audioFormatExtended></format></coreMetadata></ebuCoreMain>'
    } >"$T/s/$name.xml"
}

stat() { # file channel measure -> value
    ffmpeg -hide_banner -nostats -i "$1" \
        -af "pan=mono|c0=$2,astats=measure_overall=$3:measure_perchannel=none" \
        -f null - 2>&1 | awk -v m="$(echo "$3" | tr _ ' ')" 'index($0, m) {print $NF}' | tail -1
}
gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }

# ---- a plane wave from the left --------------------------------------------------------------
hoa left SN3D
"$OBJR" "$T/s/left.xml" --layout binaural --quiet || fail "binaural render of an HOA pack failed"
out="$T/s/left.binaural.wav"
p=$(ffprobe -v error -select_streams a:0 -show_entries stream=channels,duration_ts \
    -of default=nw=1:nk=1 "$out" | paste -sd'|')
[ "$p" = "2|48000" ] || fail "binaural output: $p (want 2 channels, 48000 frames)"
l=$(stat "$out" c0 RMS_level) r=$(stat "$out" c1 RMS_level) pk=$(stat "$out" c0 Peak_level)
echo "HOA plane wave from the left: left ear $l dB, right ear $r dB RMS, left peak $pk dBFS"
gt "$l" -50 || fail "left ear nearly silent: $l dB"
gt -0.5 "$pk" || fail "left ear at full scale ($pk dBFS): not a sane render"
gt "$l" "$(echo "$r" | awk '{print $1 + 3}')" || fail "plane wave from +90: left $l dB, right $r dB"

# ---- FuMa: the same field written with FuMa weights renders the same --------------------------
hoa fuma FuMa
"$OBJR" "$T/s/fuma.xml" --layout binaural --quiet || fail "binaural render of a FuMa pack failed"
ffmpeg -loglevel error -y -i "$out" -i "$T/s/fuma.binaural.wav" \
    -filter_complex "[1:a]volume=-1[n];[0:a][n]amix=inputs=2:normalize=0" -c:a pcm_f32le "$T/s/diff.wav"
d=$(stat "$T/s/diff.wav" c0 RMS_level)
echo "FuMa render minus SN3D render: $d dB RMS"
[ "$d" = "-inf" ] || gt "$(echo "$l" | awk '{print $1 - 60}')" "$d" ||
    fail "FuMa and SN3D renders differ: difference $d dB vs $l dB"

# ---- binaural next to a loudspeaker layout ------------------------------------------------------
"$OBJR" "$T/s/left.xml" --layout binaural --layout 7.1.4 --quiet ||
    fail "binaural + 7.1.4 render of an HOA pack failed"
[ -s "$T/s/left.7.1.4.wav" ] || fail "no 7.1.4 output next to the binaural one"

# ---- bad input: one line, non-zero exit, no output -------------------------------------------
hoa order11 SN3D 11
hoa noorder SN3D 1 1
for n in order11 noorder; do
    set +e
    err=$("$OBJR" "$T/s/$n.xml" --layout binaural -o "$T/s/bad.wav" --quiet 2>&1)
    rc=$?
    set -e
    [ "$rc" != 0 ] || fail "$n.xml: exit 0"
    [ "$(echo "$err" | wc -l)" = 1 ] || fail "$n.xml: not one line: $err"
    echo "$err" | has "AC_00041004\|AP_00041001" || fail "$n.xml: message names no element: $err"
    [ ! -e "$T/s/bad.wav" ] || fail "$n.xml left an output file"
    echo "$n.xml: $err"
done
echo "binaural HOA e2e: ok"
