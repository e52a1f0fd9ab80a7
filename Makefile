# Crime-outcomes audit notebooks. `make` lists the targets.
# Variables: EDITION (default: sample), MIRROR (local mirror folder; default ../shared/outcomes-data when it
# exists), OFFLINE=1 (never download), FORCE (for `make report`), PYTHON (interpreter that creates the venv).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
KERNEL := crime-outcomes
EDITION ?= sample
MIRROR ?=
OFFLINE ?=
FORCE ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SRC := $(shell find src -name '*.py' 2>/dev/null)

CLI := $(PY) -m crimeoutcomes
DATA_ARGS := --edition $(EDITION) $(if $(MIRROR),--mirror $(MIRROR)) $(if $(OFFLINE),--offline)

.DEFAULT_GOAL := help
.PHONY: help all venv fetch data notebooks run reports report test unit nbval bench lock clean distclean editions

help: ## List the targets
	@echo "Targets (variables: EDITION=$(EDITION), MIRROR=<folder>, OFFLINE=1, FORCE=<name>):"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-11s %s\n", $$1, $$2}'

all: data run reports ## Main job: raw → processed → notebooks, claims audit and force reports for EDITION

venv: $(STAMP) ## Create .venv from requirements.lock (again when the lock changes) and register the kernel

$(STAMP): requirements.lock pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python ($(KERNEL))"
	touch $(STAMP)

editions: venv ## List the data editions in config/sources.yaml
	$(CLI) editions

fetch: venv ## Obtain and sha256-verify the raw files of EDITION (data/raw → MIRROR → download)
	$(CLI) fetch $(DATA_ARGS)

data: venv ## Raw → processed: data/processed/EDITION/ (tidy Parquet, aggregate, coverage, quality)
	$(CLI) build $(DATA_ARGS)

run: data ## Run the notebooks on EDITION with papermill into reports/EDITION/ (ipynb + HTML)
	$(CLI) notebook --edition $(EDITION)

reports: data ## Render the per-force HTML reports and the index for EDITION (in parallel, skipping unchanged)
	$(CLI) reports --edition $(EDITION) --jobs $(JOBS)

report: data ## Render one force's report: make report FORCE=Cheshire
	@test -n "$(FORCE)" || { echo "usage: make report FORCE=<force name>"; exit 2; }
	$(CLI) reports --edition $(EDITION) --force "$(FORCE)"

notebooks: venv ## Regenerate the committed notebooks (outputs on the default edition, volatile metadata stripped)
	$(CLI) build --edition sample $(if $(MIRROR),--mirror $(MIRROR)) $(if $(OFFLINE),--offline)
	$(CLI) notebook --commit

test: venv ## Unit and integration tests, then nbval over every committed notebook
	$(CLI) build --edition sample $(if $(MIRROR),--mirror $(MIRROR)) --offline
	$(PY) -m pytest tests
	$(PY) -m pytest --nbval --nbval-kernel-name $(KERNEL) --nbval-cell-timeout 600 -p no:cacheprovider notebooks

bench: venv ## Print speed and memory figures (sample edition, a generated 40 MB workbook, reports)
	$(CLI) bench

lock: ## Re-resolve requirements.in into the fully pinned requirements.lock (needs the package index)
	$(PYTHON) -m venv .venv-tools && .venv-tools/bin/pip install --quiet pip-tools
	.venv-tools/bin/pip-compile --quiet --strip-extras --no-header --output-file requirements.lock requirements.in

clean: ## Remove generated data and reports (keeps raw downloads and the venv)
	find data/processed -mindepth 1 ! -name .gitkeep ! -name README.md -exec rm -rf {} +
	find reports -mindepth 1 ! -name .gitkeep -exec rm -rf {} +

distclean: clean ## Also remove raw downloads and the venv
	find data/raw -mindepth 1 ! -name .gitkeep ! -name README.md -exec rm -rf {} +
	rm -rf $(VENV) .venv-tools
