#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The README's spatial coding table, measured: synthesises the demo mix (objdemo, default seed),
# renders it to 7.1.4 plain and with --spatial-coding 16, 14 and 12, and prints per N the
# position error objrender reports (energy-weighted mean and max, degrees) and the integrated
# loudness and true peak against the plain render (objmaster --measure, BS.1770-4).
# Usage: scripts/spatial_coding_figures.sh (OBJR_BUILD_DIR: the build tree, default build)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${OBJR_BUILD_DIR:-build}
BUILD=$(cd "$BUILD" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

"$BUILD/objdemo" -o "$T/demo" -q
measure() { # integrated LUFS and true peak dBTP
    "$BUILD/objmaster" --measure --json "$1" | python3 -c '
import json, sys
m = json.load(sys.stdin)[0]["measure"]
print(m["integrated_lufs"], m["true_peak_dbtp"])'
}
"$BUILD/objrender" "$T/demo/mix.wav" -l 7.1.4 -o "$T/plain.wav" -q
read -r lp tp <<<"$(measure "$T/plain.wav")"
printf 'plain 7.1.4: %.2f LUFS, %+.2f dBTP\n' "$lp" "$tp"
echo '| N | mean error (deg, energy weighted) | max error (deg) | integrated vs plain | true peak vs plain |'
echo '| --- | --- | --- | --- | --- |'
for n in 16 14 12; do
    json=$("$BUILD/objrender" "$T/demo/mix.wav" -l 7.1.4 --spatial-coding "$n" -o "$T/sc$n.wav" --json)
    read -r mean mx <<<"$(python3 -c '
import json, sys
s = json.load(sys.stdin)["spatial_coding"]
print(s["mean_error_deg"], s["max_error_deg"])' <<<"$json")"
    read -r l t <<<"$(measure "$T/sc$n.wav")"
    same=""
    cmp -s "$T/plain.wav" "$T/sc$n.wav" && same=" (bit-identical)"
    python3 -c 'import sys; n, me, mx, dl, dt, s = sys.argv[1:]; print("| %s | %.2f | %.0f | %+.2f LU%s | %+.1f dB |" % (n, float(me), float(mx), float(dl), s, float(dt)))' \
        "$n" "$mean" "$mx" "$(python3 -c "print($l - $lp)")" "$(python3 -c "print($t - $tp)")" "$same"
done
