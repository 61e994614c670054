#!/usr/bin/env bash
# One exit-status scheme for every tool (README "Exit codes"): each tool's --help ends with the
# same exit-status paragraph, and each tool gives 1 for a bad option, 2 for an input that does
# not exist (naming it) and 3 for an output it cannot write (naming it).
# Usage: bash test_exit_codes.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # has()
BUILD=$(cd "$1" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
err() { echo "test_exit_codes: FAIL: $*" >&2; fail=1; }

TOOLS="objrender admtool objmaster objcheck objdemo"
# The paragraph from "Exit status" to the end of --help, identical in every tool.
ref=""
for t in $TOOLS; do
    help=$("$BUILD/$t" --help) || err "$t --help: exit $?"
    para=$(sed -n '/^Exit status (the same for/,$p' <<<"$help")
    [ -n "$para" ] || { err "$t --help has no shared exit-status paragraph"; continue; }
    # it ends the help text
    [ "$(tail -n 1 <<<"$help")" = "$(tail -n 1 <<<"$para")" ] || err "$t: exit paragraph is not last"
    for code in 0 1 2 3 4 5; do
        grep -q "^  $code  " <<<"$para" || err "$t --help: no line for exit status $code"
    done
    if [ -z "$ref" ]; then ref=$para; elif [ "$para" != "$ref" ]; then
        err "$t --help: exit-status paragraph differs from objrender's"
    fi
done

expect() { # name, wanted rc, pattern in stderr ('' = any), command...
    local name=$1 want=$2 pat=$3; shift 3
    "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    [ "$rc" = "$want" ] || err "$name: exit $rc, expected $want ($(head -c 300 "$T/err"))"
    [ -z "$pat" ] || has -- "$pat" "$T/err" || err "$name: stderr lacks '$pat': $(head -c 300 "$T/err")"
}
# 1: a bad option, in every tool
expect "objrender bad option" 1 "--frobnicate" "$BUILD/objrender" --frobnicate
expect "admtool bad command" 1 "frobnicate" "$BUILD/admtool" frobnicate
expect "objmaster bad option" 1 "--frobnicate" "$BUILD/objmaster" --frobnicate
expect "objcheck bad option" 1 "--frobnicate" "$BUILD/objcheck" --frobnicate
expect "objdemo bad option" 1 "--frobnicate" "$BUILD/objdemo" --frobnicate
# 2: the input does not exist
expect "objrender missing input" 2 "$T/nope.wav" "$BUILD/objrender" "$T/nope.wav" --layout 2.0
expect "admtool missing input" 2 "$T/nope.wav" "$BUILD/admtool" info "$T/nope.wav"
expect "objmaster missing input" 2 "$T/nope.wav" "$BUILD/objmaster" --preset ebu-r128 "$T/nope.wav" -o "$T/o.wav"
expect "objmaster --measure missing input" 2 "$T/nope.wav" "$BUILD/objmaster" --measure "$T/nope.wav"
expect "objcheck missing input" 2 "$T/nope.wav" "$BUILD/objcheck" "$T/nope.wav" -o "$T/rep"
# 3: an output that cannot be written (its directory is a file)
: >"$T/afile"
expect "objdemo unwritable" 3 "afile" "$BUILD/objdemo" -o "$T/afile/demo"
if command -v ffmpeg >/dev/null; then
    ffmpeg -v error -f lavfi -i "sine=f=1000:d=1:r=48000" -ac 2 -c:a pcm_s24le -y "$T/st.wav"
    expect "objmaster unwritable" 3 "afile/o.wav" "$BUILD/objmaster" --preset ebu-r128 "$T/st.wav" -o "$T/afile/o.wav"
fi
exit $fail
