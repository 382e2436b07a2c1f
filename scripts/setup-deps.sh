#!/bin/sh
# Install the build dependencies that a fresh Debian/Ubuntu machine lacks:
# GSL, cJSON, pkg-config (CUDA 13 with CUPTI is expected at /usr/local/cuda).
set -e
missing=""
for p in libgsl-dev libcjson-dev zlib1g-dev pkg-config make gcc; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "setup: installing$missing" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
