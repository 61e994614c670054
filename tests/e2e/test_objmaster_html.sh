#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# objmaster --html end to end: a stereo 1 kHz sine at -23 dBFS per channel (EBU Tech 3341
# case 1: reads -23 LUFS) with a 0.5 s burst at -5 dBFS, mastered to -10 LUFS / -1 dBTP, so
# the gain pushes the burst about 6 dB into the limiter. The page must hold both plots, its
# table must agree with --json, its short-term curves must read -23 LUFS + gain where the
# sine is steady, and its gain-reduction path must map back to the JSON history (and its
# deepest point to the burst's overshoot of the ceiling). Bad --html paths: one line, no
# master left. Album mode: one page, one section per track. Headless Chromium, when present,
# runs the page's plot self-check.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # has()
BUILD=$1
OBJ="$BUILD/objmaster"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
err() { echo "FAIL: $*" >&2; fail=1; }

if ! command -v ffmpeg >/dev/null || ! command -v python3 >/dev/null; then
    echo "SKIP: ffmpeg or python3 not available"
    exit 0
fi

# -23 dBFS = 0.0707946, -5 dBFS = 0.562341 (peak amplitude per channel)
A="(0.0707946+(0.562341-0.0707946)*between(t\,6\,6.5))*sin(2*PI*1000*t)"
ffmpeg -nostats -loglevel error -f lavfi -i "aevalsrc='$A|$A':c=stereo:s=48000:d=8" \
    -c:a pcm_s24le "$T/in.wav" || { err "ffmpeg could not generate the input"; exit 1; }

"$OBJ" "$T/in.wav" --lufs -10 --tp -1 -o "$T/out.wav" --html "$T/page.html" --json \
    >"$T/j.json" 2>"$T/err.txt"
rc=$?
[ $rc = 0 ] || err "objmaster --html exited $rc: $(cat "$T/err.txt")"
[ -s "$T/out.wav" ] || err "no master written"
[ -s "$T/page.html" ] || err "no page written"

python3 - "$T/page.html" "$T/j.json" <<'EOF' || fail=1
import json, re, sys
page = open(sys.argv[1]).read()
j = json.load(open(sys.argv[2]))
bad = []
def check(ok, msg):
    if not ok:
        bad.append(msg)

for sid in ("plot-loudness-0", "plot-gr-0", "plot-peak-0"):
    check(f'<svg class="plot" id="{sid}"' in page, f"svg {sid} missing")
check("document.title='objrender report: plots ok ('" in page, "no plot self-check script")
check('id="deliveries"' in page, "no deliveries table")

# the table agrees with --json (the page prints 2 decimals, JSON 3)
cells = dict(re.findall(r'<td data-k="([a-z_0-9]+)">([^<]*)</td>', page))
def near(key, want, tol=0.006):
    try:
        got = float(cells[key])
    except (KeyError, ValueError):
        bad.append(f"table cell {key} missing: {cells.get(key)}")
        return
    check(abs(got - want) <= tol, f"table {key} = {got}, --json {want}")
near("i_before", j["before"]["integrated_lufs"])
near("i_after", j["after"]["integrated_lufs"])
near("tp_before", j["before"]["true_peak_dbtp"])
near("tp_after", j["after"]["true_peak_dbtp"])
near("gain_db", j["gain_db"])
near("gr_max_db", j["gain_reduction"]["max_db"])
near("lra_after", j["after"]["range_lu"], 0.06)
check(cells.get("passes", "").startswith(str(j["passes"])), "passes differ from --json")

# plot geometry (src/core/html_plot.h): 760 x 260, margins l56 r16 t14 b34
W, H, ML, MR, MT, MB = 760.0, 260.0, 56.0, 16.0, 14.0, 34.0
def path_points(svg_id, name):
    svg = page.split(f'id="{svg_id}"', 1)[1].split("</svg>", 1)[0]
    m = re.search(r'data-name="%s"[^>]* d="([^"]*)"' % re.escape(name), svg)
    if not m:
        bad.append(f"{svg_id}: no path {name}")
        return svg, []
    return svg, [tuple(map(float, p.split())) for p in re.findall(r"[ML]([-0-9.]+ [-0-9.]+)", m.group(1))]
def y_value(py, lo, hi):
    return lo + (H - MB - py) / (H - MT - MB) * (hi - lo)
def x_time(px, dur):
    return (px - ML) / (W - ML - MR) * dur

dur = 8.0
gain = j["gain_db"]
# gain reduction: the drawing maps back to the JSON history, within a pixel
svg, pts = path_points("plot-gr-0", "gain reduction")
m = re.search(r'data-ylo="([-0-9.e]+)" data-yhi="0"', svg)
ylo = float(m.group(1)) if m else None
check(ylo is not None and ylo < 0, "gain-reduction scale missing")
hist = j["gain_reduction"]["points_db"]
px_db = -ylo / (H - MT - MB) if ylo else 1
check(len(pts) == len(hist), f"{len(pts)} gain-reduction points drawn, {len(hist)} in --json")
if ylo and pts:
    worst = max(abs(-y_value(py, ylo, 0) - g) for (px, py), g in zip(pts, hist))
    check(worst <= px_db + 0.01, f"gain-reduction points off by {worst:.3f} dB (> 1 px)")
    deepest = max(-y_value(py, ylo, 0) for px, py in pts)
    gr_max = j["gain_reduction"]["max_db"]
    check(abs(deepest - gr_max) <= px_db, f"deepest drawn {deepest:.2f} dB, max_db {gr_max}")
    # first principles: the burst's peak after the gain (-5 dBFS + gain) held at the
    # ceiling less the limiter's 0.2 dB detector margin
    want = -5.0 + gain - (-1.0 - 0.2)
    check(abs(gr_max - want) <= 0.3, f"max gain reduction {gr_max} dB, expected {want:.2f}")
    quiet = [-y_value(py, ylo, 0) for px, py in pts if x_time(px, dur) < 5.5]
    check(quiet and max(quiet) <= px_db, "gain reduction drawn before the burst")

# short-term curves: where the sine is steady (3.5..5.8 s: the 3 s window full, before the
# burst) both read -23 LUFS + gain (Tech 3341 case 1, tolerance 0.1 LU + a pixel)
svg = page.split('id="plot-loudness-0"', 1)[1].split("</svg>", 1)[0]
ticks = [float(v) for v in re.findall(r'text-anchor="end">([-0-9.]+)</text>', svg)]
lo, hi = min(ticks), max(ticks)
for name in ("input + gain", "master"):
    _, pts = path_points("plot-loudness-0", name)
    steady = [y_value(py, lo, hi) for px, py in pts if 3.5 <= x_time(px, dur) <= 5.8]
    check(len(steady) >= 20, f"{name}: {len(steady)} points in 3.5..5.8 s")
    if steady:
        err_lu = max(abs(v - (-23.0 + gain)) for v in steady)
        check(err_lu <= 0.1 + (hi - lo) / (H - MT - MB), f"{name}: steady short-term off by {err_lu:.3f} LU")
check(f"integrated target (shaded: &plusmn;1 LU) -10.0" in svg, "target line missing")

# true peak per 100 ms: a sine's true peak is its amplitude, so the input after the gain peaks
# at -23 + gain where steady and -5 + gain in the burst; the master never above the ceiling
svg = page.split('id="plot-peak-0"', 1)[1].split("</svg>", 1)[0]
m = re.search(r'data-ylo="([-0-9.e]+)" data-yhi="([-0-9.e]+)"', svg)
plo, phi = float(m.group(1)), float(m.group(2))
px = (phi - plo) / (H - MT - MB)
_, pin = path_points("plot-peak-0", "input + gain")
_, pout = path_points("plot-peak-0", "master")
steady = [y_value(py, plo, phi) for x, py in pin if 1.0 <= x_time(x, dur) <= 5.8]
check(steady and max(abs(v - (-23 + gain)) for v in steady) <= 0.1 + px, "input peak (steady) off")
burst = max(y_value(py, plo, phi) for x, py in pin)
check(abs(burst - (-5 + gain)) <= 0.1 + px, f"input peak in the burst {burst:.2f}, expected {-5 + gain:.2f}")
top = max(y_value(py, plo, phi) for x, py in pout)
check(top <= -1.0 + px, f"master peak {top:.2f} dBTP drawn over the -1 dBTP ceiling")
check(top >= -1.0 - 0.2 - 0.1 - px, f"master peak {top:.2f}: the burst should be held at the ceiling")
check('ceiling -1.0' in svg, "ceiling line missing")

for b in bad:
    print("FAIL:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF

# Bad --html paths: one line on stderr, non-zero, no master left behind.
bad_html() { # label html-path expected-exit
    rm -f "$T/bad.wav"
    "$OBJ" "$T/in.wav" --lufs -10 --tp -1 -o "$T/bad.wav" --html "$2" >/dev/null 2>"$T/e.txt"
    local rc=$?
    [ $rc = "$3" ] || err "$1: exit $rc, expected $3 ($(cat "$T/e.txt"))"
    [ "$(wc -l <"$T/e.txt")" = 1 ] || err "$1: expected one line: $(cat "$T/e.txt")"
    has -F -- "--html" "$T/e.txt" || err "$1: the message does not name --html"
    [ ! -e "$T/bad.wav" ] || err "$1: a master was left behind"
    if ls "$T" | has 'tmp-'; then err "$1: temporary files left: $(ls "$T")"; fi
}
cp "$T/in.wav" "$T/keep.wav"
bad_html "same as the input" "$T/in.wav" 1
cmp -s "$T/in.wav" "$T/keep.wav" || err "the input was changed"
bad_html "same as the master" "$T/bad.wav" 1
mkdir "$T/folder"
bad_html "a folder" "$T/folder" 3
bad_html "under a regular file" "$T/in.wav/page.html" 3
# a missing folder is created, as for every output (objr_outfile.h)
"$OBJ" "$T/in.wav" --lufs -10 --tp -1 -o "$T/m2.wav" --html "$T/new/dir/p.html" -q ||
    err "--html into a missing folder failed"
[ -s "$T/new/dir/p.html" ] || err "the page in a new folder was not written"

# Album: one page, the album line and one section per track.
ffmpeg -nostats -loglevel error -f lavfi -i "aevalsrc='0.1*sin(2*PI*440*t)':c=stereo:s=48000:d=4" \
    -c:a pcm_s24le "$T/t2.wav"
"$OBJ" --album-mode "$T/in.wav" "$T/t2.wav" --lufs -14 --tp -1 -o "$T/alb" \
    --html "$T/album.html" -q || err "album with --html failed"
for id in plot-loudness-0 plot-gr-0 plot-peak-0 plot-loudness-1 plot-gr-1 plot-peak-1 \
    'id="album"' delivery-1; do
    has -F -- "$id" "$T/album.html" || err "album page: $id missing"
done

# objrender --preset ... --html: one page for every layout mastered in the run, put in place
# with the masters; its table agrees with objrender --json.
"$BUILD/objdemo" -o "$T/demo" >/dev/null 2>&1 || err "objdemo failed"
"$BUILD/objrender" "$T/demo/mix.wav" --layout 7.1.4,2.0 --preset streaming --duration 6 \
    -o "$T/r/" --html "$T/r/master.html" --json >"$T/r.json" 2>"$T/r.err" ||
    err "objrender --html failed: $(cat "$T/r.err")"
python3 - "$T/r/master.html" "$T/r.json" <<'EOF2' || fail=1
import json, re, sys
page = open(sys.argv[1]).read()
outs = json.load(open(sys.argv[2]))["outputs"]
bad = []
for k, o in enumerate(outs):
    row = page.split(f'<tr id="delivery-{k}"', 1)[1].split("</tr>", 1)[0]
    cells = dict(re.findall(r'<td data-k="([a-z_0-9]+)">([^<]*)</td>', row))
    m = o["master"]
    for key, want in (("i_after", m["after"]["integrated_lufs"]), ("gain_db", m["gain_db"]),
                      ("tp_after", m["after"]["true_peak_dbtp"]),
                      ("gr_max_db", m["gain_reduction"]["max_db"])):
        if abs(float(cells[key]) - want) > 0.006:
            bad.append(f"{o['layout']}: {key} {cells[key]} vs --json {want}")
    if f'>the {o["layout"]} render &rarr;' not in page:
        bad.append(f"no section for {o['layout']}")
    for sid in (f"plot-loudness-{k}", f"plot-gr-{k}", f"plot-peak-{k}"):
        if f'id="{sid}"' not in page:
            bad.append(f"{sid} missing")
for b in bad:
    print("FAIL: objrender --html:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF2
if ls "$T/r" | has 'tmp-'; then err "objrender --html left temporary files: $(ls "$T/r")"; fi
"$BUILD/objrender" "$T/demo/mix.wav" --layout 2.0 --preset streaming --duration 2 -o "$T/r2/" \
    --html "$T/r2/mix.2.0.wav" >/dev/null 2>"$T/e.txt"
[ $? = 1 ] || err "objrender --html at a master's path: not a usage error"
[ ! -e "$T/r2/mix.2.0.wav" ] || err "objrender --html at a master's path: a file was left"

# The page's own plot self-check in a browser (as tests/e2e/test_check.sh).
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -n "$CHROME" ]; then
    prof=$(mktemp -d "$T/prof.XXXXXX")
    timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-extensions --user-data-dir="$prof" --enable-logging=stderr --v=0 \
        --window-size=1200,3000 --virtual-time-budget=5000 --dump-dom \
        "file://$T/album.html" >"$T/dom.html" 2>"$T/chrome.log" || err "chromium --dump-dom failed"
    has -F '<title>objrender report: plots ok (6)</title>' "$T/dom.html" ||
        err "the page's plot self-check did not pass: $(grep -o '<title>[^<]*' "$T/dom.html")"
    if grep -E 'Uncaught|objrender report: (empty|SCRIPT)' "$T/chrome.log"; then
        err "script errors in the page"
    fi
else
    echo "note: no chromium; the page's self-check was not run"
fi

[ $fail = 0 ] && echo "objmaster --html: ok"
exit $fail
