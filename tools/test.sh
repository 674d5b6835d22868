#!/usr/bin/env bash
# Builds the solution and runs every test: the .NET suites, the smoke test of the Python tools and the linux-arm64
# check under emulation (tools/arm64_check.sh).
# Ends with one line "N passed, N failed, N skipped" and a non-zero exit status when anything failed. Tests that
# need the third-party data in ../shared/fixtures are skipped without it (listed before that line); under CI=true
# they run, and fail, instead.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

dotnet build RosPartSeg.sln -c Release -v quiet -nologo || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

# A hung test is killed (with a dump of where it hung) instead of stalling the run.
dotnet test RosPartSeg.sln -c Release --no-build --blame-hang-timeout 5m 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped_names=$(grep -E '^  Skipped ' "$log" | sed -E 's/^  Skipped ([^ ]+).*/  \1/' | sort -u)

# A script that ends with its own "N passed, N failed[, N skipped]" line: run it and add its counts.
run_counted() {
  bash "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  [ "$rc" -eq 0 ] || status=1
  local line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -n "$line" ]; then
    passed=$((passed + $(echo "$line" | awk '{print $1}')))
    failed=$((failed + $(echo "$line" | awk '{print $3}')))
    skipped=$((skipped + $(echo "$line" | awk '{print ($5 == "" ? 0 : $5)}')))
  elif [ "$rc" -ne 0 ]; then
    failed=$((failed + 1))
  fi
}

[ -f tools/smoke.sh ] && run_counted tools/smoke.sh
# ONNX Runtime's GPU package (CUDA, TensorRT) built and run; without CUDA its CPU fallback and the line naming why.
[ -f tools/gpu_package_check.sh ] && run_counted tools/gpu_package_check.sh
# The linux-arm64 build under emulation (skipped, or under CI=true failed, without qemu and the arm64 libraries).
[ -f tools/arm64_check.sh ] && run_counted tools/arm64_check.sh --no-build

[ "$failed" -eq 0 ] || status=1
echo
if [ -n "$skipped_names" ]; then
  echo "skipped .NET tests (they need shared/fixtures beside the checkout or a folder above it; none was found):"
  echo "$skipped_names"
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
