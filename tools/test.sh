#!/usr/bin/env bash
# Builds the solution and runs every test: the .NET suites, the smoke test of the Python tools and the linux-arm64
# check under emulation (tools/arm64_check.sh).
# Ends with one line "N passed, N failed, N skipped" and a non-zero exit status when anything failed. Tests that
# need the third-party data in ../shared/fixtures are skipped without it (listed before that line); under CI=true
# they run, and fail, instead.
# Where shared/fixtures is found, the .NET tests run a second time with it hidden (ROSPARTSEG_HIDE_SHARED=1), as a
# clone alone sees them: a test that reads it without being marked [SharedFact]/[SharedTheory] fails there. The
# last line adds that pass's passed and failed; its skips (the marked tests, skipped as they should be) are on a
# line of its own.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

dotnet build RosPartSeg.sln -c Release -v quiet -nologo || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

# The .NET tests, counted into dotnet_passed/failed/skipped. A hung test is killed (with a dump of where it hung)
# instead of stalling the run.
run_dotnet_tests() {
  dotnet test RosPartSeg.sln -c Release --no-build --blame-hang-timeout 5m 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  dotnet_passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
  dotnet_failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
  dotnet_skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
  # A run that failed without counting a failure (a crashed test host) counts as one.
  if [ "$rc" -ne 0 ]; then
    status=1
    [ "$dotnet_failed" -gt 0 ] || dotnet_failed=1
  fi
}

# Whether shared/fixtures is beside the checkout or beside a folder above it (as tests/Shared/SharedData.cs looks).
shared_found() {
  local dir
  dir=$(dirname "$PWD")
  while :; do
    [ -d "$dir/shared/fixtures" ] && return 0
    [ "$dir" = / ] && return 1
    dir=$(dirname "$dir")
  done
}

run_dotnet_tests
passed=$dotnet_passed failed=$dotnet_failed skipped=$dotnet_skipped
skipped_names=$(grep -E '^  Skipped ' "$log" | sed -E 's/^  Skipped ([^ ]+).*/  \1/' | sort -u)

hidden_line=""
if [ "${ROSPARTSEG_HIDE_SHARED:-}" != 1 ] && shared_found; then
  echo "the .NET tests again with shared/ hidden (ROSPARTSEG_HIDE_SHARED=1), as a clone alone runs them:"
  ROSPARTSEG_HIDE_SHARED=1 run_dotnet_tests
  passed=$((passed + dotnet_passed)) failed=$((failed + dotnet_failed))
  hidden_line="without shared/ (as a clone alone): $dotnet_passed passed, $dotnet_failed failed, $dotnet_skipped skipped (marked as needing it)"
fi

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
[ -z "$hidden_line" ] || echo "$hidden_line"
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
