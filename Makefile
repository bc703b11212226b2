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

OUT ?= out
CC ?= clang
CLANG ?= clang
ifeq ($(origin CC),default)
CC := clang
endif
V ?= 0

SCHED_SRC := $(sort $(wildcard sched/*.c))
MODEL_SRC := $(sort $(wildcard rmap/*.c scenarios/*.c)) \
	     fuzz/target.c fuzz/minimize.c
TOOLS := replay explore triage
# The .litmus front end: the engine and litmus/, no model.
LITMUS_SRC := $(sort $(wildcard litmus/*.c))
FUZZ_TARGETS := lock_anon_vma rmap_ops schedule_text litmus
TESTS := $(patsubst tests/%.c,%,$(sort $(wildcard tests/test_*.c)))

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

# flavour NAME, COMPILER, FLAGS: a pattern rule compiling into obj/NAME.
define flavour
$(OUT)/obj/$(1)/%.o: %.c $(CONFIG)
	$$(call say,CC,$$< [$(1)])
	@mkdir -p $$(@D)
	$(Q)$(2) $(3) -c $$< -o $$@
endef

TOOLS_OBJ := tools-$(notdir $(CC))
$(eval $(call flavour,$$(TOOLS_OBJ),$$(CC),$$(CC_FLAGS) -O2 $$(LTO_CC)))
$(eval $(call flavour,san-sched,$$(CLANG),$$(CLANG_FLAGS) -O2 $$(SAN)))
$(eval $(call flavour,san-model,$$(CLANG),$$(CLANG_FLAGS) -O1 $$(SAN)))
$(eval $(call flavour,san-edges,$$(CLANG),$$(CLANG_FLAGS) -O1 $$(SAN) -fsanitize=fuzzer-no-link))
$(eval $(call flavour,plain-sched,$$(CLANG),$$(CLANG_FLAGS) -O2 $$(LTO_CLANG)))
$(eval $(call flavour,plain-model,$$(CLANG),$$(CLANG_FLAGS) -O2 $$(LTO_CLANG)))
$(eval $(call flavour,plain-edges,$$(CLANG),$$(CLANG_FLAGS) -O2 $$(LTO_CLANG) -fsanitize=fuzzer-no-link))

# The model's own edges are coverage for a target only where its programs
# pick the paths: rmap_ops (without them ea90002b's bug was not found in
# 3 M runs) and the text parser.  lock_anon_vma's programs are fixed, so
# its edges would only repeat what the schedule features say, at a third
# of each execution's time.  The engine's edges never are coverage.
model_flavour = $(if $(filter lock_anon_vma,$(1)),$(2)-model,$(2)-edges)

# program OUTPUT, OBJECTS, LINKER[, LIBS]: a program and the objects it links.
# Every object is named in a rule, so make never takes one for an
# intermediate file (which it would delete, or skip when missing).
define program
$(1): $(2)
	$$(call say,LD,$$@)
	@mkdir -p $$(@D)
	$$(Q)$(3) $$^ $(4) -o $$@
endef

# ---- the programs --------------------------------------------------------

.PHONY: all tools fuzz tests bench help clean
all: tools fuzz tests
tools: $(addprefix $(OUT)/,$(TOOLS) litmus)
fuzz: $(addprefix $(OUT)/fuzz_,$(FUZZ_TARGETS))
tests: $(addprefix $(OUT)/,$(TESTS) mkseed)
bench: $(OUT)/bench/throughput $(OUT)/bench/throughput_asan \
       $(OUT)/bench/fuzz_lock_anon_vma_nosan $(OUT)/bench/fuzz_rmap_ops_nosan

TOOLS_LD = $(CC) $(CC_FLAGS) -O2 $(LTO_CC)
SAN_LD = $(CLANG) $(CLANG_FLAGS) $(SAN)
SAN_LIB := $(call objs,san-sched,$(SCHED_SRC)) \
	   $(call objs,san-model,$(MODEL_SRC) $(LITMUS_SRC))

$(foreach t,$(TOOLS) bench/throughput,$(eval $(call program,$(OUT)/$(t),\
	$(call objs,$(TOOLS_OBJ),$(SCHED_SRC) $(MODEL_SRC) $(if $(filter bench/%,$(t)),$(t),fuzz/$(t)).c),\
	$$(TOOLS_LD))))
$(eval $(call program,$(OUT)/litmus,\
	$(call objs,$(TOOLS_OBJ),$(SCHED_SRC) $(LITMUS_SRC) fuzz/litmus.c),\
	$$(TOOLS_LD)))
$(foreach t,$(FUZZ_TARGETS),$(eval $(call program,$(OUT)/fuzz_$(t),\
	$(call objs,san-sched,$(SCHED_SRC)) \
	$(call objs,$(call model_flavour,$(t),san),$(MODEL_SRC) \
		$(if $(filter litmus,$(t)),$(LITMUS_SRC)) fuzz/fuzz_$(t).c),\
	$$(SAN_LD) -fsanitize=fuzzer)))
$(foreach t,lock_anon_vma rmap_ops,$(eval $(call program,$(OUT)/bench/fuzz_$(t)_nosan,\
	$(call objs,plain-sched,$(SCHED_SRC)) \
	$(call objs,$(call model_flavour,$(t),plain),$(MODEL_SRC) fuzz/fuzz_$(t).c),\
	$$(CLANG) $$(CLANG_FLAGS) -O2 $$(LTO_CLANG) -fsanitize=fuzzer)))
$(foreach t,$(TESTS) mkseed,$(eval $(call program,$(OUT)/$(t),\
	$(SAN_LIB) $(call objs,san-model,tests/$(t).c),$$(SAN_LD))))
$(eval $(call program,$(OUT)/bench/throughput_asan,\
	$(SAN_LIB) $(call objs,san-model,bench/throughput.c),$$(SAN_LD)))

# A program by its bare name: `make replay`, `make test_sched`.
.PHONY: $(TOOLS) litmus $(TESTS) mkseed $(addprefix fuzz_,$(FUZZ_TARGETS))
$(TOOLS) litmus $(TESTS) mkseed $(addprefix fuzz_,$(FUZZ_TARGETS)): %: $(OUT)/%

# ---- OSS-Fuzz and ClusterFuzzLite ------------------------------------------
# Their compiler and flags; the engine without their coverage flag (its
# edges say nothing about the model), the model as model_flavour says.
OSS_PLAIN = $(filter-out -fsanitize=fuzzer-no-link,$(CFLAGS))
$(eval $(call flavour,oss-plain,$$(CC),$$(COMMON) $$(WARN) $$(OSS_PLAIN)))
$(eval $(call flavour,oss-model,$$(CC),$$(COMMON) $$(WARN) $$(OSS_PLAIN)))
$(eval $(call flavour,oss-edges,$$(CC),$$(COMMON) $$(WARN) $$(CFLAGS)))
CXX ?= clang++
.PHONY: oss-fuzz
oss-fuzz: $(addprefix $(OUT)/oss/fuzz_,$(filter-out schedule_text litmus,$(FUZZ_TARGETS)))
$(foreach t,lock_anon_vma rmap_ops,$(eval $(call program,$(OUT)/oss/fuzz_$(t),\
	$(call objs,oss-plain,$(SCHED_SRC)) \
	$(call objs,$(call model_flavour,$(t),oss),$(MODEL_SRC) fuzz/fuzz_$(t).c),\
	$$(CXX) $$(CXXFLAGS),$$(LIB_FUZZING_ENGINE) -pthread)))

help:
	@echo 'make [OUT=out] [CC=...] [V=1] TARGET...'
	@echo '  all (default)  tools, fuzz targets, tests'
	@echo '  tools          $(TOOLS) litmus (with $$CC, no sanitizers)'
	@echo '  fuzz           $(addprefix fuzz_,$(FUZZ_TARGETS)) (clang, libFuzzer, ASan+UBSan)'
	@echo '  tests          $(TESTS) mkseed'
	@echo '  bench          the benchmark binaries in $(OUT)/bench'
	@echo '  NAME           one program: replay, fuzz_rmap_ops, test_sched, ...'
	@echo '  clean          removes $(OUT)'

clean:
	rm -rf $(OUT)

-include $(shell find $(OUT)/obj -name '*.d' 2>/dev/null)
