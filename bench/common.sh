# bench/common.sh - what the findings and dfs tables share; sourced from the
# repository root.  Builds into OUT (default out), makes a temporary folder
# $tmp removed on exit, and names the variants and classes of the tables.
OUT=${OUT:-out}
export OUT
./build.sh >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
variants="v2.6.34 peterz v2.6.36 v2.6.36-rc1 clear-mapping no-rcu serialized"
classes="stale-reused stale-freed stale-unmapped stale-not-current use-after-free lock-mismatch deadlock"
