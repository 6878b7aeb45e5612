# Thin convenience wrapper: the real work is in scripts/ and Meson.
PYTHON := /usr/bin/python3

.PHONY: all setup build test unit e2e asan clang demo bench clean

all: build

setup:
	scripts/setup.sh

build:
	@[ -f build/build.ninja ] || CC=gcc meson setup build
	ninja -C build

test:
	scripts/test.sh

unit: build
	meson test -C build --print-errorlogs

e2e: build
	$(PYTHON) -m pytest -q tests/e2e

asan:
	@[ -f build-asan/build.ninja ] || CC=clang meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
	ninja -C build-asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C build-asan --print-errorlogs --timeout-multiplier 4

clang:
	@[ -f build-clang/build.ninja ] || CC=clang meson setup build-clang --werror
	ninja -C build-clang

demo:
	scripts/demo.sh

# Not part of the test run: each prints its measurement and the ratio to a
# baseline measured in the same run (bench/*.sh say what they compare).
bench: build
	bench/bench_image.sh
	bench/bench_db.sh build
	build/bench/bench_match bench/.work/bench.db
	bench/bench_config.sh build

clean:
	rm -rf build build-asan build-clang tests/e2e/.work
