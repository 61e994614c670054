#!/usr/bin/env bash
# Dependencies point one way (DESIGN.md): src/core <- src/dsp <- formats <- layouts <- renderers
# <- src/render <- src/master, src/check <- tools. Every project `#include "..."` in the library
# folders is checked against that order, and the tools may include only the public headers
# (include/objrender/) and their own files under tools/. A failure names the file, the line and
# the edge. Within one folder, a file and its header are one module (foo.c implements foo.h;
# foo_internal.h is foo's private header);
# the modules' include edges must not form a cycle (two modules that need each other are one
# module, or a third is missing, as formats/adm_resolve.c is to adm_model and adm_commondefs).
set -euo pipefail
SRC=$2
cd "$SRC"
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT

# rank of a path by its folder (longest prefix wins); empty when not a library folder
rank() {
    case "$1" in
    src/core/*) echo 0 ;;
    src/dsp/*) echo 1 ;;
    formats/*) echo 2 ;;
    layouts/*) echo 3 ;;
    renderers/*) echo 4 ;;
    src/render/*) echo 5 ;;
    src/master/*) echo 6 ;;
    src/check/*) echo 7 ;;
    tools/*) echo 9 ;;
    *) echo "" ;;
    esac
}

bad=0
checked=0
while IFS= read -r f; do
    from=$(rank "$f")
    [ -n "$from" ] || continue
    while IFS=: read -r line inc; do
        checked=$((checked + 1))
        if [ "$(dirname "$f")" = "$(dirname "$inc")" ]; then
            # foo_internal.h is foo's private header (shared by foo.c and the files foo
            # splits into): part of module foo
            a=${f%.[ch]}
            a=${a%_internal}
            b=${inc%.[ch]}
            b=${b%_internal}
            case "$a>$b" in
            # The one tracked exception: src/check/objects.h takes the check's types from
            # checks.h while checks.c runs the per-object analysis (the check lane's shape).
            src/check/objects\>src/check/checks) ;;
            *) [ "$a" = "$b" ] || echo "$a $b" >>"$edges" ;;
            esac
        fi
        to=$(rank "$inc")
        if [ "$from" = 9 ]; then
            # tools: public headers and tools/ only
            case "$f:$inc" in
            *:objrender/* | *:tools/* | *:tool_*.h) ;;
            *)
                echo "FAIL: $f:$line: tools include the public API only, not \"$inc\""
                bad=$((bad + 1))
                ;;
            esac
            continue
        fi
        [ -n "$to" ] || continue
        # src/master and src/check are siblings: the check may use the meters (master) but
        # the master never uses the check
        if [ "$to" -gt "$from" ]; then
            echo "FAIL: $f:$line: includes \"$inc\", a layer above it (DESIGN.md dependency order)"
            bad=$((bad + 1))
        fi
    done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
        sed -E 's/^([0-9]+):[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]+)".*/\1:\2/')
done < <(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' | sed 's|^\./||')

# tsort names the members of every cycle it has to break
cycle=$(tsort "$edges" 2>&1 >/dev/null | sed -n 's/^tsort: \([^:]*\)$/\1/p' | tr '\n' ' ' || true)
if [ -n "$cycle" ]; then
    echo "FAIL: include cycle within a folder (a file and its header count as one module): $cycle"
    bad=$((bad + 1))
fi

if [ "$bad" -gt 0 ]; then
    echo "$bad include problems: edges against the dependency order or cycles ($checked includes checked)"
    exit 1
fi
echo "include order: $checked includes checked, none against the order, $(wc -l <"$edges") same-folder module edges, no cycle"
