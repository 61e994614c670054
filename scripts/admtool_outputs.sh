#!/usr/bin/env bash
# Record `admtool info`, `info --json` and `validate` (stdout, stderr, exit status) on a set of
# inputs, one file per input and command, so two builds can be compared byte for byte:
#   scripts/admtool_outputs.sh BUILD_A INPUTS_DIR OUT_A
#   scripts/admtool_outputs.sh BUILD_B INPUTS_DIR OUT_B && diff -r OUT_A OUT_B
# INPUTS_DIR is prepared once (scripts/admtool_outputs.sh --prepare BUILD INPUTS_DIR): the demo
# mix (objdemo: mix.wav, mix.xml and its stems, plus mix.xml variants with a missing stem and a
# channel beyond its stem), and links to every file of ../shared/adm-corpus and tests/data.
set -euo pipefail
if [ "${1:-}" = "--prepare" ]; then
    BUILD=$(cd "$2" && pwd) IN=$3
    SRC=$(cd "$(dirname "$0")/.." && pwd)
    mkdir -p "$IN/corpus" "$IN/testdata"
    "$BUILD/objdemo" -o "$IN/demo" >/dev/null
    # variants of the mix.xml: one stem missing, one objr:channel beyond its stem
    f=$(grep -o 'objr:file="[^"]*"' "$IN/demo/mix.xml" | head -n 1 | sed 's/objr:file="//;s/"$//')
    sed "0,/objr:file=\"$(printf %s "$f" | sed 's|/|\\/|g')\"/s//objr:file=\"missing.wav\"/" \
        "$IN/demo/mix.xml" >"$IN/demo/mix_missing_stem.xml"
    sed '0,/objr:channel="1"/s//objr:channel="99"/' "$IN/demo/mix.xml" >"$IN/demo/mix_bad_channel.xml"
    find "$SRC/../shared/adm-corpus" -type f ! -name '*.md' | while read -r p; do
        ln -sf "$p" "$IN/corpus/$(basename "$p")"
    done
    find "$SRC/tests/data" -type f | while read -r p; do
        ln -sf "$p" "$IN/testdata/$(basename "$p")"
    done
    exit 0
fi
BUILD=$(cd "$1" && pwd) IN=$2 OUT=$3
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
cd "$IN"
find . \( -type f -o -type l \) \( -name '*.wav' -o -name '*.xml' -o -name '*.bin' \) | sort |
    while read -r p; do
        key=$(printf %s "${p#./}" | tr '/' '_')
        for cmd in info json validate; do
            case $cmd in
            info) args=(info "$p") ;;
            json) args=(info "$p" --json) ;;
            validate) args=(validate "$p") ;;
            esac
            set +e
            "$BUILD/admtool" "${args[@]}" >"$OUT/$key.$cmd.out" 2>"$OUT/$key.$cmd.err"
            echo $? >"$OUT/$key.$cmd.rc"
            set -e
        done
    done
echo "$(ls "$OUT" | wc -l) files in $OUT"
