# Generated from src/crimeoutcomes/dag.py by `python -m crimeoutcomes steps --write`: do not edit.
# Every step target asks the package to run the step; the package runs what it needs first and skips
# whatever is current (its stamp and its files), so make itself tracks no dependencies.

.PHONY: all data claims sensitivity stories reports read pages site
all: $(INSTALLED) ## Main job: every step below for EDITION but those run when asked (only what changed runs)
	$(CLI) run all $(RUN_ARGS)
data: $(INSTALLED) ## Step build: raw files -> tidy Parquet, aggregates, coverage and quality tables -> data/processed/EDITION/
	$(CLI) run build $(RUN_ARGS)
claims: $(INSTALLED) ## Step claims (after build): audit every registered claim -> verdicts, the raw rows behind each -> reports/EDITION/claims/
	$(CLI) run claims $(RUN_ARGS)
sensitivity: $(INSTALLED) ## Step sensitivity (after build): the headline rate under other choices of method -> reports/EDITION/sensitivity/
	$(CLI) run sensitivity $(RUN_ARGS)
stories: $(INSTALLED) ## Step stories (after build): localised stories for any measure: a version for every police force, every printed figure audited -> reports/EDITION/stories/
	$(CLI) run stories $(RUN_ARGS)
reports: $(INSTALLED) ## Step reports (after build, stories): one report per police force: figures, story, charts with their data, notes -> reports/EDITION/forces/
	$(CLI) run reports $(RUN_ARGS)
read: $(INSTALLED) ## Step read (after build), when asked: an article's every figure read into the claim form and audited -> claims.yaml, unread figures, the audit (make read ARTICLE=... PUBLISHED=...)
	@if [ -z "$$CO_ARTICLE" ] || [ -z "$$CO_PUBLISHED" ]; then echo 'usage: make read ARTICLE=... PUBLISHED=...' >&2; exit 2; fi
	$(CLI) read $(SOURCE_ARGS) "$$CO_ARTICLE" --published "$$CO_PUBLISHED" $${CO_URL:+--url "$$CO_URL"} $${CO_TITLE:+--title "$$CO_TITLE"}
pages: $(INSTALLED) ## Step pages (after build, claims, sensitivity): the notebooks run on the edition -> pages -> reports/EDITION/
	$(CLI) run pages $(RUN_ARGS)
site: $(INSTALLED) ## Step site (after build): the index page, the methods page and the data tables the pages cite -> reports/EDITION/
	$(CLI) run site $(RUN_ARGS)
.PHONY: story
story: $(INSTALLED) ## One force's stories: make story FORCE="Kent" [STORY=path/to/yours.yaml]
	@if [ -z "$$CO_FORCE" ]; then echo 'usage: make story FORCE="force name" [STORY=spec.yaml]' >&2; exit 2; fi
	$(CLI) stories $(RUN_ARGS) --force "$$CO_FORCE"
.PHONY: report
report: $(INSTALLED) ## One force's report: make report FORCE="Cheshire" (any spelling)
	@if [ -z "$$CO_FORCE" ]; then echo 'usage: make report FORCE="force name"' >&2; exit 2; fi
	$(CLI) reports $(RUN_ARGS) --force "$$CO_FORCE"
