# Crime-outcomes audit notebooks. `make` (or `make help`) is the map of the steps.
#
# Variables: EDITION (default sample), MIRROR (a folder holding the raw files; default ../shared/outcomes-data),
# OFFLINE=1 (never download), FORCE (for `make report`), JOBS (parallel workers), CLAIMS (your own registry for
# `make claims`), KEEP_NOTEBOOKS=1 (keep executed notebooks), DOWNLOAD=1 (for `make discover`), PYTHON.
# Their values are taken literally and reach commands only as environment data, never as shell or make text.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

EDITION ?= sample
PYTHON ?= python3
MIRROR ?=
OFFLINE ?=
FORCE ?=
JOBS ?=
CLAIMS ?=
KEEP_NOTEBOOKS ?=
DOWNLOAD ?=
override EDITION := $(value EDITION)
override PYTHON := $(value PYTHON)
override MIRROR := $(value MIRROR)
override OFFLINE := $(value OFFLINE)
override FORCE := $(value FORCE)
override JOBS := $(value JOBS)
override CLAIMS := $(value CLAIMS)
override KEEP_NOTEBOOKS := $(value KEEP_NOTEBOOKS)
override DOWNLOAD := $(value DOWNLOAD)
ifneq ($(words $(EDITION)),1)
$(error EDITION must be one edition name, such as EDITION=sample (make editions lists them))
endif
export CO_EDITION := $(EDITION)
export CO_PYTHON := $(PYTHON)
export CO_MIRROR := $(MIRROR)
export CO_OFFLINE := $(OFFLINE)
export CO_FORCE := $(FORCE)
export CO_JOBS := $(JOBS)
export CO_CLAIMS := $(CLAIMS)
export CO_KEEP := $(KEEP_NOTEBOOKS)
export CO_DOWNLOAD := $(DOWNLOAD)

VENV := .venv
PY := $(VENV)/bin/python
CLI := $(PY) -m crimeoutcomes
INSTALLED := $(VENV)/.installed
PKG := src/crimeoutcomes
# what each step reads (the same lists the steps fingerprint, see crimeoutcomes/stamps.py)
CODE_DATA := $(wildcard $(PKG)/data/*.py) $(addprefix $(PKG)/,atomic.py errors.py paths.py procs.py stamps.py yamlfile.py)
CODE := $(CODE_DATA) $(wildcard $(PKG)/analysis/*.py $(PKG)/publish/*.py $(PKG)/steps.py)
REGISTRIES := $(wildcard config/claims/*.yaml)

BUILT := data/processed/$(EDITION)/.stamp.json
AUDITED := reports/$(EDITION)/claims/.stamp.json
SENSITIVITY := reports/$(EDITION)/sensitivity/.stamp.json
REPORTED := reports/$(EDITION)/forces/.stamp.json
PAGES := reports/$(EDITION)/.pages/.stamp.json
INDEX := reports/$(EDITION)/index.html

SOURCE_ARGS = --edition "$$CO_EDITION" $${CO_MIRROR:+--mirror "$$CO_MIRROR"} $${CO_OFFLINE:+--offline}

.PHONY: help all venv editions fetch data claims sensitivity reports report pages site check-pages discover \
        notebooks test unit nbval lint bench lock clean distclean

help: ## List the steps and tools
	@echo "Steps (each a command of the package; EDITION=$$CO_EDITION):"
	@grep -E '^[a-z][a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

all: $(INDEX) ## Main job: data, claims, sensitivity, reports, pages and the index for EDITION (a no-op when current)

venv: $(INSTALLED) ## Create .venv from requirements.lock and register the project's kernel

$(INSTALLED): requirements.lock
	rm -rf $(VENV)
	"$$CO_PYTHON" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(CLI) install-kernel
	touch $(INSTALLED)

editions: $(INSTALLED) ## List the data editions in config/sources.yaml
	$(CLI) editions

fetch: $(INSTALLED) ## Obtain and sha256-verify the raw files of EDITION (data/raw, then MIRROR, then download)
	$(CLI) fetch $(SOURCE_ARGS)

data: $(BUILT) ## Step 1, build: raw files -> data/processed/EDITION/ (tidy Parquet, aggregates, coverage, quality)
$(BUILT): $(INSTALLED) config/sources.yaml $(CODE_DATA)
	$(CLI) build $(SOURCE_ARGS) $${CO_JOBS:+--jobs "$$CO_JOBS"}

ifeq ($(CLAIMS),)
claims: $(AUDITED) ## Step 2, claims audit -> reports/EDITION/claims/ (CLAIMS=my.yaml audits your own registry)
else
claims: $(BUILT)
	$(CLI) claims --edition "$$CO_EDITION" --registry "$$CO_CLAIMS" \
	  --out "reports/$$CO_EDITION/claims-$$(basename -- "$$CO_CLAIMS" .yaml)"
endif
$(AUDITED): $(BUILT) $(REGISTRIES) $(CODE)
	$(CLI) claims --edition "$$CO_EDITION"

sensitivity: $(SENSITIVITY) ## Step 3, sensitivity of the headline rate -> reports/EDITION/sensitivity/
$(SENSITIVITY): $(BUILT) $(CODE)
	$(CLI) sensitivity --edition "$$CO_EDITION"

reports: $(REPORTED) ## Step 4, per-force reports -> reports/EDITION/forces/ (unchanged forces are skipped)
$(REPORTED): $(BUILT) $(CODE) notebooks/03_force_report.ipynb config/caveats.yaml
	$(CLI) reports --edition "$$CO_EDITION" $${CO_JOBS:+--jobs "$$CO_JOBS"} $${CO_KEEP:+--keep-notebooks}

report: $(BUILT) ## One force's report: make report FORCE="Cheshire" (any spelling)
	@if [ -z "$$CO_FORCE" ]; then echo 'usage: make report FORCE="force name"' >&2; exit 2; fi
	$(CLI) reports --edition "$$CO_EDITION" --force "$$CO_FORCE" $${CO_KEEP:+--keep-notebooks}

pages: $(PAGES) ## Step 5, the notebooks run on EDITION -> reports/EDITION/*.html
$(PAGES): $(BUILT) $(AUDITED) $(SENSITIVITY) $(wildcard notebooks/0*.ipynb) $(CODE)
	$(CLI) pages --edition "$$CO_EDITION" $${CO_KEEP:+--keep-notebooks}

site: $(INDEX) ## Step 6, the index page -> reports/EDITION/index.html
$(INDEX): $(BUILT) $(AUDITED) $(SENSITIVITY) $(REPORTED) $(PAGES) $(CODE)
	$(CLI) site --edition "$$CO_EDITION"

check-pages: $(INDEX) ## Optional: open the pages in headless Chromium at 390 and 1,280 px, save screenshots
	.ci/install-chromium
	$(CLI) check-pages --edition "$$CO_EDITION"

discover: $(INSTALLED) ## Ask GOV.UK for the outcomes workbooks and compare (DOWNLOAD=1 fetches new ones)
	$(CLI) discover $${CO_DOWNLOAD:+--download}

notebooks: $(INSTALLED) ## Regenerate the committed notebooks (run in a temporary root; outputs kept, metadata stripped)
	$(CLI) notebooks

test: $(INSTALLED) lint ## Lint, unit and integration tests, then nbval on every committed notebook (temporary root)
	$(PY) -m crimeoutcomes.testing

unit: $(INSTALLED) ## Only the pytest tests
	$(PY) -m crimeoutcomes.testing --unit-only

nbval: $(INSTALLED) ## Only nbval on the committed notebooks
	$(PY) -m crimeoutcomes.testing --nbval-only

lint: $(INSTALLED) ## ruff on the package and the tests
	$(PY) -m ruff check src tests

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
