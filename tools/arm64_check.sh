#!/usr/bin/env bash
# The linux-arm64 build (what runs on a Jetson) checked on an x86-64 machine under qemu-user emulation:
#   publish     `dotnet publish` of the CLI (node included) for linux-arm64, self-contained (runtime and ONNX
#               Runtime's arm64 natives from NuGet) into .work/arm64/
#   info        the arm64 build reads a bag (MCAP, zstd)
#   run         `run` on one JPEG and one PNG demo photo through the system codec (arm64 libjpeg-turbo and libpng;
#               OpenCvSharp has no arm64 runtime) and again through the managed fallback (ROSPARTSEG_IMAGE_CODEC=
#               managed); both runs' label PNGs agree with x64's (OpenCV) on >= 99.5 % of pixels (`compare-labels`)
#   compressed  `process` of the photos' sensor_msgs/CompressedImage (JPEG) topic, labels against x64's likewise
#               (OpenCV) and against x64 on the system codec (ROSPARTSEG_IMAGE_CODEC=system: arm64 alone differs);
#               the node with input_transport:=compressed starts and names the system codec
#   labels      the demo photos as raw Images in a bag (made by the x64 build); x64 and arm64 `process` it (arm64
#               writing sqlite3); their labels must agree on >= 99.5 % of pixels (`compare-labels`)
#   live        the arm64 node against the x64 test peer (outputs-check) over loopback DDS only: every output of
#               one frame arrives, the label map and diagnostics too, and SIGTERM exits 0
# Needs qemu-user-static, Debian's arm64 Cyclone DDS, libjpeg-turbo, libpng and C++ runtime through multiarch
# (tools/setup.sh installs them), the demo photos (tools/demo_inputs.sh) and the x64 Release build (built here unless --no-build).
# Prints one line per check and 'N passed, N failed, N skipped'; without the emulator or the arm64 libraries it
# skips, saying why, except under CI=true, where that fails. About 3-4 minutes on 2 cores.
set -u
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Whatever starts DDS here uses the loopback interface only, multicast off, unicast discovery (as DdsConfig.Loopback).
export CYCLONEDDS_URI='<CycloneDDS><Domain Id="any"><General><Interfaces><NetworkInterface name="lo"/></Interfaces><AllowMulticast>false</AllowMulticast></General><Discovery><ParticipantIndex>auto</ParticipantIndex><MaxAutoParticipantIndex>50</MaxAutoParticipantIndex><Peers><Peer address="127.0.0.1"/></Peers></Discovery></Domain></CycloneDDS>'
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
start=$SECONDS
CHECK_PREFIX=arm64-
. "$(dirname "$0")/lib/checks.sh"

checks=(publish info run compressed labels live)
skip_all() {
  if [ "${CI:-}" = "true" ]; then
    echo "FAIL arm64-check ($1)"
    failed=$((failed + 1))
  else
    for c in "${checks[@]}"; do skip "$c" "$1"; done
  fi
  finish
}

QEMU=$(command -v qemu-aarch64-static || true)
[ -n "$QEMU" ] || skip_all "no qemu-aarch64-static; run tools/setup.sh as root (Debian's qemu-user-static)"
for lib in libddsc.so.0debian libstdc++.so.6 libturbojpeg.so.0 libpng16.so.16; do
  [ -e /lib/ld-linux-aarch64.so.1 ] && [ -e "/usr/lib/aarch64-linux-gnu/$lib" ] ||
    skip_all "no arm64 libc or $lib; run tools/setup.sh as root (dpkg --add-architecture arm64)"
done
photos=samples/debian/images
ls "$photos"/*.jpg "$photos"/*.png >/dev/null 2>&1 || skip_all "no demo photos in $photos; run tools/demo_inputs.sh"

if [ "${1:-}" != "--no-build" ]; then
  dotnet build tests/RosPartSeg.Node.Tests -c Release -v quiet -nologo >"$TMP/build.log" 2>&1 || { fail build; skip_all "the x64 build failed"; }
fi
X64=src/RosPartSeg.Cli/bin/Release/net10.0/rospartseg
PEER=tests/RosPartSeg.Node.Tests/bin/Release/net10.0/RosPartSeg.Node.Tests.dll

PUBLISH=.work/arm64
ARM64=$PWD/$PUBLISH/publish/RosPartSeg.Cli/release_linux-arm64/rospartseg
# Its own artifacts folder, so the x64 build's obj/ and bin/ are never touched.
is_arm64_elf() { [ -x "$1" ] && [ "$(od -An -tx1 -j18 -N2 "$1" | tr -d ' ')" = "b700" ]; } # e_machine EM_AARCH64
publish() {
  dotnet publish src/RosPartSeg.Cli -c Release -r linux-arm64 --self-contained --artifacts-path "$PUBLISH" -v quiet -nologo &&
    is_arm64_elf "$ARM64" && is_arm64_elf "$(dirname "$ARM64")/libonnxruntime.so"
}
check publish publish
if ! is_arm64_elf "$ARM64"; then
  for c in "${checks[@]:1}"; do skip "$c" "no arm64 build"; done
  finish
fi

# qemu 7.2 (Debian 12) passes the host's x86 /proc/cpuinfo through; ONNX Runtime's CPU detection finds no ARM core
# in it and crashes creating a session. qemu looks absolute paths up under its -L prefix first, so a prefix that
# holds only proc/cpuinfo, one Cortex-A76 per possible CPU (the model emulated below), fixes that; everything else
# (the arm64 loader and libraries, installed by multiarch) comes from /. A real arm64 machine needs none of this.
mkdir -p "$TMP/root/proc"
last_cpu=$(sed -E 's/.*[-,]//' /sys/devices/system/cpu/possible 2>/dev/null || echo $(($(nproc) - 1)))
for i in $(seq 0 "$last_cpu"); do
  printf 'processor\t: %d\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x4\nCPU part\t: 0xd0b\nCPU revision\t: 1\n\n' "$i"
done >"$TMP/root/proc/cpuinfo"
# Cortex-A76: of qemu 7.2's models the nearest to a Jetson Orin's Cortex-A78AE (ARMv8.2, dot product, fp16, no SVE).
arm64() { "$QEMU" -cpu cortex-a76 -L "$TMP/root" "$ARM64" "$@"; }

# The demo photos as a bag: raw rgb8 (and JPEG) frames, 320x240, made where the codecs are.
# (info and labels fail without it.)
"$X64" make-sample-bag --images "$photos" --out "$TMP/photos" >"$TMP/bag.log" 2>&1 || sed 's/^/    /' "$TMP/bag.log"

check info arm64 info "$TMP/photos"

# One JPEG and one PNG, decoded by OpenCV on x64, and on arm64 by the system codec (what auto picks there) and by
# the managed codec (its fallback where the libraries are missing).
run_photos=("$(ls "$photos"/*.jpg | head -n 1)" "$(ls "$photos"/*.png | head -n 1)")
run_files() {
  "$X64" run "${run_photos[@]}" --out "$TMP/run-x64" >"$TMP/run-x64.out" 2>&1 || { cat "$TMP/run-x64.out"; return 1; }
  arm64 run "${run_photos[@]}" --out "$TMP/run-arm64" >"$TMP/run-arm64.out" 2>&1 || { cat "$TMP/run-arm64.out"; return 1; }
  ROSPARTSEG_IMAGE_CODEC=managed arm64 run "${run_photos[@]}" --out "$TMP/run-arm64m" >"$TMP/run-arm64m.out" 2>&1 || { cat "$TMP/run-arm64m.out"; return 1; }
  grep -hE 'image codec' "$TMP/run-arm64.out" "$TMP/run-arm64m.out"
  grep -q 'image codec: libjpeg-turbo .*ships no native runtime.*libpng load' "$TMP/run-arm64.out" &&
    grep -q 'image codec: StbImageSharp .*=managed' "$TMP/run-arm64m.out" &&
    "$X64" compare-labels "$TMP/run-x64" "$TMP/run-arm64" --min 0.995 &&
    "$X64" compare-labels "$TMP/run-x64" "$TMP/run-arm64m" --min 0.995
}
t0=$SECONDS
if run_files >"$TMP/run.log" 2>&1; then
  agree() { grep -oE '[0-9.]+ % of [0-9]+ pixels \([0-9]+ differ\)' "$TMP/run.log" | sed -n "$1p"; }
  pass run "$(basename "${run_photos[0]}") and $(basename "${run_photos[1]}"): system codec $(agree 1), managed codec $(agree 2) equal to x64's (OpenCV), $((SECONDS - t0)) s"
else
  fail run
fi

# The photos' JPEG topic against x64 with OpenCV (what the issue asks), and against x64 with the system codec (the
# same decoder on both sides, so what differs is arm64 alone); then the node with a compressed input, stopped once it
# has named its codec.
compressed() {
  "$X64" process "$TMP/photos" "$TMP/cx64" --image-topic /camera/image_raw/compressed --no-progress &&
    arm64 process "$TMP/photos" "$TMP/carm64" --image-topic /camera/image_raw/compressed --no-progress &&
    "$X64" compare-labels "$TMP/cx64" "$TMP/carm64" --min 0.995 &&
    ROSPARTSEG_IMAGE_CODEC=system "$X64" process "$TMP/photos" "$TMP/cx64m" --image-topic /camera/image_raw/compressed --no-progress &&
    "$X64" compare-labels "$TMP/cx64m" "$TMP/carm64" --min 0.995 || return 1
  # qemu itself in the background (not the arm64 function's subshell), so that SIGTERM reaches the node.
  ROS_DOMAIN_ID=231 "$QEMU" -cpu cortex-a76 -L "$TMP/root" "$ARM64" node --ros-args -p input_transport:=compressed >"$TMP/node.out" 2>&1 &
  local pid=$! i
  for i in $(seq 1 120); do
    grep -q 'image codec:' "$TMP/node.out" && break
    kill -0 $pid 2>/dev/null || break
    sleep 1
  done
  kill -TERM $pid 2>/dev/null
  wait $pid
  grep -E 'image codec' "$TMP/node.out"
  grep -q 'INFO.*image codec: libjpeg-turbo' "$TMP/node.out" && ! grep -qE 'FATAL|^ +at ' "$TMP/node.out"
}
t0=$SECONDS
if compressed >"$TMP/compressed.log" 2>&1; then
  agree() { grep -oE '[0-9.]+ % of [0-9]+ pixels \([0-9]+ differ\)' "$TMP/compressed.log" | sed -n "$1p"; }
  pass compressed "5 JPEG frames: $(agree 1) equal to x64 with OpenCV, $(agree 2) to x64 with the system codec; node names the codec; $((SECONDS - t0)) s"
else
  fail compressed
fi

labels() {
  "$X64" process "$TMP/photos" "$TMP/x64" --image-topic /camera/image_raw --no-progress &&
    arm64 process "$TMP/photos" "$TMP/arm64" --image-topic /camera/image_raw --storage sqlite3 --no-progress &&
    "$X64" compare-labels "$TMP/x64" "$TMP/arm64" --min 0.995
}
t0=$SECONDS
if labels >"$TMP/labels.log" 2>&1; then
  pass labels "$(grep -oE '[0-9.]+ % of [0-9]+ pixels \([0-9]+ differ\)' "$TMP/labels.log") over $(grep -c ' pixels agree$' "$TMP/labels.log") demo photos, $((SECONDS - t0)) s"
else
  fail labels
fi

# Loopback only: outputs-check gives both sides the lo-only, multicast-off, unicast-127.0.0.1 Cyclone configuration.
t0=$SECONDS
photo=$(ls "$photos"/*.jpg | head -n 1)
if dotnet exec "$PEER" outputs-check --image "$photo" --start-limit 180 --limit 240 --resend 60 -- "$QEMU" -cpu cortex-a76 -L "$TMP/root" "$ARM64" node >"$TMP/live.log" 2>&1; then
  pass live "every output of one frame, label map, diagnostics, clean SIGTERM; $((SECONDS - t0)) s"
  grep -E '^(node running|frame |ok )' "$TMP/live.log" | sed 's/^/    /'
else
  fail live
fi

echo "arm64 check took $((SECONDS - start)) s"
finish
