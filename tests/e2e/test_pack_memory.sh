#!/usr/bin/env bash
# admtool pack streams the mix.xml (README "Limits"): a mix.xml padded with 200 MB of empty
# sibling elements packs with a peak RSS under 600 MB (max RSS from /usr/bin/time; the old DOM
# took about 6.8 GB), and the axml it writes is the document without the stem extension, the
# padding included, byte for byte as libxml2 serialises the parsed document.
# Usage: bash test_pack_memory.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
BUILD=$(cd "$1" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
err() { echo "test_pack_memory: FAIL: $*" >&2; fail=1; }
[ -x /usr/bin/time ] || { echo "test_pack_memory: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "test_pack_memory: python3 missing" >&2; exit 1; }
# Sanitizer builds keep shadow memory: there only the result is checked, on a smaller file.
SAN=0
grep -q '^OBJR_SANITIZE:STRING=.' "$BUILD/CMakeCache.txt" 2>/dev/null && SAN=1
MB=200
[ $SAN = 1 ] && MB=5

# A one-object mix.xml with a 0.1 s mono 24-bit stem; MB megabytes of "<x/>" inside
# audioFormatExtended, written in pieces so that the generator stays small.
cat >"$T/gen.py" <<'PY'
import struct, sys, os
mb, out = int(sys.argv[1]), sys.argv[2]
head = ('<?xml version="1.0" encoding="UTF-8"?>\n<ebuCoreMain xmlns="urn:ebu:metadata-schema:ebuCore_2016" '
        'xmlns:objr="urn:objrender:mix:1"><coreMetadata><format><audioFormatExtended version="ITU-R_BS.2076-2">\n'
        '<audioProgramme audioProgrammeID="APR_1001" audioProgrammeName="p"><audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>\n'
        '<audioContent audioContentID="ACO_1001" audioContentName="c"><audioObjectIDRef>AO_1001</audioObjectIDRef></audioContent>\n'
        '<audioObject audioObjectID="AO_1001" audioObjectName="o"><audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>'
        '<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>\n'
        '<audioPackFormat audioPackFormatID="AP_00031001" audioPackFormatName="p" typeLabel="0003" typeDefinition="Objects">'
        '<audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef></audioPackFormat>\n'
        '<audioChannelFormat audioChannelFormatID="AC_00031001" audioChannelFormatName="c" typeLabel="0003" typeDefinition="Objects">\n'
        '<audioBlockFormat audioBlockFormatID="AB_00031001_00000001"><position coordinate="azimuth">30</position>'
        '<position coordinate="elevation">0</position></audioBlockFormat></audioChannelFormat>\n'
        '<audioTrackUID UID="ATU_00000001" objr:file="stem.wav" objr:channel="1"><audioChannelFormatIDRef>AC_00031001'
        '</audioChannelFormatIDRef><audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef></audioTrackUID>\n')
tail = '</audioFormatExtended></format></coreMetadata></ebuCoreMain>\n'
with open(out, "w") as f:
    f.write(head)
    piece = "<x/>" * 250000
    for _ in range(mb):
        f.write(piece)
    f.write(tail)
fmt = struct.pack("<HHIIHH", 1, 1, 48000, 144000, 3, 24)
pcm = b"\1\0\0" * 4800
chunk = lambda tag, d: tag + struct.pack("<I", len(d)) + d + (b"\0" if len(d) & 1 else b"")
body = chunk(b"fmt ", fmt) + chunk(b"data", pcm)
open(os.path.join(os.path.dirname(out), "stem.wav"), "wb").write(b"RIFF" + struct.pack("<I", len(body) + 4) + b"WAVE" + body)
PY
python3 "$T/gen.py" $MB "$T/mix.xml" || { echo "test_pack_memory: generator failed" >&2; exit 1; }
size=$(stat -c %s "$T/mix.xml")

/usr/bin/time -f "%M" -o "$T/rss" "$BUILD/admtool" pack "$T/mix.xml" -o "$T/out.wav" >"$T/out" 2>"$T/err"
rc=$?
kb=$(tail -n 1 "$T/rss")
echo "test_pack_memory: admtool pack: $((size / 1000)) KB mix.xml, max RSS $kb KB, exit $rc"
[ "$rc" = 0 ] || err "pack: exit $rc ($(head -c 300 "$T/err"))"
[ $SAN = 1 ] || [ "$kb" -le 614400 ] 2>/dev/null || err "pack: max RSS $kb KB > 600 MB"

# The axml: the input minus ' xmlns:objr="..."' and the two objr attributes (the input is
# already in libxml2's serialisation), found by walking the BWF's chunks.
if [ "$rc" = 0 ]; then
    python3 - "$T/mix.xml" "$T/out.wav" <<'PY' || err "axml is not the mix.xml without the stem extension"
import struct, sys
want = open(sys.argv[1], "rb").read()
for s in (b' xmlns:objr="urn:objrender:mix:1"', b' objr:file="stem.wav"', b' objr:channel="1"'):
    assert want.count(s) == 1, s
    want = want.replace(s, b"")
f = open(sys.argv[2], "rb")
assert f.read(4) in (b"RIFF", b"BW64", b"RF64")
f.read(8)
got = None
while True:
    h = f.read(8)
    if len(h) < 8:
        break
    cid, n = h[:4], struct.unpack("<I", h[4:])[0]
    if cid == b"axml":
        got = f.read(n)
        break
    f.seek(n + (n & 1), 1)
assert got == want, "axml of %d bytes, expected %d" % (len(got or b""), len(want))
PY
fi
[ $fail = 0 ] && echo "test_pack_memory: ok"
exit $fail
