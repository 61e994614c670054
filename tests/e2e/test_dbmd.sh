#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Dolby metadata (dbmd), layout names and objmaster's refusal of ADM, end to end: admtool
# info shows a dbmd chunk (text and --json), unpack/pack and --adm-master keep it byte for
# byte, the per-track binaural render mode changes the binaural render exactly as the
# equivalent --binaural-mode does, layout names as engineers type them (714, ' 7.1.4 ',
# 7.1.4.0, 4+7+0, mono, headphones, 9.1.6), "did you mean", `-l binaural` with a folder named
# binaural in the working directory, objmaster --layout 9.1.6 and objmaster refusing an ADM
# BWF with the objrender --adm-master command.
# Usage: bash test_dbmd.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # has()
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
A="$BUILD/admtool"
R="$BUILD/objrender"
M="$BUILD/objmaster"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
if ! command -v python3 >/dev/null; then
    echo "SKIP: python3 not available"
    exit 0
fi

D="$TMP/demo"
"$BUILD/objdemo" -o "$D" >/dev/null
ntracks=$(python3 -c "
import struct,sys
b=open(sys.argv[1],'rb').read(); p=12
while p+8<=len(b):
    i=b[p:p+4]; n=struct.unpack('<I',b[p+4:p+8])[0]
    if i==b'fmt ': print(struct.unpack('<H',b[p+10:p+12])[0]); break
    p+=8+n+(n&1)" "$D/mix.wav")

# Inject a dbmd chunk (Tech 3285 s6 framing; Atmos segments as Dolby's dbmd-atmos-parser
# reads them) with one binaural render mode byte for every track.
cat >"$TMP/inject.py" <<'PY'
import struct, sys
src, dst, mode, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def seg(i, p):
    ck = (0x100 - ((len(p) & 0xFF) + sum(p)) % 256) % 256
    return bytes([i]) + struct.pack('<H', len(p)) + p + bytes([ck])
atmos = bytearray(248)
atmos[32:32 + 14] = b'objrender test'
atmos[96:99] = bytes([1, 2, 3])
atmos[139] = 0x10      # 2.0 downmix Lo/Ro
atmos[152] = 0x00      # warp: direct render
supp = bytearray(struct.pack('<IHB', 0xF8726FBD, n, 0))
for c in range(9):
    supp += bytes([1]) + bytes(14)      # automatic trims
supp += bytes(n) + bytes([mode]) * n    # trim bytes, headphone bytes
ddp = bytearray(96); ddp[1] = 0x47; ddp[8] = 0x24; ddp[9] = 0x24
payload = struct.pack('<I', 0x01000006) + seg(7, bytes(ddp)) + seg(9, bytes(atmos)) + seg(10, bytes(supp)) + b'\0'
b = bytearray(open(src, 'rb').read())
chunk = b'dbmd' + struct.pack('<I', len(payload)) + payload + (b'\0' if len(payload) & 1 else b'')
b += chunk
b[4:8] = struct.pack('<I', len(b) - 8)
open(dst, 'wb').write(b)
open(dst + '.dbmd', 'wb').write(payload)
PY
python3 "$TMP/inject.py" "$D/mix.wav" "$TMP/off.wav" 0 "$ntracks"
python3 "$TMP/inject.py" "$D/mix.wav" "$TMP/far.wav" 2 "$ntracks"
mkdir -p "$TMP/st"
cp -r "$D/stems" "$TMP/" 2>/dev/null || true

# chunk bytes of a file
chunk() {
    python3 -c "
import struct,sys
b=open(sys.argv[1],'rb').read(); p=12
while p+8<=len(b):
    i=b[p:p+4]; n=struct.unpack('<I',b[p+4:p+8])[0]
    if i==sys.argv[2].encode(): sys.stdout.buffer.write(b[p+8:p+8+n]); break
    p+=8+n+(n&1)" "$1" "$2"
}

# --- admtool info -----------------------------------------------------------------------
run "$A" info "$TMP/off.wav"
[ "$rc" = 0 ] || fail "info off.wav: $err"
for want in "Dolby metadata (dbmd 1.0.0.6): 3 segments" "created by: objrender test 1.2.3" \
    "2.0 downmix: Lo/Ro" "DD+ downmix levels: Lo/Ro centre -3.0 dB, surround -3.0 dB" \
    "trims: automatic for all 9 configurations" "binaural render modes: off: all $ntracks tracks"; do
    echo "$out" | has -F "$want" || fail "info lacks '$want': $out"
done
run "$A" info --json "$TMP/far.wav"
[ "$rc" = 0 ] || fail "info --json: $err"
echo "$out" | python3 -c "
import json,sys
d=json.load(sys.stdin)['dbmd']
assert d['version']=='1.0.0.6', d
assert [s['id'] for s in d['segments']]==[7,9,10]
assert all(s['checksum_ok'] and s['decoded'] for s in d['segments'])
assert d['atmos']['downmix_2ch_name']=='Lo/Ro'
assert len(d['tracks'])==$ntracks and all(t['binaural_render_mode']=='far' for t in d['tracks'])
assert d['ddplus']['loro_centre_db']==-3
" || fail "info --json dbmd: $out"
run "$A" info --json "$D/mix.wav"
echo "$out" | python3 -c "import json,sys; assert json.load(sys.stdin)['dbmd'] is None" ||
    fail "no dbmd should be null"
# a damaged chunk is reported, info still works
python3 - "$TMP/off.wav" "$TMP/bad.wav" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
i = b.rfind(b'dbmd')
b[i + 8 + 4 + 1] = 0xFF; b[i + 8 + 4 + 2] = 0x7F   # first segment claims 32767 bytes
open(sys.argv[2], 'wb').write(b)
PY
run "$A" info "$TMP/bad.wav"
[ "$rc" = 0 ] || fail "info on a damaged dbmd should still work: $err"
echo "$out" | has "Dolby metadata: unreadable, ignored (dbmd: .* segment at byte" ||
    fail "damaged dbmd not reported: $out"

# --- unpack / pack keep the chunk byte for byte ------------------------------------------------
run "$A" unpack "$TMP/far.wav" -o "$TMP/un"
[ "$rc" = 0 ] || fail "unpack: $err"
[ -f "$TMP/un/chunks/01_dbmd.bin" ] || fail "unpack did not keep the dbmd chunk: $(ls "$TMP/un")"
cmp -s "$TMP/un/chunks/01_dbmd.bin" "$TMP/far.wav.dbmd" || fail "unpacked dbmd differs"
run "$A" pack "$TMP/un/mix.xml" -o "$TMP/repacked.wav"
[ "$rc" = 0 ] || fail "pack: $err"
chunk "$TMP/repacked.wav" dbmd >"$TMP/repacked.dbmd"
cmp -s "$TMP/repacked.dbmd" "$TMP/far.wav.dbmd" || fail "pack lost or changed the dbmd chunk"
# a second unpack into the same folder leaves no stale chunk files
run "$A" unpack "$D/mix.wav" -o "$TMP/un"
[ "$rc" = 0 ] || fail "unpack 2: $err"
[ ! -e "$TMP/un/chunks/01_dbmd.bin" ] || fail "stale chunk file left by the first unpack"

# largest sample difference of two float WAVs (data chunks)
maxdiff() {
    python3 -c "
import struct,sys
def rd(fn):
    b=open(fn,'rb').read(); p=12
    while p+8<=len(b):
        i=b[p:p+4]; n=struct.unpack('<I',b[p+4:p+8])[0]
        if i==b'data': d=b[p+8:p+8+n]; return struct.unpack('<%df'%(len(d)//4),d)
        p+=8+n+(n&1)
a=rd(sys.argv[1]); b=rd(sys.argv[2])
print('%.3g'%max(abs(x-y) for x,y in zip(a,b)) if len(a)==len(b) else 'inf')" "$1" "$2"
}
# below -100 dBFS: the same render up to FFT rounding (FFTW plans may differ run to run)
same() { python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 1e-5 else 1)" "$(maxdiff "$1" "$2")"; }

# --- binaural render modes ------------------------------------------------------------------
# every track "off" in dbmd = the whole scene rendered as --binaural-mode off (the demo has
# no headphoneVirtualise), sample for sample; "far" differs from the default (mid)
run "$R" "$TMP/off.wav" -l binaural --duration 2 -o "$TMP/bin_dbmd_off.wav"
[ "$rc" = 0 ] || fail "render off.wav: $err"
echo "$err" | has "dbmd: binaural render modes applied over headphoneVirtualise (off: tracks 1-$ntracks)" ||
    fail "render summary lacks the dbmd line: $err"
run "$R" "$D/mix.wav" -l binaural --duration 2 --binaural-mode off -o "$TMP/bin_opt_off.wav"
[ "$rc" = 0 ] || fail "render --binaural-mode off: $err"
same "$TMP/bin_dbmd_off.wav" "$TMP/bin_opt_off.wav" ||
    fail "dbmd 'off' differs from --binaural-mode off by $(maxdiff "$TMP/bin_dbmd_off.wav" "$TMP/bin_opt_off.wav")"
run "$R" "$TMP/far.wav" -l binaural --duration 2 -o "$TMP/bin_dbmd_far.wav"
run "$R" "$D/mix.wav" -l binaural --duration 2 --binaural-mode far -o "$TMP/bin_opt_far.wav"
same "$TMP/bin_dbmd_far.wav" "$TMP/bin_opt_far.wav" ||
    fail "dbmd 'far' differs from --binaural-mode far by $(maxdiff "$TMP/bin_dbmd_far.wav" "$TMP/bin_opt_far.wav")"
run "$R" "$D/mix.wav" -l binaural --duration 2 -o "$TMP/bin_default.wav"
same "$TMP/bin_dbmd_far.wav" "$TMP/bin_default.wav" &&
    fail "dbmd 'far' renders as the default (mid)"
# the downmix/trim settings are present but not applied to direct renders: one line says so
run "$R" "$TMP/far.wav" -l 2.0 --duration 1 -o "$TMP/st.wav"
[ "$rc" = 0 ] || fail "render 2.0: $err"
echo "$err" | has "dbmd: 2.0/5.1 downmix and trim settings not applied" ||
    fail "no line about the 2.0 downmix settings: $err"

# --- layout names ---------------------------------------------------------------------------
cd "$TMP"
mkdir binaural
run "$R" "$D/mix.wav" -l binaural --duration 1 -o "$TMP/hp.wav"
[ "$rc" = 0 ] || fail "-l binaural with a folder named binaural: $err"
run "$R" "$D/mix.wav" -l ./binaural --duration 1 -o "$TMP/hp2.wav"
[ "$rc" = 2 ] || fail "-l ./binaural (a folder) should be an input error (got $rc): $err"
for spec in "714:12" " 7.1.4 :12" "7.1.4.0:12" "4+7+0:12" "mono:1" "1.0:1" "headphones:2" \
    "9.1.6:16" "5.1.2:8" "5.1.2-dolby:8" "LoRo:2" "stereo:2"; do
    name=${spec%:*}
    want=${spec##*:}
    run "$R" "$D/mix.wav" -l "$name" --duration 0.5 -o "$TMP/l.wav" --json
    [ "$rc" = 0 ] || fail "-l '$name': $err"
    got=$(echo "$out" | python3 -c "import json,sys; print(json.load(sys.stdin)['outputs'][0]['channels'])")
    [ "$got" = "$want" ] || fail "-l '$name': $got channels, want $want"
done
mkdir -p "$TMP/multi"
run "$R" "$D/mix.wav" -l "7.1.4, 51 ,headphones" --duration 0.5 -o "$TMP/multi/"
[ "$rc" = 0 ] || fail "list with spaces: $err"
for f in mix.7.1.4.wav mix.5.1.wav mix.binaural.wav; do
    [ -f "$TMP/multi/$f" ] || fail "list with spaces: no $f ($(ls "$TMP/multi"))"
done
run "$R" "$D/mix.wav" -l sterio -o "$TMP/x.wav"
[ "$rc" = 1 ] || fail "unknown layout should exit 1 (got $rc)"
[ "$(echo "$err" | wc -l)" = 1 ] || fail "unknown layout: one line expected: $err"
echo "$err" | has "unknown layout 'sterio': did you mean stereo?" || fail "no suggestion: $err"
run "$R" --list-layouts
echo "$out" | has "2+5+0.*U+030/U-030: front" || fail "--list-layouts: 5.1.2 heights: $out"
echo "$out" | has "5.1.2-dolby.*U+090/U-090: top middle" || fail "--list-layouts: 5.1.2-dolby"

# --- objmaster ------------------------------------------------------------------------------
run "$R" "$D/mix.wav" -l 9.1.6 --duration 2 -o "$TMP/r916.wav"
run "$M" --measure "$TMP/r916.wav" --layout 9.1.6
[ "$rc" = 0 ] || fail "objmaster --layout 9.1.6: $err"
echo "$out" | has "weights (BS.1770 Annex 3, LFE 0): 1.00 1.00 1.00 0.00 " ||
    fail "objmaster --layout 9.1.6 weights: $out"
run "$M" "$D/mix.wav" --preset streaming -o "$TMP/mastered.wav"
[ "$rc" = 2 ] || fail "objmaster on an ADM BWF should exit 2 (got $rc)"
[ "$(echo "$err" | wc -l)" = 1 ] || fail "objmaster ADM refusal: one line expected: $err"
echo "$err" | has "objrender .*--adm-master" || fail "objmaster refusal lacks the command: $err"
[ ! -e "$TMP/mastered.wav" ] || fail "objmaster wrote an output for an ADM BWF"

# --- --adm-master keeps the chunk (a short corpus file, when the corpus is there) ------------
F="$SRC/../shared/adm-corpus/dolby-dact190__sample_adm_file_3.wav"
if [ -f "$F" ]; then
    run "$R" "$F" --master streaming --adm-master "$TMP/am.wav"
    [ "$rc" = 0 ] || [ "$rc" = 5 ] || fail "--adm-master: $err"
    cmp -s <(chunk "$F" dbmd) <(chunk "$TMP/am.wav" dbmd) || fail "--adm-master changed dbmd"
    echo "$err" | has "dbmd: binaural render modes applied over headphoneVirtualise (near: tracks 1-2)" ||
        fail "--adm-master summary lacks the dbmd binaural line: $err"
else
    echo "note: corpus absent: --adm-master dbmd check skipped"
fi
echo "PASS"
