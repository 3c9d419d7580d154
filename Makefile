# forcepack: two commands on a fresh machine with Python 3.11 and the package registries.
#   make demo   installs what it needs, builds the demo force's warehouse and board paper
#   make test   runs the tests
# then `bin/forcepack ...` runs the installed forcepack from any folder.
SHELL := /bin/bash
PYTHON ?= python3.11
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

# Use uv from PATH, or bootstrap it into .tools/ from PyPI.
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := .tools/bin/uv
endif

RUN := $(UV) run --no-sync
# Keep Python's bytecode caches (and pytest's rewritten test modules) between runs even where
# the environment turns them off: without them each test worker compiles every module again,
# 8 of the fast tests' 12 s of collection here. __pycache__ is ignored by git.
unexport PYTHONDONTWRITEBYTECODE
DEMO_OUT ?= out/demo

.PHONY: demo test quick lint bench docs clean env env-dev

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

# --inexact: install what the demo needs without removing what is there, so `make demo` after
# `make test` keeps the development packages (and `make test` need not reinstall them).
env: $(UV)
	$(UV) sync --frozen --no-dev --inexact

env-dev: $(UV)
	$(UV) sync --frozen --extra spark

demo: env
	$(RUN) forcepack demo --out $(DEMO_OUT)

# system programs the tests run, and the Debian packages that provide them (.ci/run installs them)
TEST_TOOLS := pdftoppm:poppler-utils java:openjdk-17-jre-headless chromium:chromium

test: env-dev
	@for t in $(TEST_TOOLS); do command -v $${t%%:*} >/dev/null || \
	  { echo "make test needs $${t%%:*}: install the Debian package $${t#*:}" >&2; exit 1; }; done
	$(RUN) pytest -q -n 2 --dist worksteal -m "not spark"
	$(RUN) pytest -q -m spark

# the inner loop: the fast tests (neither slow nor Spark), under a minute on 2 cores
quick: env-dev
	$(RUN) pytest -q -n 2 --dist worksteal -m "not slow and not spark"

lint: env-dev
	$(RUN) ruff check src tests benchmarks
	$(RUN) ruff format --check src tests benchmarks
	$(RUN) mypy
	$(RUN) lint-imports --no-cache

# every benchmark at its small default size; bench_spark.py needs a scale folder and Spark
# (its usage: docs/performance.md, "Spark: when to move and how")
bench: env-dev
	for f in benchmarks/bench_*.py; do \
	  case $$f in *bench_spark.py) continue;; esac; $(RUN) python $$f || exit 1; done

# every generated doc: the data contract, the measure catalogue and the command reference
# (tests fail when a committed one is stale)
docs: env-dev
	$(RUN) forcepack contract docs --out docs/data-contract.md --force
	$(RUN) forcepack measures docs --out docs/measures.md --force
	COLUMNS=100 $(RUN) python -m forcepack.cli.reference > docs/cli.md

clean:
	rm -rf out .pytest_cache .ruff_cache .mypy_cache
