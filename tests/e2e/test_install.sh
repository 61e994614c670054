#!/usr/bin/env bash
# The installed library is usable the way the README says: `cmake --install` into a fresh
# prefix, then a C program built only with `pkg-config --cflags --libs objrender` links, runs
# and reaches the public API (version, status text, a layout lookup).
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
cc -std=c11 -Wall -Wextra -Werror "$tmp/use.c" $(pkg-config --cflags --libs objrender) -o "$tmp/use"
libdir=$(pkg-config --variable=libdir objrender)
out=$(LD_LIBRARY_PATH="$libdir" "$tmp/use")
want=$(pkg-config --modversion objrender)
[ "$out" = "$want" ] || { echo "FAIL: version '$out' != pkg-config '$want'"; exit 1; }
echo "install + pkg-config: ok ($out)"
