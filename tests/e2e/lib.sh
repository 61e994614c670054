# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the e2e scripts (not a test itself).
# has PATTERN...: grep that reads all of its input. Under pipefail, `cmd | grep -q` fails at
# random: grep exits at the first match and cmd, still writing, dies of SIGPIPE (status 141).
has() { grep "$@" >/dev/null; }
# run CMD...: runs CMD under set -e without stopping the script; sets rc, out and err (its
# exit status, stdout and stderr, read back from files in $TMP, which the script creates).
run() {
    set +e
    "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    set -e
    out=$(cat "$TMP/out")
    err=$(cat "$TMP/err")
}
