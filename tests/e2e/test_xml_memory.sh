#!/usr/bin/env bash
# Memory of the ADM reader follows the metadata it keeps, not the padding around it, and not the
# length of the document (README "Limits"): padded documents (empty unknown siblings inside and outside audioFormatExtended,
# unknown children inside an audioObject and an audioBlockFormat, a deep unknown subtree), as
# mix.xml and as an ADM BWF axml chunk, peak under 1.5 x the file + 40 MB (max RSS from
# /usr/bin/time); 5 x 10^4 block formats under 4 x the file + 40 MB; text runs, tags and attribute
# counts past the limits are one clear line (exit 2); out of memory anywhere in parsing is
# "out of memory", exit 4 (ulimit -v), for objrender and admtool.
# Usage: bash test_xml_memory.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # has()
BUILD=$(cd "$1" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
err() { echo "test_xml_memory: FAIL: $*" >&2; fail=1; }
[ -x /usr/bin/time ] || { echo "test_xml_memory: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "test_xml_memory: python3 missing" >&2; exit 1; }

# gen.py SHAPE SIZE OUT: SIZE in MB of padding (blocks: number of blocks); OUT .xml (a mix.xml
# with a 0.1 s stem next to it) or .wav (ADM BWF: fmt, chna, axml, data).
cat >"$T/gen.py" <<'EOF'
import struct, sys, os
shape, amount, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
size = int(amount * 1e6)
wav = out.endswith(".wav")
HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<ebuCoreMain xmlns="urn:ebu:metadata-schema:ebuCore_2016" '
        'xmlns:objr="urn:objrender:mix:1"><coreMetadata><format><audioFormatExtended version="ITU-R_BS.2076-2">\n'
        '<audioProgramme audioProgrammeID="APR_1001" audioProgrammeName="p"><audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>\n'
        '<audioContent audioContentID="ACO_1001" audioContentName="c"><audioObjectIDRef>AO_1001</audioObjectIDRef></audioContent>\n'
        '<audioObject audioObjectID="AO_1001" audioObjectName="o"%(OATTR)s>%(OPAD)s<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>'
        '<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>\n'
        '<audioPackFormat audioPackFormatID="AP_00031001" audioPackFormatName="p" typeLabel="0003" typeDefinition="Objects">'
        '<audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef></audioPackFormat>\n'
        '<audioChannelFormat audioChannelFormatID="AC_00031001" audioChannelFormatName="c" typeLabel="0003" typeDefinition="Objects">\n')
BLOCK = ('<audioBlockFormat audioBlockFormatID="AB_00031001_%08X" rtime="%s" duration="%s">%s'
         '<position coordinate="azimuth">%d</position><position coordinate="elevation">0</position>'
         '<position coordinate="distance">1</position></audioBlockFormat>\n')
TAIL = ('</audioChannelFormat>\n<audioStreamFormat audioStreamFormatID="AS_00031001" audioStreamFormatName="s" formatLabel="0001" '
        'formatDefinition="PCM"><audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef><audioTrackFormatIDRef>AT_00031001_01'
        '</audioTrackFormatIDRef></audioStreamFormat>\n<audioTrackFormat audioTrackFormatID="AT_00031001_01" audioTrackFormatName="t" '
        'formatLabel="0001" formatDefinition="PCM"><audioStreamFormatIDRef>AS_00031001</audioStreamFormatIDRef></audioTrackFormat>\n'
        '<audioTrackUID UID="ATU_00000001"%(UATTR)s><audioTrackFormatIDRef>AT_00031001_01</audioTrackFormatIDRef>'
        '<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef></audioTrackUID>\n'
        '%(AFEPAD)s</audioFormatExtended></format></coreMetadata>%(ROOTPAD)s</ebuCoreMain>\n')
def tc(s):
    h = int(s // 3600); m = int(s % 3600 // 60)
    return "%02d:%02d:%08.5f" % (h, m, s - 3600 * h - 60 * m)
p = {"OATTR": "", "OPAD": "", "AFEPAD": "", "ROOTPAD": "",
     "UATTR": "" if wav else ' objr:file="stem.wav" objr:channel="1"'}
fill = lambda unit: unit * max(1, size // len(unit))
blockpad, n = "", 1
if shape == "siblings": p["AFEPAD"] = fill("<x/>")
elif shape == "rootsiblings": p["ROOTPAD"] = fill("<x/>")
elif shape == "children": p["OPAD"] = fill("<x/>")
elif shape == "blockchildren": blockpad = fill("<x/>")
elif shape == "nested": p["OPAD"] = "<x>" + fill("<y><z/></y>") + "</x>"
elif shape == "text": p["OPAD"] = " " * size
elif shape == "label": p["OPAD"] = "<audioObjectLabel>" + "a" * size + "</audioObjectLabel>"
elif shape == "attrval": p["OATTR"] = ' pad="' + "a" * size + '"'
elif shape == "attrs": p["OATTR"] = "".join(' a%d="1"' % i for i in range(size // 12))
elif shape == "blocks": n = int(amount)
step = 0.001 if n > 1 else 0.1
xml = (HEAD % p + "".join(BLOCK % (i + 1, tc(i * step), tc(step), blockpad, i % 360 - 180)
                          for i in range(n)) + TAIL % p).encode()
fmt = struct.pack("<HHIIHH", 1, 1, 48000, 144000, 3, 24)
pcm = b"\0" * 3 * 4800
chunk = lambda tag, d: tag + struct.pack("<I", len(d)) + d + (b"\0" if len(d) & 1 else b"")
def riff(body): return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WAVE" + body
if wav:
    chna = struct.pack("<HHH", 1, 1, 1) + b"ATU_00000001AT_00031001_01AP_00031001\0"
    open(out, "wb").write(riff(chunk(b"fmt ", fmt) + chunk(b"chna", chna) + chunk(b"axml", xml) + chunk(b"data", pcm)))
else:
    open(out, "wb").write(xml)
    open(os.path.join(os.path.dirname(out), "stem.wav"), "wb").write(riff(chunk(b"fmt ", fmt) + chunk(b"data", pcm)))
EOF

MB=20
# Sanitizer builds keep shadow memory and reserve terabytes of address space: there only the
# exit statuses and messages are checked, not memory or ulimit -v.
SAN=0
grep -q '^OBJR_SANITIZE:STRING=.' "$BUILD/CMakeCache.txt" 2>/dev/null && SAN=1
# run NAME FILE WANT_RC PATTERN MAX_KB: objrender on FILE, its exit status, stderr and max RSS
run() {
    local name=$1 f=$2 want=$3 pat=$4 max_kb=$5
    /usr/bin/time -f "%M" -o "$T/rss" "$BUILD/objrender" "$f" -l 2.0 -o "$T/out.wav" -q \
        >/dev/null 2>"$T/err"
    local rc=$?
    local kb
    kb=$(tail -n 1 "$T/rss")
    [ "$rc" = "$want" ] || err "$name: exit $rc, expected $want ($(head -c 300 "$T/err"))"
    [ -z "$pat" ] || has -- "$pat" "$T/err" || err "$name: stderr lacks '$pat': $(head -c 300 "$T/err")"
    [ $SAN = 1 ] || [ "$kb" -le "$max_kb" ] 2>/dev/null || err "$name: max RSS $kb KB > $max_kb KB"
    echo "test_xml_memory: $name: $(($(stat -c %s "$f") / 1000)) KB file, max RSS $kb KB, exit $rc"
}
for ext in xml wav; do
    for shape in siblings rootsiblings children blockchildren nested; do
        python3 "$T/gen.py" $shape $MB "$T/in.$ext"
        sz=$(($(stat -c %s "$T/in.$ext") / 1024))
        run "$shape.$ext" "$T/in.$ext" 0 "" $((sz * 3 / 2 + 40960))
    done
    # past libxml2's 10 MB text node and tag limits, and the 64-attribute limit: one line
    python3 "$T/gen.py" text $MB "$T/in.$ext"
    run "text.$ext" "$T/in.$ext" 2 "text in <audioObject> longer than" $((MB * 1500 + 40960))
    python3 "$T/gen.py" label $MB "$T/in.$ext"
    run "label.$ext" "$T/in.$ext" 2 "text in <audioObjectLabel> longer than" $((MB * 1500 + 40960))
    python3 "$T/gen.py" attrval $MB "$T/in.$ext"
    run "attrval.$ext" "$T/in.$ext" 2 "longer than 10000000 bytes" $((MB * 1500 + 40960))
    python3 "$T/gen.py" attrs 2 "$T/in.$ext"
    run "attrs.$ext" "$T/in.$ext" 2 "<audioObject> has more than 64 attributes" 81920
    python3 "$T/gen.py" blocks 50000 "$T/in.$ext"
    sz=$(($(stat -c %s "$T/in.$ext") / 1024))
    run "blocks.$ext" "$T/in.$ext" 0 "" $((sz * 4 + 40960))
done

# Documents larger than the memory they may take: the text is read in place and given back as
# it is parsed, and the blocks spill to a temporary file (README "Limits"), so 2 x 10^5 blocks in
# one channel (52 MB) and 60 MB of unknown subtree each peak under 40 MB. Read into memory they
# took more than twice their size.
python3 "$T/gen.py" blocks 200000 "$T/big.wav"
run "blocks-200k.wav" "$T/big.wav" 0 "" 40960
python3 "$T/gen.py" nested 60 "$T/big.xml"
run "nested-60MB.xml" "$T/big.xml" 0 "" 40960
rm -f "$T/big.wav" "$T/big.xml"

# Out of memory while parsing (a 5 x 10^4-block document under shrinking address-space limits):
# every run either succeeds or says "out of memory" with exit 4. Limits too small for the
# dynamic loader (exit 127) prove nothing and are skipped.
python3 "$T/gen.py" blocks 50000 "$T/oom.xml"
n_oom=0
[ $SAN = 1 ] && n_oom=-1
for kb in 60000 80000 100000 120000 160000; do
    [ $SAN = 1 ] && break
    for tool in objrender admtool; do
        if [ $tool = objrender ]; then cmd=("$BUILD/objrender" "$T/oom.xml" -l 2.0 -o "$T/o.wav" -q)
        else cmd=("$BUILD/admtool" validate "$T/oom.xml"); fi
        (ulimit -v $kb; "${cmd[@]}") >/dev/null 2>"$T/err"
        rc=$?
        [ $rc = 127 ] && continue
        if [ $rc = 4 ]; then
            n_oom=$((n_oom + 1))
            grep -q "out of memory" "$T/err" || err "$tool ulimit $kb: exit 4 without 'out of memory': $(cat "$T/err")"
        elif [ $rc != 0 ]; then
            err "$tool ulimit -v $kb: exit $rc ($(head -c 300 "$T/err")), expected 0 or 4 (out of memory)"
        fi
    done
done
[ $n_oom != 0 ] || err "no limit made the parse run out of memory: the test proves nothing"
[ $fail = 0 ] && echo "test_xml_memory: ok"
exit $fail
