#!/usr/bin/env bash
# The installed library is usable the way the README says: `cmake --install` into a fresh
# prefix, then a C program built only with `pkg-config --cflags --libs objrender` links, runs
# and reaches the public API (version, status text, a layout lookup). The installed tools link
# the installed shared library (held to the public API) and find it without LD_LIBRARY_PATH.
set -euo pipefail
BUILD=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$BUILD" --prefix "$tmp/prefix" >/dev/null
pc=$(find "$tmp/prefix" -name objrender.pc | head -n 1)
[ -n "$pc" ] || { echo "FAIL: no objrender.pc installed"; exit 1; }
export PKG_CONFIG_PATH=$(dirname "$pc")
cat > "$tmp/use.c" <<'C'
#include <objrender/objr.h>
#include <stdio.h>
#include <string.h>
int main(void) {
    objr_layout *l = NULL;
    if (objr_layout_from_name("7.1.4", &l) != OBJR_OK || objr_layout_n_channels(l) != 12)
        return 1;
    objr_layout_destroy(l);
    if (strcmp(objr_strerror(OBJR_ERR_NOMEM), "out of memory") != 0)
        return 2;
    printf("%s\n", objr_version_string());
    return 0;
}
C
# A sanitizer build's library needs the sanitizer runtime in the program too.
san=$(sed -n 's/^OBJR_SANITIZE:STRING=//p' "$BUILD/CMakeCache.txt")
sanflags=""
[ -n "$san" ] && sanflags="-fsanitize=$san"
cc -std=c11 -Wall -Wextra -Werror $sanflags "$tmp/use.c" $(pkg-config --cflags --libs objrender) \
    -o "$tmp/use"
libdir=$(pkg-config --variable=libdir objrender)
out=$(LD_LIBRARY_PATH="$libdir" "$tmp/use")
want=$(pkg-config --modversion objrender)
[ "$out" = "$want" ] || { echo "FAIL: version '$out' != pkg-config '$want'"; exit 1; }
echo "install + pkg-config: ok ($out)"
# The tools: linked against libobjrender (not a static copy of the internals), found through
# their RPATH from the prefix alone.
for tool in admtool objrender objmaster objcheck objdemo; do
    bin="$tmp/prefix/bin/$tool"
    [ -x "$bin" ] || { echo "FAIL: $tool not installed"; exit 1; }
    lib=$(env -u LD_LIBRARY_PATH ldd "$bin" | awk '/libobjrender\.so/ {print $3}')
    case "$lib" in
    "$tmp/prefix/"*) ;;
    *) echo "FAIL: installed $tool resolves libobjrender to '$lib', not the prefix's"; exit 1 ;;
    esac
    env -u LD_LIBRARY_PATH "$bin" --version >/dev/null ||
        { echo "FAIL: installed $tool --version"; exit 1; }
done
echo "installed tools: linked to the prefix's libobjrender, run without LD_LIBRARY_PATH"
