# TAP for the shell tests: `check DESCRIPTION CONDITION` (CONDITION is
# eval'ed) prints "ok N" or "not ok N"; $failed is the exit status.
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }
