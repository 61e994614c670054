#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# End-to-end test of the objrender CLI: builds a tiny scene in the script (a 7.1.4
# DirectSpeakers bed on a 12-channel stem plus one moving Objects stem, written as mix.xml,
# then packed into an ADM BWF with admtool), renders it to 7.1.4, 5.1 and 2.0 from both forms,
# and checks channel count, channel mask, length, routing and --json. Bad input (unknown
# layout, a layout file with two speakers in one place, a missing stem, an unwritable output
# directory, a truncated BWF) must exit non-zero with one line naming the file and leave no
# output behind.
# Usage: test_objrender.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # has()
BUILD=$(cd "$1" && pwd)
OBJR="$BUILD/objrender"
ADMTOOL="$BUILD/admtool"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

command -v ffmpeg >/dev/null || { echo "ffmpeg not installed: skipping"; exit 0; }
command -v ffprobe >/dev/null || { echo "ffprobe not installed: skipping"; exit 0; }
[ -x "$OBJR" ] || fail "$OBJR not built"

# ---- the scene ------------------------------------------------------------------------------
mkdir -p "$T/scene/stems"
# Bed: 12 channels, channel k a sine of 100*(k+1) Hz at -12 dBFS; 1 s, 24-bit.
exprs=""
for k in $(seq 1 12); do exprs="$exprs${exprs:+|}0.25*sin(2*PI*$((100 * k))*t)"; done
ffmpeg -loglevel error -y -f lavfi -i "aevalsrc=exprs=$exprs:s=48000:d=1" \
    -c:a pcm_s24le "$T/scene/stems/bed.wav"
ffmpeg -loglevel error -y -f lavfi -i "sine=frequency=1000:sample_rate=48000:duration=1" \
    -af volume=0.5 -c:a pcm_s24le "$T/scene/stems/obj.wav"

labels=(M+030 M-030 M+000 LFE1 M+090 M-090 M+135 M-135 U+045 U-045 U+135 U-135)
az=(30 -30 0 0 90 -90 135 -135 45 -45 135 -135)
el=(0 0 0 0 0 0 0 0 30 30 30 30)
{
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo '<ebuCoreMain xmlns="urn:ebu:metadata-schema:ebuCore_2016" xmlns:objr="urn:objrender:mix:1"><coreMetadata><format>'
    echo '<audioFormatExtended version="ITU-R_BS.2076-2">'
    echo '<audioProgramme audioProgrammeID="APR_1001" audioProgrammeName="e2e"><audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>'
    echo '<audioContent audioContentID="ACO_1001" audioContentName="all"><audioObjectIDRef>AO_1001</audioObjectIDRef><audioObjectIDRef>AO_1002</audioObjectIDRef></audioContent>'
    echo -n '<audioObject audioObjectID="AO_1001" audioObjectName="bed"><audioPackFormatIDRef>AP_00011001</audioPackFormatIDRef>'
    for k in $(seq 1 12); do printf '<audioTrackUIDRef>ATU_%08X</audioTrackUIDRef>' "$k"; done
    echo '</audioObject>'
    echo '<audioObject audioObjectID="AO_1002" audioObjectName="fly"><audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef><audioTrackUIDRef>ATU_0000000D</audioTrackUIDRef></audioObject>'
    echo -n '<audioPackFormat audioPackFormatID="AP_00011001" audioPackFormatName="bed" typeLabel="0001" typeDefinition="DirectSpeakers">'
    for k in $(seq 1 12); do printf '<audioChannelFormatIDRef>AC_000110%02X</audioChannelFormatIDRef>' "$k"; done
    echo '</audioPackFormat>'
    echo '<audioPackFormat audioPackFormatID="AP_00031001" audioPackFormatName="fly" typeLabel="0003" typeDefinition="Objects"><audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef></audioPackFormat>'
    for k in $(seq 1 12); do
        i=$((k - 1))
        lp=""
        [ "$k" = 4 ] && lp='<frequency typeDefinition="lowPass">120</frequency>'
        printf '<audioChannelFormat audioChannelFormatID="AC_000110%02X" audioChannelFormatName="%s" typeLabel="0001" typeDefinition="DirectSpeakers">%s' "$k" "${labels[$i]}" "$lp"
        printf '<audioBlockFormat audioBlockFormatID="AB_000110%02X_00000001"><speakerLabel>%s</speakerLabel>' "$k" "${labels[$i]}"
        printf '<position coordinate="azimuth">%s</position><position coordinate="elevation">%s</position></audioBlockFormat></audioChannelFormat>\n' "${az[$i]}" "${el[$i]}"
    done
    echo '<audioChannelFormat audioChannelFormatID="AC_00031001" audioChannelFormatName="fly" typeLabel="0003" typeDefinition="Objects">'
    for b in 0 1 2 3; do
        printf '<audioBlockFormat audioBlockFormatID="AB_00031001_%08X" rtime="00:00:00.%05dS48000" duration="00:00:00.12000S48000"><position coordinate="azimuth">%d</position><position coordinate="elevation">0</position></audioBlockFormat>\n' \
            $((b + 1)) $((b * 12000)) $((30 - b * 20))
    done
    echo '</audioChannelFormat>'
    for k in $(seq 1 12); do
        printf '<audioTrackUID UID="ATU_%08X" objr:file="stems/bed.wav" objr:channel="%d"><audioChannelFormatIDRef>AC_000110%02X</audioChannelFormatIDRef><audioPackFormatIDRef>AP_00011001</audioPackFormatIDRef></audioTrackUID>\n' "$k" "$k" "$k"
    done
    echo '<audioTrackUID UID="ATU_0000000D" objr:file="stems/obj.wav" objr:channel="1"><audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef><audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef></audioTrackUID>'
    echo '</audioFormatExtended></format></coreMetadata></ebuCoreMain>'
} >"$T/scene/mix.xml"

probe() { # file -> "channels|layout|frames"
    ffprobe -v error -select_streams a:0 -show_entries stream=channels,channel_layout,duration_ts \
        -of default=nw=1:nk=1 "$1" | paste -sd'|'
}

# ---- mix.xml -> 7.1.4, 5.1, 2.0 with default names -----------------------------------------
"$OBJR" "$T/scene/mix.xml" --layout 7.1.4,5.1,2.0 --quiet || fail "render of mix.xml failed"
for f in mix.7.1.4.wav mix.5.1.wav mix.2.0.wav; do
    [ -f "$T/scene/$f" ] || fail "missing default output $f"
done
p=$(probe "$T/scene/mix.7.1.4.wav")
[ "$p" = "12|12 channels (FL+FR+FC+LFE+BL+BR+SL+SR+TFL+TFR+TBL+TBR)|48000" ] ||
    [ "$p" = "12|7.1.4|48000" ] || fail "7.1.4 output: $p"
p=$(probe "$T/scene/mix.5.1.wav")
[ "$p" = "6|5.1(side)|48000" ] || fail "5.1 output: $p"
p=$(probe "$T/scene/mix.2.0.wav")
[ "$p" = "2|stereo|48000" ] || fail "2.0 output: $p"

# Routing: in the 7.1.4 render each bed channel is on its own speaker. Channel c of the file
# (mask order) must carry the sine of the bed channel with that label; measure by correlating
# with the expected frequency via ffmpeg's per-channel RMS after a narrow band-pass.
order=(M+030 M-030 M+000 LFE1 M+135 M-135 M+090 M-090 U+045 U-045 U+135 U-135)
for c in 0 2 4 6 9; do
    for k in $(seq 0 11); do [ "${labels[$k]}" = "${order[$c]}" ] && src=$k; done
    f=$((100 * (src + 1)))
    lvl=$(ffmpeg -hide_banner -nostats -i "$T/scene/mix.7.1.4.wav" \
        -af "pan=mono|c0=c$c,bandpass=f=$f:width_type=q:w=30,astats=measure_overall=RMS_level:measure_perchannel=none" \
        -f null - 2>&1 | awk '/RMS level dB/ {print $NF}' | tail -1)
    awk -v l="$lvl" 'BEGIN { exit !(l > -20) }' || fail "7.1.4 channel $c (${order[$c]}) lacks its ${f} Hz bed signal (RMS $lvl dB)"
done

# ---- the same scene packed into an ADM BWF renders to the same samples ---------------------
if [ -x "$ADMTOOL" ] && "$ADMTOOL" pack "$T/scene/mix.xml" -o "$T/scene/tiny.wav" >/dev/null 2>&1; then
    # The tiny scene's UIDs reference channel formats directly, so pack writes chna
    # trackRefs as "AC_yyyyxxxx_00": the merge must take them as the XML's channel formats.
    if "$OBJR" "$T/scene/tiny.wav" --layout 7.1.4 --quiet 2>"$T/err"; then
        cmp -s "$T/scene/tiny.7.1.4.wav" "$T/scene/mix.7.1.4.wav" ||
            fail "packed BWF and mix.xml renders differ"
    else
        fail "render of the packed BWF failed: $(cat "$T/err")"
    fi
fi

# ---- BWF form (the demo mix from objdemo: 7.1.2 bed + 5 objects, 30 s), -o pattern, --json --
[ -x "$BUILD/objdemo" ] || fail "objdemo not built"
"$BUILD/objdemo" -o "$T/demo" >/dev/null || fail "objdemo"
cp "$T/demo/mix.wav" "$T/scene/packed.wav"
mkdir -p "$T/out"
"$OBJR" "$T/scene/packed.wav" --layout 7.1.4,2.0 -o "$T/out/r.{layout}.wav" --json --sample-format s24 \
    >"$T/summary.json" || fail "render of the BWF failed"
[ -f "$T/out/r.7.1.4.wav" ] && [ -f "$T/out/r.2.0.wav" ] || fail "-o pattern outputs missing"
grep -q '"DirectSpeakers": 10' "$T/summary.json" || fail "json: DirectSpeakers count"
grep -q '"Objects": 5' "$T/summary.json" || fail "json: Objects count"
grep -q '"channel_mask": 185919' "$T/summary.json" || fail "json: 7.1.4 mask"
grep -q '"frames": 1440000' "$T/summary.json" || fail "json: frames"
p=$(probe "$T/out/r.7.1.4.wav")
[ "${p%%|*}" = 12 ] && [ "${p##*|}" = 1440000 ] || fail "BWF 7.1.4 output: $p"
# The same scene from its mix.xml + stems renders to the same samples.
"$OBJR" "$T/demo/mix.xml" --layout 2.0 -o "$T/out/x.wav" --sample-format s24 --quiet || fail "demo mix.xml"
cmp -s "$T/out/x.wav" "$T/out/r.2.0.wav" || fail "mix.xml and BWF renders differ"
p=$(ffprobe -v error -show_entries stream=sample_fmt,bits_per_raw_sample -of default=nw=1:nk=1 "$T/out/r.7.1.4.wav" | paste -sd'|')
case "$p" in s32*\|24 | s32\|24) ;; *) fail "s24 output format: $p" ;; esac
# -o directory, --start/--duration
"$OBJR" "$T/scene/packed.wav" --layout 5.1 -o "$T/out/" --start 0.25 --duration 0.5 --quiet ||
    fail "render with --start/--duration"
p=$(probe "$T/out/packed.5.1.wav")
[ "$p" = "6|5.1(side)|24000" ] || fail "--duration output: $p"

# ---- bad input: non-zero, one line naming the file, nothing left ----------------------------
expect_fail() { # code file-that-must-not-exist substring-of-message cmd...
    local code=$1 nofile=$2 needle=$3
    shift 3
    set +e
    "$@" 2>"$T/err" >/dev/null
    local rc=$?
    set -e
    [ "$rc" = "$code" ] || fail "expected exit $code, got $rc: $* ($(cat "$T/err"))"
    [ "$(wc -l <"$T/err")" = 1 ] || fail "expected one line on stderr: $(cat "$T/err")"
    grep -qF -- "$needle" "$T/err" || fail "message lacks '$needle': $(cat "$T/err")"
    [ ! -e "$nofile" ] || fail "$nofile left behind"
    ls "$(dirname "$nofile")" | has '\.tmp-' && fail "temporary file left in $(dirname "$nofile")"
    return 0
}
expect_fail 1 "$T/scene/mix.9.9.9.wav" "9.9.9" "$OBJR" "$T/scene/mix.xml" --layout 7.1.4,9.9.9
[ ! -e "$T/scene/mix.7.1.4.new" ]
printf 'name = twin\nM+030 30 0\nM-030 -30 0\nX1 0 0\nX2 1 0\nU+045 45 30\nU-045 -45 30\nB 180 0\n' >"$T/twin.txt"
expect_fail 2 "$T/scene/mix.twin.wav" "twin.txt" "$OBJR" "$T/scene/mix.xml" --layout "$T/twin.txt"
cp "$T/scene/mix.xml" "$T/scene/broken.xml"
sed -i 's#stems/obj.wav#stems/missing.wav#' "$T/scene/broken.xml"
expect_fail 2 "$T/scene/broken.7.1.4.wav" "missing.wav" "$OBJR" "$T/scene/broken.xml" --layout 7.1.4 --quiet
mkdir -p "$T/ro"
chmod 555 "$T/ro"
if [ ! -w "$T/ro" ]; then
    expect_fail 3 "$T/ro/mix.2.0.wav" "$T/ro" "$OBJR" "$T/scene/mix.xml" --layout 2.0 -o "$T/ro/mix.2.0.wav"
fi
chmod 755 "$T/ro"
# A BWF cut short in the middle of its data: the render must fail and leave nothing.
size=$(stat -c %s "$T/scene/packed.wav")
head -c $((size / 2)) "$T/scene/packed.wav" >"$T/scene/cut.wav"
set +e
"$OBJR" "$T/scene/cut.wav" --layout 2.0 --quiet 2>"$T/err"
rc=$?
set -e
if [ "$rc" != 0 ]; then
    [ "$(wc -l <"$T/err")" = 1 ] || fail "truncated BWF: more than one line: $(cat "$T/err")"
    grep -qF "cut.wav" "$T/err" || fail "truncated BWF: message lacks the file: $(cat "$T/err")"
    [ ! -e "$T/scene/cut.2.0.wav" ] || fail "truncated BWF left an output"
fi
ls "$T/scene" | has '\.tmp-' && fail "temporary file left in scene/"
expect_fail 1 "$T/scene/x" "--layout" "$OBJR" "$T/scene/mix.xml"
help=$("$OBJR" --help) # not piped into grep -q: an early exit would SIGPIPE objrender
grep -q "Exit status" <<<"$help" || fail "--help lacks exit codes"
"$OBJR" --list-layouts | has "7.1.4" || fail "--list-layouts lacks 7.1.4"
echo "e2e objrender: ok"
