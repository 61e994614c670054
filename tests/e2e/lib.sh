# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the e2e scripts (not a test itself).
# has PATTERN...: grep that reads all of its input. Under pipefail, `cmd | grep -q` fails at
# random: grep exits at the first match and cmd, still writing, dies of SIGPIPE (status 141).
has() { grep "$@" >/dev/null; }
