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
	serialized v3.0-rc folio"
rmap_ops_variants="v2.6.34-rc3 d0e9fe17 287d97ac 646d87b4 ea90002b-no-646d87b4
	ea90002b rik-v2 v2.6.34-rik-v2 v2.6.34 v2.6.36-rc1 v2.6.36 serialized
	v3.0-rc folio 7a3ef208 2555283e"
classes="stale-reused stale-freed stale-unmapped stale-not-current use-after-free
	null-deref lock-mismatch deadlock"
# the classes that judge anon_vma chains and their bookkeeping (rmap_ops)
rmap_ops_chain_classes="rmap-unreachable rmap-walk-missed chain-mismatch
	anon-vma-freed-in-use mapping-dangles anon-vma-miscount
	anon-vma-freed-counted"
rmap_ops_classes="stale-reused stale-freed stale-unmapped stale-not-current
	$rmap_ops_chain_classes use-after-free null-deref lock-mismatch deadlock"
