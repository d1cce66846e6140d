# flx — build, test and run. `make run` and `make test` set up everything a
# fresh Debian 12 machine needs (scripts/setup.sh), then build and run.

CC      ?= gcc
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-unused-parameter
ifeq ($(CI),true)
WARN    += -Werror
endif
CFLAGS_COMMON := -std=c11 -D_GNU_SOURCE -g $(WARN) -Iinclude -Ibuild/gen \
                 -isystem build/deps/quickjs/include -MMD -MP
TS_JS   := build/deps/tree-sitter-javascript-build/libtree-sitter-javascript.a
QJS     := build/deps/quickjs/libquickjs.a
LIBS    := $(TS_JS) -ltree-sitter $(QJS) -ldouble-conversion -lstdc++ -luv -lhttp_parser -lcrypto -lpthread -lm

SAN_ASAN := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined
SAN_TSAN := -O1 -fsanitize=thread

RT_SRC    := $(sort $(wildcard src/rt/*.c))
LANG_SRC  := $(sort $(wildcard src/lang/*.c))
COMP_SRC  := $(sort $(wildcard src/compiler/*.c))
JS_SRC    := $(sort $(wildcard src/js/*.c))
JS_LIB    := $(sort $(wildcard src/js/lib/*.js))
CLI_SRC   := $(sort $(wildcard src/cli/*.c))
TEST_SRC  := $(sort $(wildcard tests/*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))
EX_SRC    := $(sort $(wildcard examples/*.c))

DEPS_READY := build/deps/.ready

.PHONY: all setup run test e2e tsan asan-tests bench clean
all: build/libflx.a build/flx $(EX_SRC:examples/%.c=build/examples/%) \
     $(BENCH_SRC:bench/%.c=build/bench/bin/%)

setup $(DEPS_READY): scripts/setup.sh deps.lock $(wildcard deps/quickjs/*)
	@scripts/setup.sh

# One object tree per flavour: plain (-O2), asan (+UBSan) and tsan.
define flavour
build/$(1)obj/%.o: %.c $(DEPS_READY)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS_COMMON) $(2) -c $$< -o $$@
build/$(1)libflx.a: $$(RT_SRC:%.c=build/$(1)obj/%.o)
	@mkdir -p $$(dir $$@)
	ar rcs $$@ $$^
build/$(1)libflxlang.a: $$(LANG_SRC:%.c=build/$(1)obj/%.o)
	@mkdir -p $$(dir $$@)
	ar rcs $$@ $$^
build/$(1)libflxc.a: $$(COMP_SRC:%.c=build/$(1)obj/%.o)
	@mkdir -p $$(dir $$@)
	ar rcs $$@ $$^
$$(JS_SRC:%.c=build/$(1)obj/%.o): build/gen/js_lib.h
build/$(1)libflxjs.a: $$(JS_SRC:%.c=build/$(1)obj/%.o)
	@mkdir -p $$(dir $$@)
	ar rcs $$@ $$^
build/$(1)run-tests: $$(TEST_SRC:%.c=build/$(1)obj/%.o) build/$(1)libflxjs.a build/$(1)libflxc.a build/$(1)libflxlang.a build/$(1)libflx.a
	$$(CC) $(2) -o $$@ $$^ $$(LIBS)
-include $$(shell find build/$(1)obj -name '*.d' 2>/dev/null)
endef
$(eval $(call flavour,,-O2))
$(eval $(call flavour,asan/,$(SAN_ASAN)))
$(eval $(call flavour,tsan/,$(SAN_TSAN)))

# The host's bundled JavaScript, as C strings.
build/gen/js_lib.h: $(JS_LIB) scripts/js2c.sh
	scripts/js2c.sh $@ $(JS_LIB)

# The command allocates with mimalloc (linked, it replaces malloc in the whole
# process): QuickJS allocates and frees a few hundred objects per request, and
# glibc's malloc was a third of a request's instructions (bench/RESULTS.md).
# The sanitizer builds keep glibc's, which ASan and TSan intercept.
build/flx: $(CLI_SRC:%.c=build/obj/%.o) build/libflxjs.a build/libflxc.a build/libflxlang.a build/libflx.a
	$(CC) -o $@ $^ $(LIBS) -lmimalloc

build/examples/%: build/obj/examples/%.o build/libflx.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(LIBS)

build/bench/bin/%: build/obj/bench/%.o build/libflx.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(LIBS)

# The flagship: an unmodified Express application (examples/todo) on every
# core, with what runs in parallel and why printed first. PORT (default 3000)
# is the app's own process.env.PORT, as under node.
run: all
	build/flx run examples/todo/app.js --explain

# Every test under ASan+UBSan, then the concurrency tests under TSan; the
# last line sums both runs.
test: build/asan/run-tests build/tsan/run-tests build/flx
	@tests/run-all build/asan/run-tests build/tsan/run-tests

# The differential suite (tests/e2e): examples/ under Node.js and flx run.
e2e: build/flx
	@node tests/e2e/run.js

tsan: build/tsan/run-tests
	build/tsan/run-tests --concurrency

bench: all
	bench/run echo --quick

clean:
	rm -rf build/obj build/asan build/tsan build/gen build/libflx.a build/libflxlang.a build/libflxc.a build/libflxjs.a build/flx \
	       build/examples build/bench
