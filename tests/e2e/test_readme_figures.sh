#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The README's demo-mix figures cannot drift: scripts/readme_figures.sh measures them from the
# tools of this build, and the block between the README's readme_figures markers must be
# exactly what it prints. After a change that moves them: scripts/readme_figures.sh --update.
# Usage: test_readme_figures.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
command -v ffmpeg >/dev/null || { echo "ffmpeg not installed: skipping"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
OBJR_BUILD_DIR="$BUILD" "$SRC/scripts/readme_figures.sh" >"$T/now" || { echo "FAIL: readme_figures.sh"; exit 1; }
sed -n '/<!-- readme_figures: begin/,/<!-- readme_figures: end -->/p' "$SRC/README.md" >"$T/readme"
[ -s "$T/readme" ] || { echo "FAIL: README.md has no readme_figures block"; exit 1; }
if ! diff -u "$T/readme" "$T/now"; then
    echo "FAIL: README.md's figures differ from what the build measures: run scripts/readme_figures.sh --update"
    exit 1
fi
