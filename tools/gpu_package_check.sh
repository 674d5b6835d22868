#!/usr/bin/env bash
# CI check of ONNX Runtime's GPU package (issue: the GPU path must be built and run, not only skipped):
#   builds the CLI with -p:OnnxRuntimeFlavour=gpu (Microsoft.ML.OnnxRuntime.Gpu.Linux, CUDA 13 and TensorRT
#   providers, about 540 MB restored once) into .work/gpu-build, runs `rospartseg run` on the demo photos with
#   providers cuda,cpu, and checks that the log either says CUDA runs or names the library that is missing and what
#   installs it, and that the labels equal those of the plain (CPU package) build.
# Needs the plain build (tools/test.sh makes it) and the demo photos (tools/setup.sh). Prints one line per check
# and closes with 'N passed, N failed, N skipped'.
set -u
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PY=${PYTHON:-/usr/bin/python3}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
CHECK_PREFIX=gpu-package-
. "$(dirname "$0")/lib/checks.sh"

photos=samples/debian/images
plain=src/RosPartSeg.Cli/bin/Release/net10.0/rospartseg
gpu=.work/gpu-build/bin/RosPartSeg.Cli/release/rospartseg
if [ ! -d "$photos" ] || [ ! -x "$plain" ]; then
  if [ "${CI:-}" = "true" ]; then
    fail check "needs $photos from tools/setup.sh and the plain build at $plain"
  else
    skip check "needs $photos and $plain"
  fi
  finish
fi

# A separate artifacts folder keeps the plain build's obj/ (CPU package) untouched.
build() {
  dotnet build src/RosPartSeg.Cli -c Release -p:OnnxRuntimeFlavour=gpu --artifacts-path .work/gpu-build -v quiet -nologo &&
    ls "$(dirname "$gpu")"/runtimes/linux-x64/native/libonnxruntime_providers_cuda.so
}
check build build

printf 'inference:\n  providers: [cuda, cpu]\n' >"$TMP/gpu.yaml"
printf 'inference:\n  providers: [cpu]\n' >"$TMP/cpu.yaml"
# Either CUDA runs, or its line names the missing library and what installs it and the CPU takes over.
provider_line() {
  [ -x "$gpu" ] && "$gpu" run "$photos" --out "$TMP/gpu" --config "$TMP/gpu.yaml" || return 1
  grep -q "execution provider 'cuda' in use" "$TMP/provider-line.log" && return 0
  grep -qE "execution provider 'cuda' skipped: it failed to load, lib[^ ]+\.so[.0-9]* is missing: install " "$TMP/provider-line.log" &&
    grep -q "execution provider 'cpu' in use" "$TMP/provider-line.log"
}
if provider_line >"$TMP/provider-line.log" 2>&1; then
  pass provider-line "$(grep -m1 -oE "execution provider 'cuda' [^(]*" "$TMP/provider-line.log")"
else
  fail provider-line
fi

# A provider that cannot load is reported once, in the node's words: ONNX Runtime's own error line (in colour, from
# its provider bridge) is held back while the provider is appended.
if grep -q "execution provider 'cuda' in use" "$TMP/provider-line.log"; then
  skip quiet "CUDA runs here"
elif grep -q "execution provider 'cuda' skipped" "$TMP/provider-line.log" && ! grep -q "E:onnxruntime" "$TMP/provider-line.log"; then
  pass quiet "no ONNX Runtime error line beside the skip line"
else
  grep "E:onnxruntime" "$TMP/provider-line.log" | head -n 2
  fail quiet
fi

if "$plain" run "$photos" --out "$TMP/cpu" --config "$TMP/cpu.yaml" >"$TMP/cpu.log" 2>&1 \
   && "$PY" - "$TMP/cpu" "$TMP/gpu" >"$TMP/labels.log" 2>&1 <<'PYEOF'
import sys, pathlib
import numpy as np
from PIL import Image
cpu, gpu = map(pathlib.Path, sys.argv[1:3])
files = sorted(cpu.glob("*.labels.png"))
assert files, "no label images from the plain build"
same = total = 0
for f in files:
    a = np.asarray(Image.open(f)); b = np.asarray(Image.open(gpu / f.name))
    assert a.shape == b.shape, f"{f.name}: {a.shape} against {b.shape}"
    same += int((a == b).sum()); total += a.size
share = same / total
print(f"{len(files)} photos, labels equal on {100 * share:.3f} % of pixels")
# Both builds run ONNX Runtime's CPU kernels (1.31.0 against 1.31.1): at most rounding at class boundaries.
sys.exit(0 if share >= 0.999 else 1)
PYEOF
then
  pass labels "$(tail -n 1 "$TMP/labels.log")"
else
  cat "$TMP/cpu.log" >>"$TMP/labels.log"
  fail labels
fi

finish
