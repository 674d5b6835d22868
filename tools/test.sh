#!/usr/bin/env bash
# Builds the solution and runs every test: the .NET suites and the smoke test of the Python tools.
# Ends with one line "N passed, N failed" and a non-zero exit status when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

dotnet build RosPartSeg.sln -c Release -v quiet -nologo || { echo "0 passed, 1 failed"; exit 1; }

# A hung test is killed (with a dump of where it hung) instead of stalling the run.
dotnet test RosPartSeg.sln -c Release --no-build --blame-hang-timeout 5m 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')

if [ -x tools/smoke.sh ] || [ -f tools/smoke.sh ]; then
  bash tools/smoke.sh 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -n "$line" ]; then
    passed=$((passed + $(echo "$line" | awk '{print $1}')))
    failed=$((failed + $(echo "$line" | awk '{print $3}')))
  elif [ $status -ne 0 ]; then
    failed=$((failed + 1))
  fi
fi

[ "$failed" -eq 0 ] || status=1
echo
echo "$passed passed, $failed failed"
exit $status
