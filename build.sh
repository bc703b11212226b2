#!/usr/bin/env bash
# build.sh - build schedfuzz into out/, and with "test" run the tests.
#
#   ./build.sh          builds out/fuzz_lock_anon_vma (clang, libFuzzer,
#                       ASan+UBSan), out/replay and out/explore
#                       (standalone, -O2, no sanitizers)
#   ./build.sh tools    only out/replay, out/explore and out/triage, with
#                       $CC (no clang or libFuzzer needed)
#   ./build.sh bench    builds, plus the benchmark's binaries in out/bench
#   ./build.sh test     builds, then runs every test; the last line is
#                       "N passed, N failed" and the exit status is non-zero
#                       on any failure
#
# Honours CC (compiler for out/replay and out/explore) and OUT.
#
# On OSS-Fuzz and ClusterFuzzLite (LIB_FUZZING_ENGINE set) it builds only
# the fuzz targets, their way: $CC $CFLAGS for the sources, $CXX $CXXFLAGS
# $LIB_FUZZING_ENGINE to link, into $OUT, each with
# <target>_seed_corpus.zip, <target>.options and <target>.dict.
set -euo pipefail
cd "$(dirname "$0")"

OUT=${OUT:-out}
CC=${CC:-clang}
CLANG=${CLANG:-clang}
CFLAGS_COMMON="-std=gnu11 -g -Wall -Wextra -Werror -pthread"
# UBSan's null check is off: under weak memory the model can load a NULL
# pointer and go through it (2.6.36's anon_vma->root), which the engine
# reports as the verdict null-deref and the fuzz target goes on; UBSan
# would stop it at the member access first.  ASan still catches a NULL
# access that does not go through the engine.
SAN="-fsanitize=address,undefined -fno-sanitize=null -fno-sanitize-recover=undefined"

SCHED_SRC="sched/engine.c sched/backend_pthread.c sched/backend_fiber.c
           sched/memory.c sched/weak.c sched/lock.c
           sched/rcu.c sched/slab.c sched/trace.c sched/decisions.c
           sched/strategy_random.c sched/strategy_pct.c sched/strategy_dfs.c
           sched/coverage.c sched/schedule_text.c sched/trace_svg.c"
MODEL_SRC="rmap/anon_vma.c rmap/page_rmap.c rmap/page_lock_anon_vma.c
           rmap/walk.c rmap/memory.c rmap/mmap.c rmap/oracle.c
           rmap/oracle_chain.c rmap/variant.c
           scenarios/scenarios.c scenarios/noise.c scenarios/lock_anon_vma.c
           scenarios/rmap_ops.c scenarios/litmus.c fuzz/target.c
           fuzz/minimize.c"
TARGETS="lock_anon_vma rmap_ops"
# The builds without sanitizers are linked whole (link-time optimization,
# when the compiler can): every scheduling point crosses from the model
# into several small engine functions of other files; inlining them
# measured 12% more schedules/s for explore and 23% for the libFuzzer
# target (README "Benchmark").
lto() { echo 'int main(void) { return 0; }' |
	"$1" -flto -x c - -o /dev/null 2>/dev/null && echo -flto; }

die() { echo "build.sh: $*" >&2; exit 2; }

check_toolchain() {
	command -v "$CLANG" >/dev/null ||
		die "clang not found: apt-get install clang"
	local major probe
	major=$("$CLANG" -dumpversion | cut -d. -f1)
	probe=$(mktemp -d)
	echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)
	      { (void)d; (void)n; return 0; }' > "$probe/p.c"
	if ! "$CLANG" -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>/dev/null; then
		rm -rf "$probe"
		die "clang cannot link libFuzzer: apt-get install libclang-rt-$major-dev"
	fi
	rm -rf "$probe"
}

# objects FLAVOUR FLAGS FILES...: compile into $OUT/obj/FLAVOUR, print the
# object paths.
objects() {
	local dir="$OUT/obj/$1" flags=$2 f o
	shift 2
	mkdir -p "$dir"
	for f in "$@"; do
		o="$dir/$(echo "${f%.c}" | tr / _).o"
		"$CLANG" $CFLAGS_COMMON $flags -c "$f" -o "$o"
		echo "$o"
	done
}

# edges TARGET: whether the model's own edges are coverage for the target.
# The engine's never are (they say nothing about the model; the schedule
# features of coverage.c do).  rmap_ops needs the model's: its programs
# pick the paths (without them ea90002b's bug was not found in 3 M runs).
# lock_anon_vma's programs are fixed, so its edges only repeat what the
# schedule features say, at a third of each execution's time (runs to
# every class measured the same with and without; README "Benchmark").
edges() { [ "$1" != lock_anon_vma ]; }

# fuzz_target NAME FLAVOUR EXTRA_FLAGS OUTPUT
fuzz_target() {
	local t=$1 flavour=$2 extra=$3 sched model cov=""
	edges "$t" && cov="-fsanitize=fuzzer-no-link" && flavour="$flavour-edges"
	sched=$(objects "${flavour%-edges}-sched" "-O2 $extra" $SCHED_SRC)
	model=$(objects "$flavour-model" "-O1 $extra $cov" \
		$MODEL_SRC "fuzz/fuzz_$t.c")
	"$CLANG" $CFLAGS_COMMON $extra -fsanitize=fuzzer $sched $model -o "$4"
}

# The standalone tools: any C compiler, no libFuzzer, no sanitizers.
build_tools() {
	local flags
	flags="-O2 $(lto "$CC")"
	mkdir -p "$OUT"
	for t in replay explore triage; do
		$CC $CFLAGS_COMMON $flags $SCHED_SRC $MODEL_SRC "fuzz/$t.c" \
			-o "$OUT/$t"
	done
}

build() {
	build_tools
	# One libFuzzer target per scenario, with ASan+UBSan.
	for t in $TARGETS schedule_text; do
		fuzz_target "$t" asan "$SAN" "$OUT/fuzz_$t"
	done
	# Tests and the seed writer run under ASan+UBSan too.
	local lib
	lib=$(objects test "-O1 $SAN" $SCHED_SRC $MODEL_SRC)
	for t in tests/test_*.c tests/mkseed.c; do
		"$CLANG" $CFLAGS_COMMON -O1 $SAN $lib "$t" \
			-o "$OUT/$(basename "$t" .c)"
	done
}

build_bench() {
	mkdir -p "$OUT/bench"
	for t in $TARGETS; do
		fuzz_target "$t" plain "-O2 $(lto "$CLANG")" \
			"$OUT/bench/fuzz_${t}_nosan"
	done
	$CC $CFLAGS_COMMON -O2 $(lto "$CC") $SCHED_SRC $MODEL_SRC \
		bench/throughput.c -o "$OUT/bench/throughput"
	"$CLANG" $CFLAGS_COMMON -O1 $SAN $SCHED_SRC $MODEL_SRC \
		bench/throughput.c -o "$OUT/bench/throughput_asan"
}

run_tests() {
	OUT="$OUT" CC="$CC" tests/run.sh
}

# oss_fuzz: the engine is built without the coverage flag (its edges say
# nothing about the model), as in fuzz_target above.
oss_fuzz() {
	local t sched model out
	: "${CXX:=clang++}" "${CXXFLAGS:=$CFLAGS}"
	mkdir -p "$OUT/obj"
	out=$(cd "$OUT" && pwd)
	local plain=${CFLAGS//-fsanitize=fuzzer-no-link/} flags
	sched=$(CLANG=$CC objects oss-sched "$plain" $SCHED_SRC)
	for t in $TARGETS; do
		flags=$plain
		edges "$t" && flags=$CFLAGS
		model=$(CLANG=$CC objects "oss-model-$t" "$flags" $MODEL_SRC)
		"$CC" $CFLAGS_COMMON $flags -c "fuzz/fuzz_$t.c" -o "$OUT/obj/fuzz_$t.o"
		"$CXX" $CXXFLAGS $sched $model "$OUT/obj/fuzz_$t.o" \
			$LIB_FUZZING_ENGINE -pthread -o "$OUT/fuzz_$t"
		rm -f "$out/fuzz_${t}_seed_corpus.zip"
		(cd "corpus/$t" && zip -q "$out/fuzz_${t}_seed_corpus.zip" ./*) ||
			die "cannot zip corpus/$t (is zip installed?)"
		cp fuzz/schedfuzz.options "$OUT/fuzz_$t.options"
		cp fuzz/schedfuzz.dict "$OUT/fuzz_$t.dict"
	done
	rm -rf "$OUT/obj"
}

if [ -n "${LIB_FUZZING_ENGINE:-}" ]; then
	[ -n "${CC:-}" ] || die "LIB_FUZZING_ENGINE is set but CC is not"
	oss_fuzz
	exit 0
fi
case "${1:-}" in
tools) build_tools; exit 0 ;;
""|test|bench) ;;
*) die "usage: ./build.sh [tools|test|bench]" ;;
esac
check_toolchain
build
case "${1:-}" in
test) run_tests ;;
bench) build_bench ;;
esac
