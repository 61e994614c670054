#!/usr/bin/env bash
# Builds objrender with warnings as errors and runs the whole test suite:
#   1. Release build, all tests (SIMD kernels enabled), then once more with OBJR_CPU_MASK=0
#      (portable C reference kernels only);
#   2. Debug build with AddressSanitizer + UndefinedBehaviorSanitizer, all tests.
# Usage: scripts/test.sh [--no-sanitize]
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=$(nproc)
SAN=1
[ "${1:-}" = "--no-sanitize" ] && SAN=0

# Formatting is part of the build contract (STYLE.md §1): .clang-format at the root.
if command -v clang-format >/dev/null; then
    unformatted=$(git ls-files '*.c' '*.h' | while read -r f; do
        clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || echo "$f"; done)
    if [ -n "$unformatted" ]; then
        echo "clang-format: these files differ from .clang-format (run clang-format -i):" >&2
        echo "$unformatted" >&2
        exit 1
    fi
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DOBJR_WERROR=ON
cmake --build build -j "$JOBS"
(cd build && ctest --output-on-failure -j "$JOBS")
(cd build && OBJR_CPU_MASK=0 ctest --output-on-failure -j "$JOBS" -L 'unit|simd|golden')

if [ "$SAN" = 1 ]; then
    cmake -S . -B build-san -G Ninja -DCMAKE_BUILD_TYPE=Debug -DOBJR_WERROR=ON \
        -DOBJR_SANITIZE=address,undefined -DOBJR_CHECK_SIMD=ON
    cmake --build build-san -j "$JOBS"
    (cd build-san && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        ctest --output-on-failure -j "$JOBS" -LE bench)
fi
