#!/usr/bin/env bash
# Installs the Debian packages objrender needs to build, test and run (run as root, or with sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    build-essential cmake ninja-build pkg-config git \
    libsndfile1-dev libmysofa-dev libmysofa-utils libebur128-dev libfftw3-dev libxml2-dev \
    libsamplerate0-dev libflac-dev check \
    clang libclang-rt-14-dev \
    ffmpeg chromium python3 clang-format >/dev/null
