#!/usr/bin/env bash
# Codec check and delivery tags end to end, read back with independent tools (ffmpeg, ffprobe):
# - objmaster --codec-check mp3,opus,aac on a dense master pushed into a -1 dBTP ceiling: the
#   JSON names LAME and libopus with their versions and bitrates, AAC is skipped with one line
#   saying why; the MP3 decode's true peak agrees with ffmpeg's own LAME encode of the same
#   master measured by ffmpeg's ebur128 meter (within 0.5 dB: another LAME front end, a 4x
#   meter) and is over the ceiling;
# - --codec-safe: every decode at or under the ceiling after bounded re-masters, and ffmpeg's
#   LAME encode of the delivered file too (0.3 dB allowance for ffmpeg's front end and meter);
# - --isrc/--title/--artist/--album land where each format's readers look: FLAC Vorbis
#   comments (ISRC), MP3 ID3v2 (TSRC), CAF info (ISRC; its samples equal the WAV master's),
#   WAV LIST/INFO (title, artist, album) plus an id3 chunk
#   (TSRC), all read back with ffprobe -show_format (ffmpeg prefers INFO over the id3 chunk,
#   so the id3 chunk is read from a copy whose LIST chunk is renamed JUNK); in album mode each
#   track carries its own ISRC;
# - objrender --preset streaming --codec-check mp3 carries the check in --json;
# - usage errors: an unknown codec, a malformed ISRC, --codec-check without a target.
# Usage: bash test_codec_check.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # has()
BUILD=$(cd "$1" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null ||
    { echo "ffmpeg/ffprobe not installed: skipped"; exit 0; }
M="$BUILD/objmaster"

# ffmpeg's true peak (dBFS, one decimal) of a file.
ff_tp() {
    ffmpeg -hide_banner -nostats -i "$1" -af ebur128=peak=true -f null - 2>&1 |
        awk '/^ +Peak:/ {p=$2} END {print p}'
}
le() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a <= b)}'; }
gt() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a > b)}'; }
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN {d=a-b; if (d<0) d=-d; exit !(d <= t)}'; }
# The value of "key": in one JSON object text (first match).
jget() { grep -o "\"$2\": [^,}]*" <<<"$1" | head -1 | sed 's/^[^:]*: //; s/"//g'; }
# One codec's object from the codec_check JSON.
codec_obj() { grep -o "{\"codec\": \"$2\"[^}]*}" <<<"$1"; }
# ffprobe's format tags as "key=value" lines.
tags() { ffprobe -v error -show_entries format_tags -of default=noprint_wrappers=1 "$1"; }

# A dense programme below 6 kHz (two noises through two low-passes, a bass line): nothing in it
# is above LAME's 128 kbps low-pass, so the round trip's error is coding noise only; pushed to
# -7 LUFS the limiter holds it at the ceiling nearly all the time.
ffmpeg -loglevel error -y -f lavfi -i "anoisesrc=d=8:c=white:r=48000:a=0.8:s=7" \
    -f lavfi -i "anoisesrc=d=8:c=white:r=48000:a=0.8:s=8" -f lavfi -i "sine=f=55:d=8:r=48000" \
    -filter_complex "[0]lowpass=f=6000,lowpass=f=6000[a];[1]lowpass=f=6000,lowpass=f=6000[b];[2]asplit[s1][s2];[a][s1]amix=inputs=2:normalize=0[l];[b][s2]amix=inputs=2:normalize=0[r];[l][r]join=inputs=2:channel_layout=stereo" \
    -c:a pcm_s24le "$TMP/in.wav"

# 1. The check on a pushed master.
json=$("$M" --lufs -7 --tp -1 --codec-check mp3,opus,aac --json "$TMP/in.wav" -o "$TMP/m.wav")
mp3=$(codec_obj "$json" mp3)
opus=$(codec_obj "$json" opus)
aac=$(codec_obj "$json" aac)
[ -n "$mp3" ] && [ -n "$opus" ] && [ -n "$aac" ] || fail "codec_check lacks a codec: $json"
grep -q '"encoder": "LAME 3\.[0-9]*' <<<"$mp3" || fail "mp3 encoder not named: $mp3"
grep -q '"encoder": "libopus [0-9]' <<<"$opus" || fail "opus encoder not named: $opus"
grep -q '"checked": false' <<<"$aac" && grep -q '"note": "not checked: ' <<<"$aac" ||
    fail "aac not skipped with a reason: $aac"
near "$(jget "$mp3" measured_kbps)" 128 3 || fail "mp3 bitrate $(jget "$mp3" measured_kbps)"
tp_mp3=$(jget "$mp3" true_peak_dbtp)
gt "$tp_mp3" -1.0 || fail "MP3 decode of a pushed master at $tp_mp3 dBTP: expected over -1"
ffmpeg -loglevel error -y -i "$TMP/m.wav" -c:a libmp3lame -b:a 128k "$TMP/ff.mp3"
ff=$(ff_tp "$TMP/ff.mp3")
near "$tp_mp3" "$ff" 0.5 || fail "MP3 decode peak $tp_mp3 dBTP, ffmpeg's LAME + ebur128 $ff"
"$M" --lufs -7 --tp -1 --codec-check mp3 "$TMP/in.wav" -o "$TMP/t.wav" | has "codec check" ||
    fail "text report lacks the codec check"

# 2. --codec-safe holds the ceiling after the codecs.
json=$("$M" --lufs -8 --tp -1 --codec-safe --json "$TMP/in.wav" -o "$TMP/safe.wav")
grep -q '"all_ok": true' <<<"$json" || fail "codec-safe not ok: $json"
rem=$(jget "$json" remasters)
[ "$rem" -ge 1 ] && [ "$rem" -le 4 ] || fail "codec-safe re-masters: $rem"
for c in mp3 opus; do
    le "$(jget "$(codec_obj "$json" $c)" true_peak_dbtp)" -1.0 || fail "$c decode over: $json"
done
ffmpeg -loglevel error -y -i "$TMP/safe.wav" -c:a libmp3lame -b:a 128k "$TMP/ffs.mp3"
le "$(ff_tp "$TMP/ffs.mp3")" -0.7 || fail "ffmpeg's MP3 of the codec-safe master peaks at $(ff_tp "$TMP/ffs.mp3")"

# 3. Tags where each format's readers look.
for ext in flac mp3 wav caf; do
    "$M" --preset streaming -q --isrc GB-AYE-00-00351 --title "Song é" --artist "The Band" \
        --album "LP" "$TMP/in.wav" -o "$TMP/tag.$ext"
    t=$(tags "$TMP/tag.$ext")
    grep -qx 'TAG:title=Song é' <<<"$t" || fail "$ext title: $t"
    grep -qx 'TAG:artist=The Band' <<<"$t" || fail "$ext artist: $t"
    grep -qx 'TAG:album=LP' <<<"$t" || fail "$ext album: $t"
done
grep -qx 'TAG:ISRC=GBAYE0000351' <<<"$(tags "$TMP/tag.flac")" || fail "FLAC ISRC comment"
grep -qx 'TAG:TSRC=GBAYE0000351' <<<"$(tags "$TMP/tag.mp3")" || fail "MP3 TSRC frame"
grep -qx 'TAG:ISRC=GBAYE0000351' <<<"$(tags "$TMP/tag.caf")" || fail "CAF info ISRC"
# CAF is lossless linear PCM: its samples are the WAV master's, bit for bit (same dither seed)
ffmpeg -v error -i "$TMP/tag.caf" -f s32le -y "$TMP/caf.raw"
ffmpeg -v error -i "$TMP/tag.wav" -f s32le -y "$TMP/wav.raw"
cmp -s "$TMP/caf.raw" "$TMP/wav.raw" || fail "CAF samples differ from the WAV master's"
[ -s "$TMP/caf.raw" ] || fail "CAF decoded to nothing"
cp "$TMP/tag.wav" "$TMP/junk.wav"
off=$(grep -obUa LIST "$TMP/junk.wav" | head -1 | cut -d: -f1)
printf JUNK | dd of="$TMP/junk.wav" bs=1 seek="$off" conv=notrunc 2>/dev/null
t=$(tags "$TMP/junk.wav")
grep -qx 'TAG:TSRC=GBAYE0000351' <<<"$t" || fail "WAV id3 chunk TSRC: $t"
grep -qx 'TAG:title=Song é' <<<"$t" || fail "WAV id3 chunk title: $t"
ffmpeg -v error -i "$TMP/tag.mp3" -f null - 2>&1 | has . && fail "tagged MP3 decodes with errors"
ffmpeg -v error -i "$TMP/tag.flac" -f null - 2>&1 | has . && fail "tagged FLAC decodes with errors"
ffmpeg -v error -i "$TMP/tag.caf" -f null - 2>&1 | has . && fail "tagged CAF decodes with errors"

# Album mode: each track gets its own ISRC (and the CUE sheet lists them).
cp "$TMP/in.wav" "$TMP/a1.wav"
cp "$TMP/in.wav" "$TMP/a2.wav"
mkdir "$TMP/album"
"$M" --album-mode --preset streaming -q --format flac --isrc GBAYE0000351,GB-AYE-00-00352 \
    "$TMP/a1.wav" "$TMP/a2.wav" -o "$TMP/album" --cue "$TMP/album/a.cue"
grep -qx 'TAG:ISRC=GBAYE0000351' <<<"$(tags "$TMP/album/a1.flac")" || fail "album track 1 ISRC"
grep -qx 'TAG:ISRC=GBAYE0000352' <<<"$(tags "$TMP/album/a2.flac")" || fail "album track 2 ISRC"
grep -q 'ISRC GBAYE0000352' "$TMP/album/a.cue" || fail "CUE sheet lacks track 2's ISRC"

# 4. objrender --preset with a codec check.
D="$TMP/demo"
"$BUILD/objdemo" -o "$D" >/dev/null
json=$("$BUILD/objrender" "$D/mix.wav" --layout 2.0 --preset streaming --codec-check mp3 \
    -o "$TMP/r.wav" --json)
grep -q '"codec_check": {' <<<"$json" || fail "objrender --json lacks the codec check"
grep -q '"codec": "mp3", "checked": true' <<<"$json" || fail "objrender mp3 not checked"

# 5. Usage errors.
set +e
"$M" --preset streaming --codec-check mp4 "$TMP/in.wav" -o "$TMP/u.wav" 2>"$TMP/err"
[ $? -eq 1 ] && grep -q "unknown codec 'mp4'" "$TMP/err" || fail "unknown codec not refused"
"$M" --preset streaming --isrc GB-AYE-00 "$TMP/in.wav" -o "$TMP/u.wav" 2>"$TMP/err"
[ $? -eq 1 ] && grep -q "not an ISRC" "$TMP/err" || fail "bad ISRC not refused"
"$BUILD/objrender" "$D/mix.wav" --layout 2.0 --codec-check mp3 -o "$TMP/u.wav" 2>"$TMP/err"
[ $? -eq 1 ] || fail "--codec-check without a target accepted"
set -e
[ ! -e "$TMP/u.wav" ] || fail "a refused run left $TMP/u.wav"
echo "ok"
