# Crime-outcomes audit notebooks. `make` (or `make help`) is the map of the steps and tools.
#
# Variables: EDITION (default sample), MIRROR (a folder holding the raw files; default ../shared/outcomes-data),
# OFFLINE=1 (never download), FORCE (for `make report` and `make story`), REBUILD=1 (build again even when nothing
# changed), JOBS (parallel workers), CLAIMS (your own registry for `make claims`), STORY (your own story spec for
# `make stories`), KEEP_NOTEBOOKS=1 (keep executed notebooks), DOWNLOAD=1 (for `make discover`), FRESH=1 (for
# `make lab`: fresh copies of the notebooks, yours kept aside), LAB_ARGS (options for JupyterLab), ARTICLE and
# PUBLISHED (for `make read`: an article's text and its publication date, YYYY-MM-DD; URL and TITLE optional), PYTHON.
# Their values are taken literally and reach commands only as environment data, never as shell or make text.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

EDITION ?= sample
PYTHON ?= python3
MIRROR ?=
OFFLINE ?=
FORCE ?=
REBUILD ?=
JOBS ?=
CLAIMS ?=
STORY ?=
KEEP_NOTEBOOKS ?=
DOWNLOAD ?=
FRESH ?=
LAB_ARGS ?=
ARTICLE ?=
PUBLISHED ?=
URL ?=
TITLE ?=
override EDITION := $(value EDITION)
override PYTHON := $(value PYTHON)
override MIRROR := $(value MIRROR)
override OFFLINE := $(value OFFLINE)
override FORCE := $(value FORCE)
override REBUILD := $(value REBUILD)
override JOBS := $(value JOBS)
override CLAIMS := $(value CLAIMS)
override STORY := $(value STORY)
override KEEP_NOTEBOOKS := $(value KEEP_NOTEBOOKS)
override DOWNLOAD := $(value DOWNLOAD)
override FRESH := $(value FRESH)
override LAB_ARGS := $(value LAB_ARGS)
override ARTICLE := $(value ARTICLE)
override PUBLISHED := $(value PUBLISHED)
override URL := $(value URL)
override TITLE := $(value TITLE)
ifneq ($(words $(EDITION)),1)
$(error EDITION must be one edition name, such as EDITION=sample (make editions lists them))
endif
export CO_EDITION := $(EDITION)
export CO_PYTHON := $(PYTHON)
export CO_MIRROR := $(MIRROR)
export CO_OFFLINE := $(OFFLINE)
export CO_FORCE := $(FORCE)
export CO_REBUILD := $(REBUILD)
export CO_JOBS := $(JOBS)
export CO_CLAIMS := $(CLAIMS)
export CO_STORY := $(STORY)
export CO_KEEP := $(KEEP_NOTEBOOKS)
export CO_DOWNLOAD := $(DOWNLOAD)
export CO_FRESH := $(FRESH)
export CO_LAB_ARGS := $(LAB_ARGS)
export CO_ARTICLE := $(ARTICLE)
export CO_PUBLISHED := $(PUBLISHED)
export CO_URL := $(URL)
export CO_TITLE := $(TITLE)

VENV := .venv
PY := $(VENV)/bin/python
CLI := $(PY) -m crimeoutcomes
INSTALLED := $(VENV)/.installed
# the options every step command takes, from the variables above (as environment data, never as shell text)
RUN_ARGS = --edition "$$CO_EDITION" $${CO_MIRROR:+--mirror "$$CO_MIRROR"} $${CO_OFFLINE:+--offline} \
  $${CO_JOBS:+--jobs "$$CO_JOBS"} $${CO_KEEP:+--keep-notebooks} $${CO_CLAIMS:+--registry "$$CO_CLAIMS"} \
  $${CO_STORY:+--spec "$$CO_STORY"} $${CO_REBUILD:+--rebuild}
SOURCE_ARGS = --edition "$$CO_EDITION" $${CO_MIRROR:+--mirror "$$CO_MIRROR"} $${CO_OFFLINE:+--offline}

.PHONY: help venv editions measures fetch steps check-pages lab discover notebooks test unit nbval lint bench \
        lock clean distclean

help: ## List the steps and tools
	@echo "Steps (the step table, src/crimeoutcomes/dag.py; each runs what it needs first and skips what is current):"
	@grep -E '^[a-z][a-z-]+:.*## ' $(MAKE_STEPS) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'
	@echo "Tools:"
	@grep -E '^[a-z][a-z-]+:.*## ' $(firstword $(MAKEFILE_LIST)) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'
	@echo "Variables: EDITION=$$CO_EDITION MIRROR= OFFLINE=1 JOBS= FORCE= REBUILD=1 CLAIMS= STORY= KEEP_NOTEBOOKS=1 FRESH=1 LAB_ARGS="
	@echo "  ARTICLE= PUBLISHED= URL= TITLE= (make read)"
	@echo "(see the top of the Makefile)"

# the step targets (all, data, claims, ...): generated from the step table by `python -m crimeoutcomes steps --write`
MAKE_STEPS := steps.mk
include $(MAKE_STEPS)

venv: $(INSTALLED) ## Create .venv from requirements.lock and register the project's kernel

# The venv runs this checkout's package (an editable install): a project copied or moved with its .venv would run
# (and write to) the other checkout, or find no package at all. Then every target says so and `make venv` makes the
# venv again here.
ifneq ($(wildcard $(INSTALLED)),)
export CO_VENV_CHECKOUT := $(shell $(PY) -c 'import crimeoutcomes.paths as p; print(p.CHECKOUT)' 2>/dev/null)
export CO_CHECKOUT := $(CURDIR)
ifneq ($(CO_VENV_CHECKOUT),$(CURDIR))
ifneq ($(filter venv,$(MAKECMDGOALS)),)
.PHONY: $(INSTALLED)
else
$(INSTALLED): venv-elsewhere
endif
endif
endif

.PHONY: venv-elsewhere
venv-elsewhere:
	@if [ -n "$$CO_VENV_CHECKOUT" ]; then \
	  echo "error: .venv runs the crimeoutcomes package of $$CO_VENV_CHECKOUT, not this checkout ($$CO_CHECKOUT):" \
	    "the project was copied with its .venv; run make venv to make it again here" >&2; \
	else \
	  echo "error: .venv cannot import this checkout's crimeoutcomes package (the project was moved, or .venv is" \
	    "damaged); run make venv to make it again here" >&2; \
	fi; exit 2

$(INSTALLED): requirements.lock
	@"$$CO_PYTHON" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "error: PYTHON=$$CO_PYTHON is not a Python 3.11 or later with venv (try PYTHON=python3);" \
	    ".venv was left as it was" >&2; exit 2; }
	rm -rf $(VENV)
	"$$CO_PYTHON" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(CLI) install-kernel
	touch $(INSTALLED)

editions: $(INSTALLED) ## List the data editions in config/sources.yaml
	$(CLI) editions

measures: data ## What a story can measure: every offence group, subgroup, code and outcome type, with counts
	$(CLI) measures --edition "$$CO_EDITION"

fetch: $(INSTALLED) ## Obtain and sha256-verify the raw files of EDITION (data/raw, then MIRROR, then download)
	$(CLI) fetch $(SOURCE_ARGS)

steps: $(INSTALLED) ## What each step would do now: current, or why it runs
	$(CLI) steps $(SOURCE_ARGS)

check-pages: all ## Open the pages in headless Chromium at 390 and 1,280 px, check them, save screenshots
	.ci/install-chromium
	$(CLI) check-pages --edition "$$CO_EDITION"

lab: all ## JupyterLab on your own copies of the notebooks (my-notebooks/); FRESH=1, LAB_ARGS=--no-browser
	$(CLI) lab --edition "$$CO_EDITION" $${CO_FRESH:+--fresh} --lab-args="$$CO_LAB_ARGS"

discover: $(INSTALLED) ## Ask GOV.UK for the outcomes workbooks and compare (DOWNLOAD=1 fetches new ones)
	$(CLI) discover $${CO_DOWNLOAD:+--download}

notebooks: $(INSTALLED) ## Regenerate the committed notebooks (run in a temporary root; outputs kept, metadata stripped)
	$(CLI) notebooks

test: $(INSTALLED) lint ## Lint, unit and integration tests, then nbval on every committed notebook (temporary root)
	$(PY) -m crimeoutcomes.tools.testing

unit: $(INSTALLED) ## Only the pytest tests
	$(PY) -m crimeoutcomes.tools.testing --unit-only

nbval: $(INSTALLED) ## Only nbval on the committed notebooks
	$(PY) -m crimeoutcomes.tools.testing --nbval-only

lint: $(INSTALLED) ## ruff on the package and the tests; steps.mk and the docs' steps table are current
	$(PY) -m ruff check src tests
	$(CLI) steps --check

bench: $(INSTALLED) ## Speed and memory figures, side by side (generates the full-scale synthetic edition once)
	$(CLI) bench

lock: ## Re-resolve requirements.in into the fully pinned requirements.lock (needs the package index)
	"$$CO_PYTHON" -m venv .venv-tools && .venv-tools/bin/pip install --quiet pip-tools
	.venv-tools/bin/pip-compile --quiet --strip-extras --no-header --output-file requirements.lock requirements.in

clean: ## Remove generated data and reports (keeps raw downloads and the venv)
	find data/processed -mindepth 1 ! -name .gitkeep ! -name README.md -exec rm -rf {} +
	find reports -mindepth 1 ! -name .gitkeep -exec rm -rf {} +

distclean: clean ## Also remove raw downloads and the venv
	find data/raw -mindepth 1 ! -name .gitkeep ! -name README.md -exec rm -rf {} +
	rm -rf $(VENV) .venv-tools
