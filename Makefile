# The two commands a new user needs:  make report   and   make test.
# Everything else (the virtual environment included) is set up on first use.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
# corpus the reports are built from: a folder, a file or an archive the loader accepts
CORPUS ?= data/raw
# set HIDE_CODE=1 to leave code cells out of the HTML reports
HIDE_CODE ?=
# notebooks executed at the same time by make report, longest first (each kernel holds the
# corpus: on ANT two together peak under 3 GB; JOBS=1 halves that)
JOBS ?= 2
# more options for the builder, e.g. REPORT_ARGS="--only 03 -p top_n=30 --out /tmp/r"
# (python -m helpers.reports --help lists them)
REPORT_ARGS ?=
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help report test test-mpl310 lab venv dev clean clean-cache

help: ## list the targets
	@echo "Usage: make <target> [CORPUS=path]"
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-12s %s\n", $$1, $$2}'

$(VENV)/.runtime: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s); set PYTHON=..." % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	@# camel-tools is a test-only reference; its full dependency set pulls in torch and
	@# transformers (several GB), while the functions we compare with are pure Python.
	$(PY) -m pip install --quiet --no-deps 'camel-tools==1.6.0'
	@touch $@

venv: $(VENV)/.runtime ## create .venv and install the project (done automatically)

dev: $(VENV)/.dev ## install the test tools too (done automatically by make test)

# CORPUS reaches the builder as the environment variable REPORT_CORPUS: $(value ...) keeps
# make from expanding a "$" in the path and no shell ever parses it, so quotes, "$",
# backticks and spaces in a path stay as they are (helpers.reports reads REPORT_CORPUS when
# --corpus is not given)
report: export REPORT_CORPUS := $(value CORPUS)
report: $(VENV)/.runtime ## build the HTML reports into reports/ (CORPUS=path, default data/raw)
	$(PY) -m helpers.reports --jobs $(JOBS) $(if $(HIDE_CODE),--hide-code,) $(REPORT_ARGS)

test: $(VENV)/.dev test-mpl310 ## run the test suite (chart tests also under matplotlib 3.10)
	$(PY) -m pytest $(PYTEST_ARGS)

lab: $(VENV)/.runtime ## open JupyterLab with the project's environment
	$(VENV)/bin/jupyter lab notebooks/

clean-cache: ## remove the cached corpora in data/processed/
	find data/processed -mindepth 1 ! -name .gitkeep -delete

clean: clean-cache ## remove .venv, reports/ and caches
	rm -rf $(VENV) $(VENV_MPL310) reports .pytest_cache .hypothesis

# ---- matplotlib 3.10 environment for the chart tests ----
# matplotlib >= 3.11 joins and reorders Arabic itself; 3.10 and older need reshaped,
# reordered text. helpers.rtl decides at run time; the chart tests run under both so that
# both paths are proven. A small second venv holding the pyproject extra "mpl310" (only what
# tests/test_rtl.py and tests/test_charts.py import), read from pyproject.toml with tomllib
# into a requirements file; the project itself goes in with --no-deps.
VENV_MPL310 ?= .venv-mpl310
PY_MPL310   := $(VENV_MPL310)/bin/python
MPL310_EXTRA := import tomllib; \
  print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["mpl310"], sep="\n")

$(VENV_MPL310)/.done: pyproject.toml
	$(PYTHON) -m venv $(VENV_MPL310)
	$(PY_MPL310) -m pip install --quiet --upgrade pip
	$(PY_MPL310) -c '$(MPL310_EXTRA)' > $(VENV_MPL310)/requirements-mpl310.txt
	$(PY_MPL310) -m pip install --quiet -r $(VENV_MPL310)/requirements-mpl310.txt
	$(PY_MPL310) -m pip install --quiet --no-deps -e .
	@touch $@

test-mpl310: $(VENV_MPL310)/.done ## run the chart tests under matplotlib 3.10 (reshaped path)
	$(PY_MPL310) -m pytest tests/test_rtl.py $(wildcard tests/test_charts*.py) $(PYTEST_ARGS)

# ---- benchmarks ----
# Speed against the peers on the ANT archive (../shared/corpora, as benchmarks/corpora.py
# names it), medians of several runs, then the loader's figures (dates per second, peak
# memory against the largest file, TREC scanner scaling, formats, encoding accuracy),
# printed and written to benchmarks/results.json. About 8 minutes on 2 cores
# (BENCH_ARGS=--skip-loader: 4); add BENCH_ARGS="--scale" for the streaming path on ANT
# 1x/4x/10x (about 10 more minutes) and BENCH_ARGS="--report" for make report on ANT cold
# and warm (a few more minutes).
BENCH_ARGS ?=
.PHONY: bench
bench: $(VENV)/.dev ## speed vs peers on ANT -> benchmarks/results.json (BENCH_ARGS="--scale --report")
	$(PY) benchmarks/bench.py $(BENCH_ARGS)
