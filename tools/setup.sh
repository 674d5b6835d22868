#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, run and test RosPartSeg. Idempotent; needs root
# (or sudo) only when something is missing. The .NET 10 SDK itself must already be installed.
set -euo pipefail

packages=(
  libgtk-3-0            # OpenCvSharp's linux-x64 runtime links against GTK
  libddsc0debian        # Cyclone DDS C library, the live node's transport
  libturbojpeg0 libpng16-16   # the system image codec (ROSPARTSEG_IMAGE_CODEC=system; what arm64 takes), tested on x64 too
  python3-torch python3-torchvision python3-onnx python3-numpy python3-yaml python3-pil python3-scipy   # tools/: train, export, MHP .mat poses
)

# tools/arm64_check.sh: the linux-arm64 build under emulation, with Debian's arm64 Cyclone DDS, libjpeg-turbo and
# libpng through multiarch (they pull the arm64 libc and libstdc++).
arm64_packages=(qemu-user-static libddsc0debian:arm64 libturbojpeg0:arm64 libpng16-16:arm64)

missing_of() {
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"

mapfile -t missing < <(missing_of "${packages[@]}")
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

install_arm64() {
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $sudo_cmd dpkg --add-architecture arm64 || return 1
  fi
  $sudo_cmd apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
mapfile -t missing < <(missing_of "${arm64_packages[@]}")
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]} (arm64 check)"
  if ! { [ -z "$sudo_cmd" ] || sudo -n true 2>/dev/null; } || ! install_arm64 "${missing[@]}"; then
    echo "setup: could not install ${missing[*]} (needs root or sudo, and apt sources that carry arm64); tools/arm64_check.sh will skip" >&2
    [ "${CI:-}" = "true" ] && exit 1
  fi
fi

# Demo photos and video for `rospartseg run`, from Debian packages, into samples/debian/ (not committed).
bash "$(dirname "$0")/demo_inputs.sh"

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK (dotnet) is not installed" >&2; exit 1; }

# The teachers (tools/teacher) run in Node with tfjs-wasm: their npm packages, once.
teacher_dir="$(dirname "$0")/teacher"
if command -v npm >/dev/null && [ ! -d "$teacher_dir/node_modules" ]; then
  echo "setup: npm ci in tools/teacher"
  (cd "$teacher_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
echo "setup: ready"
