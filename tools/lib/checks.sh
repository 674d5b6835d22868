# Shared by the check scripts that tools/test.sh counts (gpu_package_check.sh, arm64_check.sh): one line per check,
# PASS/FAIL/SKIP, and a closing 'N passed, N failed, N skipped'. Source it after setting CHECK_PREFIX (prepended to
# every check's name) and TMP (where each check's log, $TMP/NAME.log, is kept).
passed=0
failed=0
skipped=0

pass() { echo "PASS $CHECK_PREFIX$1${2:+ ($2)}"; passed=$((passed + 1)); }
fail() {
  echo "FAIL $CHECK_PREFIX$1${2:+ ($2)}"
  [ -f "$TMP/$1.log" ] && tail -n 30 "$TMP/$1.log" | sed 's/^/    /'
  failed=$((failed + 1))
}
skip() { echo "SKIP $CHECK_PREFIX$1${2:+ ($2)}"; skipped=$((skipped + 1)); }

# check NAME COMMAND...: runs the command with its output in $TMP/NAME.log and counts it, with the seconds it took.
check() {
  local name=$1 t=$SECONDS
  shift
  if "$@" >"$TMP/$name.log" 2>&1; then pass "$name" "$((SECONDS - t)) s"; else fail "$name" "$((SECONDS - t)) s"; fi
}

# finish: the closing line; the script's exit status is 0 only when nothing failed.
finish() {
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
  exit
}
