# The two commands of the README, and the pieces they are made of.
# `make demo`: install dependencies and the package, train on the bundled
#              data, write the embedding (CSV) and plots (PNG) to demo-output/
# `make test`: install, then run the testthat suite and the engine tests
R ?= R
RSCRIPT ?= Rscript
ENGINE_BUILD ?= build/engine-tests
# -DEXPRAE_CUDA=ON builds the engine tests with the CUDA backend
ENGINE_CMAKE_FLAGS ?=
DEMO_DIR ?= demo-output
export MAKEFLAGS += -j2

.PHONY: deps install demo test test-r test-engine clean

deps:
	sh tools/install-deps.sh

install: deps
	$(R) CMD INSTALL --preclean .

demo: install
	$(RSCRIPT) inst/scripts/demo.R $(DEMO_DIR)

test: install
	$(MAKE) test-r test-engine

test-r:
	$(RSCRIPT) tools/run-r-tests.R

test-engine:
	cmake -S tests/engine -B $(ENGINE_BUILD) -DCMAKE_BUILD_TYPE=Release \
	    $(ENGINE_CMAKE_FLAGS)
	cmake --build $(ENGINE_BUILD) -j2
	ctest --test-dir $(ENGINE_BUILD) --output-on-failure

clean:
	sh cleanup
	rm -rf build $(DEMO_DIR) exprae_*.tar.gz exprae.Rcheck
