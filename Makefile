# The two commands that do everything on a fresh Debian 12 machine:
#   make demo   install what is missing, build, run kldiv on examples/
#   make test   install what is missing, build, run every test suite
# and two more: make build (only build), make bench (the benchmarks).

BUILD_DIR ?= build
PYTHON ?= /usr/bin/python3
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps build test demo bench format clean

all: build

deps:
	@scripts/install-deps

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release \
	  -DPython3_EXECUTABLE=$(PYTHON) $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	@scripts/run-tests $(BUILD_DIR) $(PYTHON) $(JOBS)

demo: build
	@scripts/demo $(BUILD_DIR)/bin/kldiv

bench: build
	cmake --build $(BUILD_DIR) -j $(JOBS) --target benchmarks
	@scripts/bench $(BUILD_DIR) $(PYTHON)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp' '*.h')

clean:
	rm -rf $(BUILD_DIR)
