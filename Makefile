# Makefile - schedfuzz's compiling.  ./build.sh is the front door (it
# checks the toolchain, then calls make); `make help` lists the targets.
#
# One object folder per flag set under $(OUT)/obj/, dependency files next
# to the objects (-MMD -MP), so an unchanged tree compiles nothing and a
# touched file rebuilds only what includes it.  Sources are found by
# wildcard: a new file under sched/, rmap/, scenarios/ or litmus/ needs no
# edit here.
#
# Flag sets:
#   tools-CC    $(CC) -O2 [-flto]: out/replay, out/explore, out/triage,
#               out/litmus
#   san-sched   clang -O2 ASan+UBSan: the engine of fuzz targets and tests
#   san-model   clang -O1 ASan+UBSan: model, scenarios and tool library
#   san-edges   san-model plus the model's edges as libFuzzer coverage
#   plain-*     the same without sanitizers, -O2 [-flto], for bench/
#   oss-*       OSS-Fuzz's $(CC) $(CFLAGS) (./build.sh with LIB_FUZZING_ENGINE)
#   *-off       a plain-C scenario file compiled without its instrumentation,
#               for the test that shows what it adds (out/plainc-off/)
#   *-rmap      the rmap model as plain C (out/plainc/): its files
#               instrumented, the rmap scenarios told so
#
# Plain-C files (docs/plain-c.md): a scenario file with the line
# "#define SCENARIO_PLAIN_C" is compiled by clang at -O0 with clang's load
# and store callbacks (sched/plain.c), in every flavour: -O0 so that every
# access the source writes is one, the same with and without sanitizers
# (optimisation merges loads differently in each), and in the function
# that writes it (no inlining), which the site lookup needs.  Without
# clang, such a file is compiled as any other and the tools refuse to run
# its scenario.

MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

OUT ?= out
CC ?= clang
CLANG ?= clang
ifeq ($(origin CC),default)
CC := clang
endif
V ?= 0

SCHED_SRC := $(sort $(wildcard sched/*.c))
TOOLS := replay explore triage
# The .litmus front end, out/litmus: the engine and litmus/, no model.
LITMUS_SRC := $(sort $(wildcard litmus/*.c))
# fuzz/: the programs' mains, and the library the tools and targets share
MAINS := $(addprefix fuzz/,$(addsuffix .c,$(TOOLS) fuzz fuzz_schedule_text \
	 litmus fuzz_litmus))
MODEL_SRC := $(sort $(wildcard rmap/*.c scenarios/*.c)) \
	     $(filter-out $(MAINS),$(sort $(wildcard fuzz/*.c)))
# out/fuzz takes any scenario; these also get a target of their own, with
# the scenario built in (the OSS-Fuzz targets)
NAMED := lock_anon_vma rmap_ops
FUZZ_TARGETS := fuzz $(addprefix fuzz_,$(NAMED)) fuzz_schedule_text \
		fuzz_litmus
# CI's fuzz targets: configurations that must stay clean (fuzz/ci-targets)
CI_NAMES := $(shell sed -n 's/^\(ci_[a-z0-9_]*\) .*/\1/p' fuzz/ci-targets)
ci_field = $(word $(2),$(shell grep '^$(1) ' fuzz/ci-targets))
ci_defines = -DFUZZ_SCENARIO='"$(call ci_field,$(1),2)"' \
	     -DFUZZ_VARIANT='"$(call ci_field,$(1),3)"' \
	     -DFUZZ_MEMORY='"$(call ci_field,$(1),4)"' \
	     -DFUZZ_EXPECT='"$(call ci_field,$(1),5)"' 
TESTS := $(patsubst tests/%.c,%,$(sort $(wildcard tests/test_*.c)))
PLAINC_SRC := $(shell grep -l '^\#define SCENARIO_PLAIN_C' $(sort $(wildcard scenarios/*.c tests/*.c))) \
	bench/plainc_loop.c
# The plain-C build of the rmap model: its files but the oracles', the
# model features' (shape.c reads the world as they do) and the tables',
# and the scenarios that run it
RMAP_PLAINC := $(filter-out rmap/oracle% rmap/shape.c rmap/classes.c rmap/variant.c,$(sort $(wildcard rmap/*.c)))
RMAP_SCENARIOS := scenarios/lock_anon_vma.c scenarios/rmap_ops.c

WARN := -Wall -Wextra -Werror -Wmissing-prototypes
COMMON := -std=gnu11 -g -pthread -MMD -MP
# UBSan's null check is off: under weak memory the model can load a NULL
# pointer and go through it (2.6.36's anon_vma->root), which the engine
# reports as the verdict null-deref and the fuzz target goes on; UBSan
# would stop it at the member access first.  ASan still catches a NULL
# access that does not go through the engine.
SAN := -fsanitize=address,undefined -fno-sanitize=null \
       -fno-sanitize-recover=undefined

# Compiler probes, cached per compiler so a rebuild compiles nothing:
# -flto where the compiler can link it (the builds without sanitizers are
# linked whole: every scheduling point crosses from the model into small
# engine functions of other files; docs/benchmark.md has what it gains),
# and -Wmissing-variable-declarations where the compiler knows it (clang;
# gcc from 14).
CONFIG := $(OUT)/config/$(notdir $(CC))-$(notdir $(CLANG)).mk
$(CONFIG):
	@mkdir -p $(@D)
	@probe() { echo "$$2" | $$1 -Werror $$3 -x c - -o /dev/null 2>/dev/null; }; { \
	  for c in CC:'$(CC)' CLANG:'$(CLANG)'; do for f in -flto=auto -flto; do \
	    probe "$${c#*:}" 'int main(void) { return 0; }' $$f && \
	      { echo "LTO_$${c%%:*} := $$f"; break; }; done; done; \
	  probe '$(CC)' 'static int x;' '-c -Wmissing-variable-declarations' && \
	    echo 'WVAR_CC := -Wmissing-variable-declarations'; \
	  probe '$(CLANG)' 'static int x;' '-c -Wmissing-variable-declarations' && \
	    echo 'WVAR_CLANG := -Wmissing-variable-declarations'; \
	  true; } > $@
-include $(CONFIG)

CC_FLAGS = $(COMMON) $(WARN) $(WVAR_CC)
CLANG_FLAGS = $(COMMON) $(WARN) $(WVAR_CLANG)

ifeq ($(V),0)
Q := @
say = @printf '  %-6s %s\n' '$(1)' '$(2)';
else
Q :=
say :=
endif

# objs FLAVOUR, SOURCES: the object paths of SOURCES in FLAVOUR's folder.
objs = $(patsubst %.c,$(OUT)/obj/$(1)/%.o,$(2))

PLAINC_FLAGS := -O0 -fsanitize-coverage=edge,trace-loads,trace-stores \
	-DSCHED_PLAIN_C -DSCHED_INSTRUMENTED
HAVE_CLANG := $(shell command -v $(CLANG) 2>/dev/null)
# cc FILE, COMPILER, FLAGS, INSTRUMENTED, TOLD, OFF: the command that
# compiles FILE: with the plain-C callbacks when it is among INSTRUMENTED
# (and clang is there), told that its model is (-DSCHED_PLAIN_C) when among
# TOLD, told that it is not on purpose when among OFF.
cc = $(if $(and $(filter $(1),$(4)),$(HAVE_CLANG)),$(CLANG) \
	$(filter-out -O% -flto%,$(3)) $(PLAINC_FLAGS),$(2) $(3)$(if \
	$(filter $(1),$(5)), -DSCHED_PLAIN_C)$(if $(filter $(1),$(6)), \
	-DSCHED_PLAIN_C_OFF))

# flavour NAME, COMPILER, FLAGS[, INSTRUMENTED, TOLD, OFF]: a pattern rule
# compiling into obj/NAME (the last three are variables' names; by
# default the plain-C files are instrumented), and fuzz/fuzz.c with each
# named scenario built in (fuzz/fuzz-NAME.o).  obj/NAME/.flags holds the
# compiler and flags, rewritten only when they change: a flag changed in
# this file recompiles that flavour's objects and no others.
define flavour
$(OUT)/obj/$(1)/.flags: FORCE
	@mkdir -p $$(@D)
	@printf '%s\n' '$(2) $(3)' | cmp -s - $$@ || printf '%s\n' '$(2) $(3)' >$$@
$(OUT)/obj/$(1)/%.o: %.c $(CONFIG) $(OUT)/obj/$(1)/.flags
	$$(call say,CC,$$< [$(1)])
	@mkdir -p $$(@D)
	$(Q)$$(call cc,$$<,$(2),$(3),$$($(or $(4),PLAINC_SRC)),$$($(5)),$$($(6))) -c $$< -o $$@
$(OUT)/obj/$(1)/fuzz/fuzz-%.o: fuzz/fuzz.c $(CONFIG) $(OUT)/obj/$(1)/.flags
	$$(call say,CC,$$< [$(1) $$*])
	@mkdir -p $$(@D)
	$(Q)$(2) $(3) -DFUZZ_SCENARIO='"$$*"' -c $$< -o $$@
$(OUT)/obj/$(1)/fuzz/ci-%.o: fuzz/fuzz.c fuzz/ci-targets $(CONFIG) $(OUT)/obj/$(1)/.flags
	$$(call say,CC,$$< [$(1) $$*])
	@mkdir -p $$(@D)
	$(Q)$(2) $(3) $$(call ci_defines,$$*) -c $$< -o $$@
endef

TOOLS_OBJ := tools-$(notdir $(CC))
$(eval $(call flavour,$$(TOOLS_OBJ),$$(CC),$$(CC_FLAGS) -O2 $$(LTO_CC)))
$(eval $(call flavour,san-sched,$$(CLANG),$$(CLANG_FLAGS) -O2 $$(SAN)))
$(eval $(call flavour,san-model,$$(CLANG),$$(CLANG_FLAGS) -O1 $$(SAN)))
$(eval $(call flavour,san-edges,$$(CLANG),$$(CLANG_FLAGS) -O1 $$(SAN) -fsanitize=fuzzer-no-link))
$(eval $(call flavour,plain-sched,$$(CLANG),$$(CLANG_FLAGS) -O2 $$(LTO_CLANG)))
$(eval $(call flavour,plain-model,$$(CLANG),$$(CLANG_FLAGS) -O2 $$(LTO_CLANG)))
# Without link-time optimisation: clang 14's LTO drops the module
# constructors of the coverage counters of all but one file ("defined in
# discarded section" at the link).
$(eval $(call flavour,plain-edges,$$(CLANG),$$(CLANG_FLAGS) -O2 -fsanitize=fuzzer-no-link))
# The plain-C files without their instrumentation, and the rmap model as
# plain C: only the files that differ are compiled in these.
NONE :=
RMAP_INSTR := $(PLAINC_SRC) $(RMAP_PLAINC)
$(eval $(call flavour,$$(TOOLS_OBJ)-off,$$(CC),$$(CC_FLAGS) -O2 $$(LTO_CC),NONE,NONE,PLAINC_SRC))
$(eval $(call flavour,san-edges-off,$$(CLANG),$$(CLANG_FLAGS) -O1 $$(SAN) -fsanitize=fuzzer-no-link,NONE,NONE,PLAINC_SRC))
$(eval $(call flavour,$$(TOOLS_OBJ)-rmap,$$(CC),$$(CC_FLAGS) -O2 $$(LTO_CC),RMAP_INSTR,RMAP_SCENARIOS))
$(eval $(call flavour,san-model-rmap,$$(CLANG),$$(CLANG_FLAGS) -O1 $$(SAN),RMAP_INSTR,RMAP_SCENARIOS))
$(eval $(call flavour,san-edges-rmap,$$(CLANG),$$(CLANG_FLAGS) -O1 $$(SAN) -fsanitize=fuzzer-no-link,RMAP_INSTR,RMAP_SCENARIOS))
# bench/throughput's baseline: lock_anon_vma's code with sched/plain/'s
# shims (plain accesses and calls, no engine), as shared libraries whose
# symbols but their entry are hidden, so that they link beside the
# engine's copy of the model; the second counts scheduling points.
BASELINE_FLAGS = $(CC_FLAGS) -O2 $(LTO_CC) -fPIC -fvisibility=hidden -DSCHED_BASELINE
$(eval $(call flavour,baseline,$$(CC),$$(BASELINE_FLAGS)))
$(eval $(call flavour,baseline-count,$$(CC),$$(BASELINE_FLAGS) \
	-DSCHED_BASELINE_COUNT -DBASELINE_RUN=baseline_run_count))

# The model's own edges are coverage for a target only where its programs
# pick the paths: rmap_ops (without them ea90002b's bug was not found in
# 3 M runs) and the text parser.  lock_anon_vma's programs are fixed, so
# its edges would only repeat what the schedule features say, at a third
# of each execution's time.  The engine's edges never are coverage.
model_flavour = $(if $(filter fuzz_lock_anon_vma,$(1)),$(2)-model,$(2)-edges)
ci_flavour = $(if $(filter lock_anon_vma,$(call ci_field,$(1),2)),$(2)-model,$(2)-edges)
# fuzz_main TARGET, FLAVOUR: the source of a fuzz target's main
fuzz_main = $(if $(filter $(addprefix fuzz_,$(NAMED)),$(1)),fuzz/fuzz-$(1:fuzz_%=%).c,fuzz/$(1).c)

# The list of sources, rewritten when it changes: a file added or removed
# relinks every program (a removed object would not, by itself).
SOURCES := $(OUT)/config/sources
ifneq ($(file <$(SOURCES)),$(SCHED_SRC) $(MODEL_SRC))
$(shell mkdir -p $(OUT)/config)
$(file >$(SOURCES),$(SCHED_SRC) $(MODEL_SRC))
endif

# program OUTPUT, OBJECTS, LINKER[, LIBS]: a program and the objects it links.
# Every object is named in a rule, so make never takes one for an
# intermediate file (which it would delete, or skip when missing).
define program
$(1): $(2) $(SOURCES)
	$$(call say,LD,$$@)
	@mkdir -p $$(@D)
	$$(Q)$(3) $$(filter %.o,$$^) $(4) -o $$@
endef

# ---- the programs --------------------------------------------------------

.PHONY: all tools fuzz ci tests bench plainc help clean FORCE
FORCE:
all: tools fuzz ci tests plainc
tools: $(addprefix $(OUT)/,$(TOOLS) litmus)
fuzz: $(addprefix $(OUT)/,$(FUZZ_TARGETS))
ci: $(addprefix $(OUT)/ci/,$(CI_NAMES))
tests: $(addprefix $(OUT)/,$(TESTS) mkseed)
bench: $(OUT)/bench/throughput $(OUT)/bench/throughput_asan \
       $(OUT)/plainc/bench/race_table $(OUT)/bench/plainc \
       $(OUT)/plainc/bench/plainc \
       $(patsubst %,$(OUT)/bench/fuzz_%_nosan,$(NAMED))

TOOLS_LD = $(CC) $(CC_FLAGS) -O2 $(LTO_CC)
comma := ,
BASELINE_SRC := $(filter-out rmap/oracle%.c rmap/shape.c rmap/classes.c,$(wildcard rmap/*.c)) \
	scenarios/lock_anon_vma.c scenarios/noise.c sched/plain/kernel.c \
	bench/baseline.c
BASELINE_LIBS := $(OUT)/bench/libbaseline.so $(OUT)/bench/libbaseline_count.so
BASELINE_LD = $(CC) $(BASELINE_FLAGS) -shared -Wl,--no-undefined
SAN_LD = $(CLANG) $(CLANG_FLAGS) $(SAN)
SAN_LIB := $(call objs,san-sched,$(SCHED_SRC)) \
	   $(call objs,san-model,$(MODEL_SRC) $(LITMUS_SRC))

$(foreach t,$(TOOLS),$(eval $(call program,$(OUT)/$(t),\
	$(call objs,$(TOOLS_OBJ),$(SCHED_SRC) $(MODEL_SRC) fuzz/$(t).c),\
	$$(TOOLS_LD))))
$(eval $(call program,$(OUT)/bench/throughput,\
	$(call objs,$(TOOLS_OBJ),$(SCHED_SRC) $(MODEL_SRC) bench/throughput.c) $(BASELINE_LIBS),\
	$$(TOOLS_LD),$(BASELINE_LIBS) -Wl$$(comma)-rpath$$(comma)'$$$$ORIGIN'))
$(eval $(call program,$(OUT)/bench/libbaseline.so,\
	$(call objs,baseline,$(BASELINE_SRC)),$$(BASELINE_LD),-Wl$$(comma)-soname$$(comma)libbaseline.so))
$(eval $(call program,$(OUT)/bench/libbaseline_count.so,\
	$(call objs,baseline-count,$(BASELINE_SRC)),$$(BASELINE_LD),-Wl$$(comma)-soname$$(comma)libbaseline_count.so))
$(eval $(call program,$(OUT)/litmus,\
	$(call objs,$(TOOLS_OBJ),$(SCHED_SRC) $(LITMUS_SRC) fuzz/litmus.c),\
	$$(TOOLS_LD)))
$(foreach t,$(FUZZ_TARGETS),$(eval $(call program,$(OUT)/$(t),\
	$(call objs,san-sched,$(SCHED_SRC)) \
	$(call objs,$(call model_flavour,$(t),san),$(MODEL_SRC) \
		$(if $(filter fuzz_litmus,$(t)),$(LITMUS_SRC)) $(call fuzz_main,$(t))),\
	$$(SAN_LD) -fsanitize=fuzzer)))
$(foreach t,$(CI_NAMES),$(eval $(call program,$(OUT)/ci/$(t),\
	$(call objs,san-sched,$(SCHED_SRC)) \
	$(call objs,$(call ci_flavour,$(t),san),$(MODEL_SRC) fuzz/ci-$(t).c),\
	$$(SAN_LD) -fsanitize=fuzzer)))
# split FLAVOUR, OWN-FLAVOUR, OWN, SOURCES: the objects of SOURCES, those
# among OWN from OWN-FLAVOUR's folder
split = $(call objs,$(1),$(filter-out $(3),$(4))) $(call objs,$(2),$(filter $(3),$(4)))
$(foreach t,$(NAMED),$(eval $(call program,$(OUT)/bench/fuzz_$(t)_nosan,\
	$(call objs,plain-sched,$(SCHED_SRC)) \
	$(call objs,$(call model_flavour,fuzz_$(t),plain),$(MODEL_SRC) fuzz/fuzz-$(t).c),\
	$$(CLANG) $$(CLANG_FLAGS) -O2 $$(LTO_CLANG) -fsanitize=fuzzer)))
$(foreach t,$(TESTS) mkseed,$(eval $(call program,$(OUT)/$(t),\
	$(SAN_LIB) $(call objs,san-model,tests/$(t).c),$$(SAN_LD))))
$(eval $(call program,$(OUT)/bench/throughput_asan,\
	$(SAN_LIB) $(call objs,san-model,bench/throughput.c),$$(SAN_LD)))

# The plain-C programs: out/plainc/ runs the rmap model as plain C (its
# plain accesses interposed, the data races checked), out/plainc-off/ the
# plain-C scenarios without their instrumentation.  Only the files that
# differ come from the flavours of their own.
RMAP_OWN := $(RMAP_PLAINC) $(RMAP_SCENARIOS)
PLAINC_PROGS := $(addprefix $(OUT)/plainc/,replay explore $(addprefix fuzz_,$(NAMED))) \
	$(addprefix $(OUT)/plainc-off/,explore fuzz)
plainc: $(PLAINC_PROGS)
# bench/plainc's own files
BENCH_PLAINC := bench/plainc.c bench/plainc_loop.c
$(eval $(call program,$(OUT)/bench/plainc,\
	$(call objs,$(TOOLS_OBJ),$(SCHED_SRC) $(MODEL_SRC) $(BENCH_PLAINC)),$$(TOOLS_LD)))
$(foreach t,fuzz/replay fuzz/explore bench/race_table bench/plainc,$(eval $(call program,\
	$(OUT)/plainc/$(if $(filter bench/%,$(t)),$(t),$(notdir $(t))),\
	$(call objs,$(TOOLS_OBJ),$(SCHED_SRC) $(t).c $(if $(filter bench/plainc,$(t)),bench/plainc_loop.c)) \
	$(call split,$(TOOLS_OBJ),$(TOOLS_OBJ)-rmap,$(RMAP_OWN),$(MODEL_SRC)),$$(TOOLS_LD))))
$(foreach t,$(NAMED),$(eval $(call program,$(OUT)/plainc/fuzz_$(t),\
	$(call objs,san-sched,$(SCHED_SRC)) \
	$(call split,$(call model_flavour,fuzz_$(t),san),$(call model_flavour,fuzz_$(t),san)-rmap,$(RMAP_OWN),$(MODEL_SRC) fuzz/fuzz-$(t).c),\
	$$(SAN_LD) -fsanitize=fuzzer)))
$(eval $(call program,$(OUT)/plainc-off/explore,\
	$(call objs,$(TOOLS_OBJ),$(SCHED_SRC) fuzz/explore.c) \
	$(call split,$(TOOLS_OBJ),$(TOOLS_OBJ)-off,$(PLAINC_SRC),$(MODEL_SRC)),$$(TOOLS_LD)))
$(eval $(call program,$(OUT)/plainc-off/fuzz,\
	$(call objs,san-sched,$(SCHED_SRC)) \
	$(call split,san-edges,san-edges-off,$(PLAINC_SRC),$(MODEL_SRC) fuzz/fuzz.c),\
	$$(SAN_LD) -fsanitize=fuzzer))

# A program by its bare name: `make replay`, `make test_sched`.
.PHONY: $(TOOLS) litmus $(TESTS) mkseed $(FUZZ_TARGETS)
$(TOOLS) litmus $(TESTS) mkseed $(FUZZ_TARGETS): %: $(OUT)/%

# ---- OSS-Fuzz and ClusterFuzzLite ------------------------------------------
# Their compiler and flags; the engine without their coverage flag (its
# edges say nothing about the model), the model as model_flavour says.
OSS_PLAIN = $(filter-out -fsanitize=fuzzer-no-link,$(CFLAGS))
$(eval $(call flavour,oss-plain,$$(CC),$$(COMMON) $$(WARN) $$(OSS_PLAIN)))
$(eval $(call flavour,oss-model,$$(CC),$$(COMMON) $$(WARN) $$(OSS_PLAIN)))
$(eval $(call flavour,oss-edges,$$(CC),$$(COMMON) $$(WARN) $$(CFLAGS)))
CXX ?= clang++
.PHONY: oss-fuzz
oss-fuzz: $(addprefix $(OUT)/oss/,$(CI_NAMES))
$(foreach t,$(CI_NAMES),$(eval $(call program,$(OUT)/oss/$(t),\
	$(call objs,oss-plain,$(SCHED_SRC)) \
	$(call objs,$(call ci_flavour,$(t),oss),$(MODEL_SRC) fuzz/ci-$(t).c),\
	$$(CXX) $$(CXXFLAGS),$$(LIB_FUZZING_ENGINE) -pthread)))

help:
	@echo 'make [OUT=out] [CC=...] [V=1] TARGET...'
	@echo '  all (default)  tools, fuzz targets, tests'
	@echo '  tools          $(TOOLS) litmus (with $$CC, no sanitizers)'
	@echo '  fuzz           $(FUZZ_TARGETS) (clang, libFuzzer, ASan+UBSan)'
	@echo '  ci             $(OUT)/ci/: the CI fuzz targets of fuzz/ci-targets'
	@echo '  oss-fuzz       $(OUT)/oss/: the same with OSS-Fuzz flags (./build.sh does it)'
	@echo '  tests          $(TESTS) mkseed'
	@echo '  plainc         out/plainc/ (the rmap model as plain C), out/plainc-off/'
	@echo '  bench          the benchmark binaries in $(OUT)/bench'
	@echo '  NAME           one program: replay, fuzz_rmap_ops, test_sched, ...'
	@echo '  clean          removes $(OUT)'

clean:
	rm -rf $(OUT)

# The dependency files are read, never made.
$(OUT)/obj/%.d: ;
-include $(shell find $(OUT)/obj -name '*.d' 2>/dev/null)
