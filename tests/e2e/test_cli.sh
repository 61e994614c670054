#!/usr/bin/env bash
# One command line across the five tools (tools/tool_options.c): every tool answers -h/--help,
# --version and -V the same way, refuses an unknown option with exit 1 and a "did you mean" for
# a near miss, and describes every shared option (--format, --sample-format, --bits, --lufs,
# --tp, --preset, --hrtf, --hrtf-eq, --binaural-mode and the common options) with the same
# help line wherever it exists, so a name means one thing. Old spellings still work with one
# deprecation line.
# Usage: bash test_cli.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # has()
BUILD=$(cd "$1" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
err() { echo "test_cli: FAIL: $*" >&2; fail=1; }

TOOLS="objrender admtool objmaster objcheck objdemo"
version=""
for t in $TOOLS; do
    for h in -h --help; do
        "$BUILD/$t" $h >"$T/help" 2>"$T/err" || err "$t $h: exit $?"
        head -n 1 "$T/help" | has "^Usage: $t" || err "$t $h: no 'Usage: $t' first line"
        [ -s "$T/err" ] && err "$t $h wrote to stderr"
    done
    # every common option is listed
    for o in "-h, --help" "-V, --version" "-o, --output" "-q, --quiet" "-v, --verbose" "--json"; do
        grep -q -- "^  .*$o" "$T/help" || err "$t --help lacks '$o'"
    done
    for v in --version -V; do
        out=$("$BUILD/$t" $v) || err "$t $v: exit $?"
        [[ "$out" =~ ^$t\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || err "$t $v printed '$out'"
        ver=${out#* }
        [ -z "$version" ] && version=$ver
        [ "$ver" = "$version" ] || err "$t $v: version $ver differs from $version"
    done
    # unknown option: exit 1, one line naming it; a near miss gets a suggestion
    "$BUILD/$t" --frobnicate >"$T/out" 2>"$T/err"; rc=$?
    [ $rc = 1 ] || err "$t --frobnicate: exit $rc"
    [ "$(wc -l <"$T/err")" = 1 ] || err "$t --frobnicate: not one line: $(cat "$T/err")"
    grep -q -- "unknown option '--frobnicate'" "$T/err" || err "$t: $(cat "$T/err")"
    [ -s "$T/out" ] && err "$t --frobnicate wrote to stdout"
    "$BUILD/$t" --verbsoe >/dev/null 2>"$T/err"; rc=$?
    [ $rc = 1 ] || err "$t --verbsoe: exit $rc"
    grep -q -- "did you mean --verbose?" "$T/err" || err "$t --verbsoe: no suggestion: $(cat "$T/err")"
    "$BUILD/$t" --help >"$T/$t.help"
done

# The option-meaning table: each shared option's help line is the same in every tool that has
# it (the first line of its description; defaults may differ and follow in [...]).
block_of() { # tool option -> the option's whole help entry on one line
    awk -v o="--$2" '
        in_opt && $0 !~ /^                                [^ ]/ {exit}
        in_opt {sub(/^ +/, ""); printf " %s", $0; next}
        $0 ~ "^ +(-., )?" o "( |$)" {in_opt = 1; sub(/^ *(-., )?--[^ ]+( [^ ]+)? +/, ""); printf "%s", $0}
        END {print ""}' "$T/$1.help"
}
line_of() { # tool option -> its description, without the [default ...; range] bracket
    block_of "$1" "$2" | sed 's/ \[[^]]*\]$//'
}
for opt in format sample-format bits lufs tp preset hrtf hrtf-eq binaural-mode quiet verbose json; do
    ref="" ref_tool=""
    n=0
    for t in $TOOLS; do
        l=$(line_of "$t" "$opt")
        [ -z "$l" ] && continue
        n=$((n + 1))
        if [ -z "$ref" ]; then ref=$l ref_tool=$t
        elif [ "$l" != "$ref" ]; then err "--$opt: '$t' says '$l', '$ref_tool' says '$ref'"; fi
    done
    [ $n -ge 1 ] || err "--$opt: in no tool"
done
# the meanings themselves: --format is the file format, --sample-format/--bits the sample format
for t in objrender objmaster admtool; do
    block_of $t format | has "wav|rf64|flac" || err "$t: --format is not the file format"
    block_of $t sample-format | has "s16|s24|s32|f32" || err "$t: no --sample-format"
    block_of $t bits | has "16|24|32" || err "$t: no --bits"
done
# one --lufs range
for t in objrender objmaster; do
    block_of $t lufs | has -- "-70..0 LUFS" || err "$t: --lufs range is not -70..0"
done

# Values: a bad enum value gets the choices and a suggestion; a number out of range its range.
"$BUILD/objrender" x.wav -l 2.0 --hrtf-eq difuse 2>"$T/err"; rc=$?
[ $rc = 1 ] && grep -q "expected diffuse|none (did you mean diffuse?)" "$T/err" || err "enum value: rc $rc $(cat "$T/err")"
"$BUILD/objmaster" --lufs -80 --measure x.wav 2>"$T/err"; rc=$?
[ $rc = 1 ] && grep -q -- "-70..0 LUFS" "$T/err" || err "lufs range: rc $rc $(cat "$T/err")"
"$BUILD/objrender" x.wav -l 7.1.5 2>"$T/err"; rc=$?
[ $rc = 1 ] && grep -q "did you mean" "$T/err" || err "layout suggestion: rc $rc $(cat "$T/err")"
"$BUILD/objmaster" --preset streming x.wav -o "$T/y.wav" 2>"$T/err"; rc=$?
[ $rc = 1 ] && grep -q "did you mean streaming?" "$T/err" || err "preset suggestion: rc $rc $(cat "$T/err")"
"$BUILD/admtool" inof x.wav 2>"$T/err"; rc=$?
[ $rc = 1 ] && grep -q "did you mean info?" "$T/err" || err "command suggestion: rc $rc $(cat "$T/err")"
# --name=value, -xVALUE and "--" work
"$BUILD/objrender" --gain=abc x.wav -l 2.0 2>"$T/err"; rc=$?
[ $rc = 1 ] && grep -q "bad --gain 'abc'" "$T/err" || err "--gain=abc: rc $rc $(cat "$T/err")"
"$BUILD/objrender" -g300 x.wav -l 2.0 2>"$T/err"; rc=$?
[ $rc = 1 ] && grep -q -- "-120..40 dB" "$T/err" || err "-g300: rc $rc $(cat "$T/err")"

# Old spellings: one deprecation line, same result. A small scene: one mono object, 0.2 s.
if command -v ffmpeg >/dev/null; then
    "$BUILD/objdemo" -o "$T/demo" -q || err "objdemo"
    "$BUILD/objrender" "$T/demo/mix.wav" -l 2.0 --duration 0.2 --format s16 -o "$T/old.wav" -q 2>"$T/err" || err "--format s16: exit $?"
    [ "$(grep -c "deprecated" "$T/err")" = 1 ] || err "--format s16: expected one deprecation line: $(cat "$T/err")"
    grep -q -- "--sample-format s16" "$T/err" || err "--format s16: line does not name --sample-format"
    "$BUILD/objrender" "$T/demo/mix.wav" -l 2.0 --duration 0.2 --sample-format s16 -o "$T/new.wav" -q 2>"$T/err" || err "--sample-format s16"
    [ -s "$T/err" ] && err "--sample-format s16 printed: $(cat "$T/err")"
    "$BUILD/objrender" "$T/demo/mix.wav" -l 2.0 --duration 0.2 -b 16 -o "$T/bits.wav" -q || err "-b 16"
    cmp -s "$T/old.wav" "$T/new.wav" && cmp -s "$T/new.wav" "$T/bits.wav" || err "--format s16, --sample-format s16 and -b 16 differ"
    [ "$(ffprobe -v error -show_entries stream=codec_name -of csv=p=0 "$T/new.wav")" = pcm_s16le ] || err "s16 render is not pcm_s16le"
    "$BUILD/admtool" pack "$T/demo/mix.xml" -o "$T/p.wav" --format pcm16 2>"$T/err" || err "pack --format pcm16"
    grep -q "deprecated" "$T/err" || err "pack --format pcm16: no deprecation line"
    [ "$(ffprobe -v error -show_entries stream=codec_name -of csv=p=0 "$T/p.wav")" = pcm_s16le ] || err "pack --format pcm16 not s16"
    # --hrtf without a binaural layout: rendered, with one line saying it is not used
    "$BUILD/objrender" "$T/demo/mix.wav" -l 2.0 --duration 0.2 --hrtf "$T/missing.sofa" -o "$T/h.wav" -q 2>"$T/err" || err "--hrtf unused: exit $?"
    [ "$(grep -c "warning: --hrtf .*missing.sofa is not used" "$T/err")" = 1 ] || err "--hrtf unused: $(cat "$T/err")"
    # objcheck's old --out still works
    "$BUILD/objcheck" --help | has -- "--output DIR" || err "objcheck: no --output DIR"
fi
exit $fail
