#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# End-to-end test of output and input file safety (issue 15 points 2-6 and 10, issue 11's
# folders and modes): no output may replace a file the run reads (by device and inode), a
# failed run leaves every pre-existing file as it was, devices and symlinks as outputs, FIFO
# inputs refused without hanging, no write through a planted temporary name, no temporary
# left by SIGINT/SIGTERM, modes follow the umask, missing folders are created, `-o -` streams
# a WAV that ffmpeg decodes to the same samples as the file render.
# Usage: test_outputs.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # has()
BUILD=$(cd "$1" && pwd)
OBJR="$BUILD/objrender"
ADM="$BUILD/admtool"
MASTER="$BUILD/objmaster"
CHECK="$BUILD/objcheck"
DEMO="$BUILD/objdemo"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# OBJR_TEST_KEEP_GOING=1 reports every failing case (to check each one against old builds).
fail() {
    echo "FAIL: $*" >&2
    [ -n "${OBJR_TEST_KEEP_GOING:-}" ] && { FAILED=1; return 0; }
    exit 1
}
FAILED=0
TO="timeout 300" # a FIFO input must never hang a tool (generous: sanitizer builds are slow)

rc=0
run() { # run CMD... -> $rc, $err
    set +e
    $TO "$@" >"$T/out.txt" 2>"$T/err.txt"
    rc=$?
    set -e
    err=$(cat "$T/err.txt")
}
expect() { # expect CODE WHAT -- last run exited CODE
    [ "$rc" = "$1" ] || fail "$2: exit $rc, expected $1 ($err)"
    [ "$rc" = 0 ] || [ "$(wc -l <"$T/err.txt")" -ge 1 ] || fail "$2: no message"
}
no_temps() { # no_temps DIR WHAT
    if find "$1" -name '*.tmp*' | has .; then fail "$2: temporary left: $(find "$1" -name '*.tmp*')"; fi
}
mode_of() { stat -c %a "$1"; }

umask 022
"$DEMO" -o "$T/demo" >/dev/null || fail "objdemo"
D="$T/demo"
cp -r "$D/stems" "$T/stems.orig"
cp "$D/mix.wav" "$T/mix.orig.wav"

# ---- 2. outputs that are inputs: refused before any work, exit 1, the input unchanged -------
run "$OBJR" "$D/mix.xml" -l 2.0 --duration 1 -o "$D/stems/lead.wav"
expect 1 "render onto a stem"
echo "$err" | has "stems/lead.wav" || fail "stem conflict message: $err"
cmp -s "$D/stems/lead.wav" "$T/stems.orig/lead.wav" || fail "a stem was overwritten"
run "$OBJR" "$D/mix.xml" -l 2.0 --duration 1 -o "$D/stems/../stems/./bells.wav"
expect 1 "render onto a stem spelt differently"
ln "$D/stems/rain.wav" "$T/hardlink.wav"
run "$OBJR" "$D/mix.xml" -l 2.0 --duration 1 -o "$T/hardlink.wav"
expect 1 "render onto a hard link to a stem"
cmp -s "$D/stems/rain.wav" "$T/stems.orig/rain.wav" || fail "a hard-linked stem was overwritten"
cp /usr/share/libmysofa/MIT_KEMAR_normal_pinna.sofa "$T/h.sofa" 2>/dev/null ||
    cp /usr/share/libmysofa/default.sofa "$T/h.sofa"
cp "$T/h.sofa" "$T/h.orig.sofa"
run "$OBJR" "$D/mix.wav" -l binaural --hrtf "$T/h.sofa" --duration 1 -o "$T/h.sofa"
expect 1 "render onto the SOFA file"
cmp -s "$T/h.sofa" "$T/h.orig.sofa" || fail "the SOFA file was overwritten"
printf 'name = duo\nM+030 30 0\nM-030 -30 0\n' >"$T/duo.txt"
cp "$T/duo.txt" "$T/duo.orig"
run "$OBJR" "$D/mix.wav" -l "$T/duo.txt" --duration 1 -o "$T/duo.txt"
expect 1 "render onto the layout file"
cmp -s "$T/duo.txt" "$T/duo.orig" || fail "the layout file was overwritten"
run "$ADM" pack "$D/mix.xml" -o "$D/stems/shimmer.wav"
expect 1 "admtool pack onto a stem"
cmp -s "$D/stems/shimmer.wav" "$T/stems.orig/shimmer.wav" || fail "pack overwrote a stem"
mkdir -p "$T/self/stems"
cp "$D/mix.wav" "$T/self/stems/track_001.wav"
(cd "$T/self" && run "$ADM" unpack stems/track_001.wav -o . && expect 1 "unpack onto its input")
cmp -s "$T/self/stems/track_001.wav" "$D/mix.wav" || fail "unpack overwrote its input"
mkdir -p "$T/rep"
echo "band_warn = 2" >"$T/rep/report.json"
run "$CHECK" "$D/mix.wav" --thresholds "$T/rep/report.json" -o "$T/rep"
expect 1 "objcheck report onto its thresholds file"
grep -q band_warn "$T/rep/report.json" || fail "objcheck overwrote its thresholds file"
no_temps "$T" "refused outputs"

# ---- 3. a failed run leaves every pre-existing file as it was ------------------------------
mkdir -p "$T/two"
echo OLD >"$T/two/2.0.wav"
mkdir "$T/two/5.1.wav"
run "$OBJR" "$D/mix.wav" -l 2.0,5.1 --duration 1 -o "$T/two/{layout}.wav"
expect 3 "two layouts, the second one a folder"
[ "$(cat "$T/two/2.0.wav")" = OLD ] || fail "the first layout's previous file was replaced or removed"
no_temps "$T/two" "two layouts"
mkdir -p "$T/twom"
echo OLD >"$T/twom/2.0.wav"
mkdir "$T/twom/5.1.wav"
run "$OBJR" "$D/mix.wav" -l 2.0,5.1 --master streaming --duration 4 -o "$T/twom/{layout}.wav"
expect 3 "--master of two layouts, the second one a folder"
[ "$(cat "$T/twom/2.0.wav")" = OLD ] || fail "--master: the first layout's previous file was replaced or removed"
no_temps "$T/twom" "--master of two layouts"
run "$ADM" unpack "$D/mix.wav" -o "$T/up"
expect 0 "unpack"
cp -r "$T/up/stems" "$T/up.stems"
rm "$T/up/mix.xml"
mkdir -p "$T/up/mix.xml/keep" "$T/up/chunks"
echo STALE >"$T/up/chunks/98_zzzz.bin" # a chunk file an earlier unpack of another mix left
run "$ADM" unpack "$D/mix.wav" -o "$T/up"
[ "$rc" != 0 ] || fail "unpack with a folder at mix.xml succeeded"
diff -r "$T/up/stems" "$T/up.stems" >/dev/null || fail "a failed unpack changed or removed the previous stems"
[ -f "$T/up/chunks/98_zzzz.bin" ] || fail "a failed unpack removed the previous unpack's chunk files"
no_temps "$T/up" "failed unpack"
rm -r "$T/up/mix.xml"
run "$ADM" unpack "$D/mix.wav" -o "$T/up"
expect 0 "unpack over a previous one"
[ ! -e "$T/up/chunks/98_zzzz.bin" ] || fail "unpack kept a stale chunk file (pack would carry it)"

# ---- 4. devices and symlinks as outputs ----------------------------------------------------
NULLDEV=/dev/null
if [ "$(id -u)" = 0 ] && mknod "$T/null" c 1 3 2>/dev/null; then NULLDEV="$T/null"; fi
run "$OBJR" "$D/mix.wav" -l 2.0 --duration 1 -o "$NULLDEV"
expect 0 "render to a character device"
[ -c "$NULLDEV" ] || fail "$NULLDEV is no longer a character device"
echo OLD >"$T/real.wav"
ln -s real.wav "$T/link.wav"
run "$OBJR" "$D/mix.wav" -l 2.0 --duration 1 -o "$T/link.wav"
expect 0 "render through a symlink"
[ -L "$T/link.wav" ] || fail "the symlink was replaced"
[ "$(head -c 4 "$T/real.wav")" = RIFF ] || fail "the symlink's target was not written"
ln -s missing.wav "$T/dangling.wav"
run "$OBJR" "$D/mix.wav" -l 2.0 --duration 1 -o "$T/dangling.wav"
expect 3 "render through a dangling symlink"
[ -L "$T/dangling.wav" ] || fail "the dangling symlink was replaced"

# ---- 5. FIFOs as inputs: refused at once, never read ---------------------------------------
mkdir -p "$T/fifo/stems"
cp "$D/mix.xml" "$T/fifo/"
cp "$D"/stems/*.wav "$T/fifo/stems/"
rm "$T/fifo/stems/lead.wav"
mkfifo "$T/fifo/stems/lead.wav"
for cmd in "$OBJR $T/fifo/mix.xml -l 2.0 -o $T/fifo/out.wav" "$ADM info $T/fifo/mix.xml" \
    "$ADM validate $T/fifo/mix.xml" "$ADM pack $T/fifo/mix.xml -o $T/fifo/p.wav"; do
    # shellcheck disable=SC2086
    run $cmd
    [ "$rc" != 124 ] || fail "FIFO stem: '$cmd' hangs"
    case "$cmd" in *" info "*) ;; *) [ "$rc" != 0 ] || fail "FIFO stem: '$cmd' exit 0" ;; esac
    cat "$T/out.txt" "$T/err.txt" | has -i "fifo" || fail "FIFO stem: '$cmd' does not say why: $err"
done
mkfifo "$T/fifo/in.wav"
run "$OBJR" "$T/fifo/in.wav" -l 2.0
expect 2 "FIFO input"
run "$ADM" info "$T/fifo/in.wav"
[ "$rc" = 2 ] || fail "admtool info on a FIFO: exit $rc"
run "$OBJR" "$D/mix.wav" -l 2.0 --hrtf "$T/fifo/in.wav" -o "$T/fifo/x.wav"
[ "$rc" != 124 ] || fail "a FIFO SOFA file hangs"
[ ! -e "$T/fifo/out.wav" ] && [ ! -e "$T/fifo/p.wav" ] || fail "output after a FIFO input"

# ---- 6. no write through a link planted at a temporary name --------------------------------
echo VICTIM >"$T/victim"
mkdir -p "$T/plant"
ln -s "$T/victim" "$T/plant/mix.xml.tmp"
run "$ADM" unpack "$D/mix.wav" -o "$T/plant"
expect 0 "unpack beside a planted link"
[ "$(cat "$T/victim")" = VICTIM ] || fail "admtool wrote through mix.xml.tmp"
mkdir -p "$T/plant2"
ln -s "$T/victim" "$T/plant2/mix.xml.tmp"
"$DEMO" -o "$T/plant2" >/dev/null || fail "objdemo beside a planted link"
[ "$(cat "$T/victim")" = VICTIM ] || fail "objdemo wrote through mix.xml.tmp"

# ---- 10. SIGINT/SIGTERM leave no temporary -------------------------------------------------
for sig in TERM INT; do
    mkdir -p "$T/sig$sig"
    python3 - "$OBJR" "$D/mix.wav" "$T/sig$sig" "$sig" <<'PY' || fail "SIG$sig: render not interrupted"
import glob, os, signal, subprocess, sys, time
objr, inp, out, sig = sys.argv[1:]
def dfl():
    signal.signal(signal.SIGINT, signal.SIG_DFL)
p = subprocess.Popen([objr, inp, "-l", "7.1.4,binaural", "-o", out + "/{layout}.wav", "--quiet"],
                     preexec_fn=dfl)
for _ in range(600):
    if glob.glob(out + "/*.tmp-*") or p.poll() is not None:
        break
    time.sleep(0.01)
if p.poll() is not None:
    sys.exit("finished before the signal")
time.sleep(0.2)
p.send_signal(getattr(signal, "SIG" + sig))
rc = p.wait()
sys.exit(0 if rc == -getattr(signal, "SIG" + sig) else "exit %d" % rc)
PY
    no_temps "$T/sig$sig" "SIG$sig"
    [ -z "$(ls "$T/sig$sig")" ] || fail "SIG$sig: outputs left: $(ls "$T/sig$sig")"
done

# ---- modes and folders ---------------------------------------------------------------------
umask 027
run "$OBJR" "$D/mix.wav" -l 2.0 --duration 1 -o "$T/new/deep/r.wav"
expect 0 "render into missing folders"
[ "$(mode_of "$T/new/deep/r.wav")" = 640 ] || fail "render mode $(mode_of "$T/new/deep/r.wav") under umask 027"
run "$MASTER" --preset streaming "$T/new/deep/r.wav" -o "$T/new/m/m.wav"
expect 0 "master into a missing folder"
[ "$(mode_of "$T/new/m/m.wav")" = 640 ] || fail "master mode $(mode_of "$T/new/m/m.wav") under umask 027"
umask 022
run "$OBJR" "$D/mix.wav" -l 2.0 --duration 1 -o "$T/r644.wav"
[ "$(mode_of "$T/r644.wav")" = 644 ] || fail "render mode under umask 022"
run "$MASTER" --preset streaming "$T/r644.wav" -o "$T/m644.wav"
[ "$(mode_of "$T/m644.wav")" = 644 ] || fail "master mode $(mode_of "$T/m644.wav") under umask 022"
run "$MASTER" --album-mode --preset streaming "$T/r644.wav" -o "$T/album/sub"
expect 0 "album mode into a missing folder"
[ -f "$T/album/sub/r644.wav" ] || fail "album output missing"
run "$CHECK" "$D/mix.wav" --renders 2.0 --no-objects -o "$T/reports/a/b" --quiet
[ -f "$T/reports/a/b/report.json" ] && [ -f "$T/reports/a/b/report.html" ] ||
    fail "objcheck did not create its report folder: $rc $err"

# ---- stdout ---------------------------------------------------------------------------------
"$OBJR" "$D/mix.wav" -l 2.0 --duration 2 --sample-format s16 -o "$T/file.wav" --quiet
"$OBJR" "$D/mix.wav" -l 2.0 --duration 2 --sample-format s16 -o - --quiet >"$T/stream.wav"
head -c 4 "$T/stream.wav" | has RIFF || fail "stdout is not a WAV stream"
ffmpeg -loglevel error -i "$T/file.wav" -f s16le -y "$T/file.raw"
"$OBJR" "$D/mix.wav" -l 2.0 --duration 2 --sample-format s16 -o - --quiet |
    ffmpeg -loglevel error -f wav -i - -f s16le -y "$T/pipe.raw"
[ -s "$T/pipe.raw" ] && cmp -s "$T/file.raw" "$T/pipe.raw" ||
    fail "ffmpeg decodes the stdout stream differently from the file ($(stat -c %s "$T/file.raw") vs $(stat -c %s "$T/pipe.raw") bytes)"
"$OBJR" "$D/mix.wav" -l 2.0 --duration 2 --sample-format f32 -o - --quiet |
    ffmpeg -loglevel error -f wav -i - -f f32le -y "$T/pipe32.raw"
[ "$(stat -c %s "$T/pipe32.raw")" = $((96000 * 2 * 4)) ] || fail "float stream length"
# ---- stdin ("-") as the input --------------------------------------------------------------
"$OBJR" - -l 2.0 --duration 2 --sample-format s16 -o "$T/from-stdin.wav" --quiet <"$D/mix.wav" ||
    fail "render of a BWF from stdin"
cmp -s "$T/from-stdin.wav" "$T/file.wav" || fail "the render from stdin differs from the file's"
(cd "$D" && "$OBJR" - -l 2.0 --duration 2 --sample-format s16 -o "$T/xml-stdin.wav" --quiet <mix.xml) ||
    fail "render of a mix.xml from stdin (stems from the working folder)"
"$ADM" info - <"$D/mix.wav" | has "15 tracks" || fail "admtool info -"
(cd "$D" && "$ADM" validate - <mix.xml >/dev/null) || fail "admtool validate - (mix.xml)"
run "$ADM" pack - -o "$T/p.wav"
expect 1 "admtool pack -"
run "$MASTER" --preset streaming - -o "$T/m.wav"
expect 1 "objmaster -"
run "$CHECK" -
expect 1 "objcheck -"
run "$OBJR" - -l 2.0
expect 1 "stdin input without -o"
cd "$T"
run "$OBJR" "$D/mix.wav" -l 2.0,5.1 -o -
expect 1 "two layouts to stdout"
run "$OBJR" "$D/mix.wav" -l 2.0 --master streaming -o -
expect 1 "a master to stdout"
run "$CHECK" "$D/mix.wav" -o -
expect 1 "objcheck reports to stdout"
[ ! -e "$T/-" ] || fail "a file named - was created"
[ "$FAILED" = 0 ] || exit 1
echo "outputs: all checks passed"
