# Two commands: `make run` (dashboard on the demo warehouse) and `make test` (every test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= $(or $(KOKEMUS_DB),data/kokemus.duckdb)
PORT   ?= 8501

.PHONY: run test demo install install-dev lemmas native chromium poppler bench clean

$(BIN)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Kokemus needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.dev-installed: $(BIN)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed lemmas native
install-dev: $(BIN)/.dev-installed lemmas native

# the tagger's memory-mapped word tables (etl/themes/lemma_store.py): built once per
# simplemma version into ~/.cache/kokemus (KOKEMUS_CACHE_DIR), ~15 s; a no-op when built
lemmas: | $(BIN)/.installed
	$(BIN)/python -m etl.themes.build_lemmas

# the tagger's per-comment pass compiled with Cython (etl/themes/native.py) into
# etl/themes/_native/, once per version of its sources, ~20 s; a no-op when built. When it
# cannot be built (no C compiler) the tagger runs as Python, slower, and its log says so.
native: | $(BIN)/.installed
	$(BIN)/python -m etl.themes.build_native

$(DB): | $(BIN)/.installed lemmas native
	$(BIN)/python -m etl demo --db $(DB)

demo: $(DB)

run: $(BIN)/.installed lemmas native $(DB)
	KOKEMUS_DB=$(DB) $(BIN)/python -m kokemus.serve --server.port $(PORT)

chromium:
	@sh scripts/ensure-chromium.sh

poppler:
	@sh scripts/ensure-poppler.sh

test: $(BIN)/.dev-installed lemmas native chromium poppler
	$(BIN)/python -m pytest -q -p no:cacheprovider tests

bench: $(BIN)/.dev-installed lemmas native
	$(BIN)/python benchmarks/bench_demo.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_pages.py
	$(BIN)/python benchmarks/bench_browser.py
	$(BIN)/python benchmarks/eval_tagger.py
	$(BIN)/python benchmarks/bench_report.py

clean:
	rm -rf $(VENV) data/kokemus.duckdb* data/kokemus-archive data/samples etl/themes/_native
