# bench/common.sh - what the findings and dfs tables share; sourced from the
# repository root.  Builds into OUT (default out), makes a temporary folder
# $tmp removed on exit, and names the variants and classes of the tables.
OUT=${OUT:-out}
export OUT
[ -n "${FROM:-}" ] || ./build.sh >/dev/null	# FROM: findings.sh runs nothing
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
variants="v2.6.34 peterz peterz-normb peterz-relaxed-add peterz-relaxed-remove
	v2.6.36 v2.6.36-rc1 clear-mapping no-rcu
	serialized"
rmap_ops_variants="v2.6.34-rc3 d0e9fe17 287d97ac 646d87b4 ea90002b-no-646d87b4
	ea90002b rik-v2 v2.6.34-rik-v2 v2.6.34 v2.6.36-rc1 v2.6.36 serialized"
classes="stale-reused stale-freed stale-unmapped stale-not-current use-after-free
	null-deref lock-mismatch deadlock"
rmap_ops_classes="stale-reused stale-freed stale-unmapped stale-not-current
	rmap-unreachable rmap-walk-missed chain-mismatch anon-vma-freed-in-use
	use-after-free null-deref lock-mismatch deadlock"
