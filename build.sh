#!/usr/bin/env bash
# build.sh - build schedfuzz into out/, and with "test" run the tests.
#
#   ./build.sh            tools, fuzz targets and tests (make all)
#   ./build.sh test       builds, then runs every test; the last line is
#                         "N passed, N failed", the exit status non-zero on
#                         any failure
#   ./build.sh tools      only out/replay, out/explore, out/triage and
#                         out/litmus, with $CC (any C compiler; no clang or
#                         libFuzzer needed)
#   ./build.sh bench      builds, plus the benchmark's binaries in out/bench
#   ./build.sh NAME...    only those programs (replay, fuzz_rmap_ops,
#                         test_sched, ...; `make help` lists them)
#   ./build.sh --help     this text
#
# The compiling is the Makefile's (incremental, parallel, an object folder
# per flag set); this script checks the toolchain first and says which
# Debian package is missing.  Honours CC (the tools' compiler), CLANG,
# OUT (default out), JOBS (default: the number of cores) and V=1 (print
# whole command lines).
#
# On OSS-Fuzz and ClusterFuzzLite (LIB_FUZZING_ENGINE set) it builds only
# the fuzz targets, their way: $CC $CFLAGS for the sources, $CXX $CXXFLAGS
# $LIB_FUZZING_ENGINE to link, into $OUT, each with
# <target>_seed_corpus.zip, <target>.options and <target>.dict.
#
# Exit status: 0 built (and, for test, every test passed); 1 a test
# failed; 2 a usage error, a missing tool or a failed build.
set -euo pipefail
cd "$(dirname "$0")"

OUT=${OUT:-out}
CLANG=${CLANG:-clang}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
export OUT CLANG

die() { echo "build.sh: $*" >&2; exit 2; }

usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0" | sed '/^set /,$d'; }

run_make() {
	echo "build.sh: make -j$JOBS $*"
	make --no-print-directory -j"$JOBS" "$@" || die "the build failed"
}

# The toolchain probe compiles once per compiler: its result is kept in
# $OUT/config, so a rebuild of an unchanged tree compiles nothing.
check_toolchain() {
	command -v make >/dev/null || die "make not found: apt-get install make"
	command -v "$CLANG" >/dev/null ||
		die "clang not found: apt-get install clang"
	local major stamp probe
	major=$("$CLANG" -dumpversion | cut -d. -f1)
	stamp="$OUT/config/libfuzzer-$(basename "$CLANG")-$major.ok"
	[ -f "$stamp" ] && return
	probe=$(mktemp -d)
	echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)
	      { (void)d; (void)n; return 0; }' > "$probe/p.c"
	if ! "$CLANG" -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>/dev/null; then
		rm -rf "$probe"
		die "clang cannot link libFuzzer: apt-get install libclang-rt-$major-dev"
	fi
	rm -rf "$probe"
	mkdir -p "$OUT/config" && : > "$stamp"
}

run_tests() {
	OUT="$OUT" CC="${CC:-cc}" tests/run.sh
}

# OSS-Fuzz: objects in a scratch folder, only the targets and their files
# in $OUT.  The targets are CI's (fuzz/ci-targets): configurations that
# must stay clean, each with its scenario's seeds.
oss_fuzz() {
	[ -n "${CC:-}" ] || die "LIB_FUZZING_ENGINE is set but CC is not"
	command -v zip >/dev/null || die "zip not found: apt-get install zip"
	local work t sc
	work=$(mktemp -d)
	: "${CXX:=clang++}" "${CXXFLAGS:=${CFLAGS:-}}"
	OUT=$work CXX=$CXX CXXFLAGS=$CXXFLAGS run_make oss-fuzz
	mkdir -p "$OUT"
	OUT=$(cd "$OUT" && pwd)
	for t in "$work"/oss/ci_*; do
		t=$(basename "$t")
		sc=$(awk -v t="$t" '$1 == t { print $2 }' fuzz/ci-targets)
		cp "$work/oss/$t" "$OUT/$t"
		rm -f "$OUT/${t}_seed_corpus.zip"
		(cd "corpus/$sc" && zip -q "$OUT/${t}_seed_corpus.zip" ./*) ||
			die "cannot zip corpus/$sc"
		cp fuzz/schedfuzz.options "$OUT/$t.options"
		cp fuzz/schedfuzz.dict "$OUT/$t.dict"
	done
	rm -rf "$work"
}

if [ -n "${LIB_FUZZING_ENGINE:-}" ]; then
	oss_fuzz
	exit 0
fi
case "${1:-}" in
-h|--help|help) usage; exit 0 ;;
tools) run_make tools; exit 0 ;;
test|bench|"") ;;
-*) die "unknown option '$1' (./build.sh --help)" ;;
*)	for p in "$@"; do
		case "$p" in replay|explore|triage|litmus) ;; *) check_toolchain; break ;; esac
	done
	run_make "$@"; exit 0 ;;
esac
check_toolchain
case "${1:-}" in
bench) run_make all bench ;;
*) run_make all ;;
esac
[ "${1:-}" = test ] && { run_tests; exit $?; }
exit 0
