#!/usr/bin/env bash
# objcheck end to end: a small mix.xml scene (stems made with ffmpeg) with a front vocal and an
# front overhead object at U+045. Default fold-downs pass (exit 0), the binaural render is in the
# comparison with its HRTF set named in report.json, the summary and report.html (legends
# included), --hrtf/--binaural-mode are honoured, and a missing SOFA file is exit 2 with one
# line naming it; dropping the heights makes the
# object vanish from the fold-downs: exit 5 (a check failed) and report.json names it. Bad
# input and options give one clear line and the README exit codes (2 input, 1 usage, 3 output). The HTML report is loaded in headless Chromium: no
# script errors, the page's own plot check passes (7 plots with geometry), and a screenshot
# has drawn (coloured) pixels inside every plot's rectangle (cropped and counted with ffmpeg).
# Usage: bash test_check.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD=$(cd "$1" && pwd)
CHECK="$BUILD/objcheck"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "test_check: FAIL: $*" >&2; exit 1; }
command -v ffmpeg >/dev/null || { echo "test_check: ffmpeg not installed: skipped"; exit 0; }

mkdir -p "$T/scene"
noise() { # out seed
    ffmpeg -v error -f lavfi -i "anoisesrc=d=3:c=pink:a=0.2:seed=$2,afade=t=in:d=0.02,afade=t=out:st=2.98:d=0.02" \
        -ar 48000 -ac 1 -c:a pcm_f32le -y "$1"
}
noise "$T/scene/vocal.wav" 1
noise "$T/scene/fx.wav" 2
obj() { # idx name az el stem
    local id=$1
    printf '<audioObject audioObjectID="AO_%s" audioObjectName="%s"><audioPackFormatIDRef>AP_0003%s</audioPackFormatIDRef><audioTrackUIDRef>ATU_0000%s</audioTrackUIDRef></audioObject>\n' "$id" "$2" "$id" "$id"
    printf '<audioPackFormat audioPackFormatID="AP_0003%s" audioPackFormatName="%s" typeLabel="0003" typeDefinition="Objects"><audioChannelFormatIDRef>AC_0003%s</audioChannelFormatIDRef></audioPackFormat>\n' "$id" "$2" "$id"
    printf '<audioChannelFormat audioChannelFormatID="AC_0003%s" audioChannelFormatName="%s" typeLabel="0003" typeDefinition="Objects"><audioBlockFormat audioBlockFormatID="AB_0003%s_00000001"><position coordinate="azimuth">%s</position><position coordinate="elevation">%s</position><gain>0.5</gain></audioBlockFormat></audioChannelFormat>\n' "$id" "$2" "$id" "$3" "$4"
    printf '<audioTrackUID UID="ATU_0000%s" objr:file="%s" objr:channel="1"><audioChannelFormatIDRef>AC_0003%s</audioChannelFormatIDRef><audioPackFormatIDRef>AP_0003%s</audioPackFormatIDRef></audioTrackUID>\n' "$id" "$5" "$id" "$id"
}
{
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo '<ebuCoreMain xmlns="urn:ebu:metadata-schema:ebuCore_2016" xmlns:objr="urn:objrender:mix:1"><coreMetadata><format><audioFormatExtended version="ITU-R_BS.2076-2">'
    echo '<audioProgramme audioProgrammeID="APR_1001" audioProgrammeName="e2e"><audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>'
    echo '<audioContent audioContentID="ACO_1001" audioContentName="all"><audioObjectIDRef>AO_1001</audioObjectIDRef><audioObjectIDRef>AO_1002</audioObjectIDRef></audioContent>'
    obj 1001 "Vocal" 0 0 vocal.wav
    obj 1002 "Overhead FX" 45 30 fx.wav
    echo '</audioFormatExtended></format></coreMetadata></ebuCoreMain>'
} >"$T/scene/mix.xml"

# ---- defaults: heights folded at -3 dB: no check fails --------------------------------------
mkdir -p "$T/ok"
"$CHECK" "$T/scene/mix.xml" -o "$T/ok" >"$T/ok/out.txt" || fail "default check exited $? (expected 0)"
grep -q '^verdict: ' "$T/ok/out.txt" || fail "no verdict line in the summary"
grep -q '"lfe_policy": "drop"' "$T/ok/report.json" || fail "LFE policy not reported"
[ -s "$T/ok/report.html" ] || fail "no report.html"

# ---- heights dropped: the overhead object vanishes from the fold-downs ----------------------
mkdir -p "$T/drop"
set +e
"$CHECK" "$T/scene/mix.xml" -o "$T/drop" --height-trim off -q
rc=$?
set -e
[ "$rc" = 5 ] || fail "heights dropped: exit $rc, expected 5 (a check failed)"
[ -s "$T/drop/report.json" ] && [ -s "$T/drop/report.html" ] || fail "failed check: no report written"
grep -q "AO_1002 'Overhead FX' vanishes from 2.0 Lo/Ro fold-down" "$T/drop/report.json" ||
    fail "report.json does not name the vanished object"
if grep -q "AO_1001 'Vocal' \(falls\|vanishes\)" "$T/drop/report.json"; then fail "the vocal is flagged"; fi

# thresholds from a file and --set: a strict loudness tolerance makes the default run fail
printf '# strict\nloudness_delta_warn = 0.001\nloudness_delta_fail=0.002\n' >"$T/th.txt"
for how in "--thresholds $T/th.txt" "--set loudness_delta_fail=0.002"; do
    set +e
    # shellcheck disable=SC2086
    "$CHECK" "$T/scene/mix.xml" -o "$T/ok" -q $how; rc=$?
    set -e
    [ "$rc" = 5 ] || fail "$how: exit $rc, expected 5"
done

# ---- the same scene as an ADM BWF (admtool pack) measures the same ---------------------------
if [ -x "$BUILD/admtool" ] && "$BUILD/admtool" pack "$T/scene/mix.xml" -o "$T/scene/mix.wav" >/dev/null 2>&1; then
    "$CHECK" "$T/scene/mix.wav" -o "$T/bwf" -q || fail "check of the packed BWF failed"
    a=$(grep -o '"integrated_lufs": [-0-9.]*' "$T/ok/report.json")
    b=$(grep -o '"integrated_lufs": [-0-9.]*' "$T/bwf/report.json")
    [ "$a" = "$b" ] || fail "BWF and mix.xml renders measure differently: $a vs $b"
else
    echo "test_check: admtool pack unavailable: BWF input not checked"
fi

# ---- bad input and options ------------------------------------------------------------------
set +e
"$CHECK" "$T/nope.xml" -o "$T" 2>"$T/err.txt"; rc=$?
set -e
[ "$rc" = 2 ] || fail "missing input: exit $rc, expected 2"
grep -q "nope.xml" "$T/err.txt" || fail "missing input: message does not name the file"
[ "$(wc -l <"$T/err.txt")" = 1 ] || fail "missing input: more than one line on stderr"
for args in "--lfe sideways" "--set nonsense=1" "--renders 9.9.9" "--centre-trim loud"; do
    set +e
    # shellcheck disable=SC2086
    "$CHECK" "$T/scene/mix.xml" -o "$T" $args 2>"$T/err.txt"; rc=$?
    set -e
    [ "$rc" = 1 ] || fail "'$args': exit $rc, expected 1"
    [ -s "$T/err.txt" ] || fail "'$args': no message"
done
# a thresholds file is an input: unreadable -> 2
set +e
"$CHECK" "$T/scene/mix.xml" -o "$T" --thresholds "$T/no-such-thresholds.txt" 2>"$T/err.txt"; rc=$?
set -e
[ "$rc" = 2 ] || fail "missing thresholds file: exit $rc, expected 2"
grep -q "no-such-thresholds.txt" "$T/err.txt" || fail "missing thresholds file: not named"
# the report folder cannot be created (its parent is a file) -> 3
: >"$T/afile"
set +e
"$CHECK" "$T/scene/mix.xml" -o "$T/afile/sub" -q --no-objects 2>"$T/err.txt"; rc=$?
set -e
[ "$rc" = 3 ] || fail "unwritable report folder: exit $rc, expected 3 ($(cat "$T/err.txt"))"
grep -q "afile/sub" "$T/err.txt" || fail "unwritable report folder: not named"

# ---- the binaural render: in the default comparison, with its HRTF set named ----------------
python3 - "$T/ok/report.json" <<'PY' || fail "report.json: binaural render or its set missing"
import json, sys
d = json.load(open(sys.argv[1]))
keys = [r["key"] for r in d["renders"]]
assert "binaural" in keys, keys
b = d["binaural"]
assert b["hrtf"] == "/usr/share/libmysofa/default.sofa" and b["mode"] == "mid", b
assert b["objects_measured"] == 2, b
assert len(b["reference_at_ears_band_db"]) == len(d["bands_hz"]), b
checks = {f["check"] for f in d["findings"] if f["render"] == "binaural"}
for c in ("loudness_delta", "true_peak", "spectral_balance", "object_audibility"):
    assert c in checks, (c, checks)
for c in ("correlation", "mono", "object_mono"):  # loudspeaker-stereo checks only
    assert c not in checks, (c, checks)
for o in d["objects"]:
    assert o["delta_db"]["binaural"] is not None, o
PY
grep -q "^binaural: HRTF /usr/share/libmysofa/default.sofa, room mode mid" "$T/ok/out.txt" ||
    fail "summary does not name the HRTF set"
# every plot legend that lists renders lists binaural (loudness, spectra, balance: not the
# correlation plot, which is about loudspeaker stereo), and the object grid has its column
n=$(grep -o '</i>binaural</span>' "$T/ok/report.html" | wc -l)
[ "$n" -ge 3 ] || fail "binaural in only $n plot legends"
grep -q 'text-anchor="middle">binaural</text>' "$T/ok/report.html" || fail "no binaural column in the object grid"
grep -q 'id="binaural-setup">Binaural render: HRTF set <code>/usr/share/libmysofa/default.sofa' \
    "$T/ok/report.html" || fail "report.html does not name the HRTF set"
KEMAR=/usr/share/libmysofa/MIT_KEMAR_normal_pinna.sofa
if [ -f "$KEMAR" ]; then
    mkdir -p "$T/kemar"
    "$CHECK" "$T/scene/mix.xml" -o "$T/kemar" -q --no-objects --renders binaural --hrtf "$KEMAR" \
        --binaural-mode dry || fail "--hrtf $KEMAR --binaural-mode dry: exit $?"
    grep -q "\"hrtf\": \"$KEMAR\", \"mode\": \"dry\"" "$T/kemar/report.json" ||
        fail "report.json does not name --hrtf $KEMAR / dry"
fi
# a SOFA file that does not exist: one line naming it, exit 2 (input), no report
mkdir -p "$T/nohrtf"
set +e
"$CHECK" "$T/scene/mix.xml" -o "$T/nohrtf" -q --hrtf "$T/no-such.sofa" 2>"$T/err.txt"; rc=$?
set -e
[ "$rc" = 2 ] || fail "missing --hrtf: exit $rc, expected 2 ($(cat "$T/err.txt"))"
[ "$(wc -l <"$T/err.txt")" = 1 ] && grep -q "no-such.sofa" "$T/err.txt" ||
    fail "missing --hrtf: message: $(cat "$T/err.txt")"
[ ! -e "$T/nohrtf/report.json" ] || fail "missing --hrtf: a report was written"
set +e
"$CHECK" "$T/scene/mix.xml" -o "$T/nohrtf" -q --binaural-mode loud 2>/dev/null; rc=$?
set -e
[ "$rc" = 1 ] || fail "--binaural-mode loud: exit $rc, expected 1"

# ---- the HTML in a real browser -------------------------------------------------------------
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
    echo "test_check: chromium not installed: browser test skipped (scripts/setup.sh installs it)"
    exit 0
fi
chrome() { # extra args...
    local prof
    prof=$(mktemp -d "$T/prof.XXXXXX")
    timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-extensions --user-data-dir="$prof" --enable-logging=stderr --v=0 \
        --hide-scrollbars --window-size=1200,5000 --virtual-time-budget=5000 "$@"
}
PAGE="file://$T/drop/report.html"
chrome --dump-dom "$PAGE" >"$T/dom.html" 2>"$T/chrome-dom.log" || fail "chromium --dump-dom failed"
grep -q '<title>objrender report: plots ok (8)</title>' "$T/dom.html" ||
    fail "the page's plot self-check did not pass: $(grep -o '<title>[^<]*' "$T/dom.html" | head -1)"
grep -q 'data-plots-rendered="8"' "$T/dom.html" || fail "not all 8 plots rendered"
if grep -E 'Uncaught|objrender report: (empty|SCRIPT)' "$T/chrome-dom.log"; then
    fail "script errors in the page"
fi
[ "$(grep -o '<path class="series"[^>]* d="M[0-9]' "$T/dom.html" | wc -l)" -ge 6 ] ||
    fail "too few drawn series in the DOM"
[ "$(grep -o '</i>binaural</span>' "$T/dom.html" | wc -l)" -ge 3 ] ||
    fail "binaural missing from the plot legends in the browser's DOM"

chrome --screenshot="$T/shot.png" "$PAGE" 2>"$T/chrome-shot.log" >/dev/null || fail "screenshot failed"
[ -s "$T/shot.png" ] || fail "no screenshot written"
rects=$(grep -o 'data-plot-rects="[^"]*"' "$T/dom.html" | sed 's/^data-plot-rects="//; s/"$//')
[ -n "$rects" ] || fail "the page did not report its plot rectangles"
IFS=';' read -r -a list <<<"$rects"
[ "${#list[@]}" = 8 ] || fail "expected 8 plot rectangles, got ${#list[@]}"
for r in "${list[@]}"; do
    IFS=',' read -r id x y w h <<<"$r"
    [ "$w" -gt 50 ] && [ "$h" -gt 50 ] || fail "$id: plot is ${w}x${h} px"
    [ $((y + h)) -le 5000 ] || fail "$id: plot lies outside the screenshot (y=$y)"
    # coloured pixels = drawn series, cells, objects (axes, text and speakers are grey)
    n=$(ffmpeg -v error -i "$T/shot.png" -vf "crop=$w:$h:$x:$y,format=rgb24" -f rawvideo - |
        od -An -v -tu1 -w3 | awk '{mx=$1; mn=$1; for(i=2;i<=3;i++){if($i>mx)mx=$i; if($i<mn)mn=$i}
                                    if (mx-mn > 60) c++} END {print c+0}')
    [ "$n" -ge 40 ] || fail "$id: only $n coloured pixels drawn in its rectangle"
    echo "test_check: $id: $n coloured pixels in ${w}x${h} at ($x,$y)"
done
echo "test_check: OK"
