#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Progress display (tools/tool_progress.c): on a terminal (a pseudo-terminal from script(1))
# objrender, objmaster and objcheck draw one line per stage with a percentage that reaches
# 100%; with --quiet, or when stderr is not a terminal, nothing of it is written (no carriage
# returns in a log). Speed and time left depend on the machine and are not asserted.
# Usage: test_progress.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
BUILD=$(cd "$1" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
err() { echo "test_progress: FAIL: $*" >&2; fail=1; }
command -v script >/dev/null || { echo "script(1) not installed: skipping"; exit 0; }
"$BUILD/objdemo" -o "$T/demo" -q || { err objdemo; exit 1; }

tty_run() { script -qec "$*" /dev/null </dev/null | tr '\r' '\n'; }
out=$(tty_run "'$BUILD/objrender' '$T/demo/mix.wav' -l 2.0 --duration 5 -o '$T/a.wav'")
grep -aEq "^objrender: rendering +[0-9]*%" <<<"$out" || err "objrender: no progress line on a terminal: $out"
grep -aq "^objrender: rendering 100%" <<<"$out" || err "objrender: progress does not reach 100%"
out=$(tty_run "'$BUILD/objrender' '$T/demo/mix.wav' -l 2.0 --duration 5 -o '$T/b.wav' -q")
grep -aq "rendering" <<<"$out" && err "objrender -q drew progress: $out"
"$BUILD/objrender" "$T/demo/mix.wav" -l 2.0 --duration 5 -o "$T/c.wav" 2>"$T/err"
grep -q $'\r' "$T/err" && err "objrender: progress written when stderr is not a terminal"
out=$(tty_run "'$BUILD/objmaster' --preset streaming '$T/a.wav' -o '$T/m.wav'")
grep -aEq "^objmaster: measuring +[0-9]*%" <<<"$out" || err "objmaster: no measuring stage: $out"
grep -aEq "^objmaster: mastering +[0-9]*%" <<<"$out" || err "objmaster: no mastering stage: $out"
out=$(tty_run "'$BUILD/objcheck' '$T/demo/mix.wav' --renders 2.0 --no-objects -o '$T/rep'")
grep -aq "^objcheck: checking 100%" <<<"$out" || err "objcheck: no checking stage: $out"
exit $fail
