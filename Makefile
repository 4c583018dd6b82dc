# Two commands for a new machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal
INSTALLED := $(VENV)/.installed
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard portal/translations/*/LC_MESSAGES/*.po))

.PHONY: run test bench translations extract-messages clean legacy-units mutation

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

%.mo: %.po $(INSTALLED)
	$(BIN)/pybabel compile --use-fuzzy --input-file $< --output-file $@

translations: $(CATALOGUES)

## Migrate the SQLite file in instance/, load the official units and demo accounts, serve on :5000
## with the queue's worker beside it (Ctrl+C stops both).
run: $(INSTALLED) translations
	$(FLASK) db upgrade
	$(FLASK) units load
	$(FLASK) demo load
	@echo "Serving on http://127.0.0.1:5000 with the worker (Ctrl+C stops both)"
	@$(FLASK) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

## The whole suite on SQLite, then again on PostgreSQL when TEST_DATABASE_URL names one.
test: $(INSTALLED) translations
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== The same suite on PostgreSQL ($$TEST_DATABASE_URL)"; \
		$(BIN)/python -m pytest --ignore=tests/e2e; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true but TEST_DATABASE_URL is not set: the PostgreSQL run is required" >&2; exit 1; \
	else \
		echo "Note: PostgreSQL run not done; set TEST_DATABASE_URL=postgresql://... (README) or run .ci/run"; \
	fi

## Refresh the message catalogues after changing user-facing strings.
extract-messages: $(INSTALLED)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) portal/translations/*/LC_MESSAGES/*.mo

## Benchmarks (ratios to baselines measured in the same run).
bench: $(INSTALLED)
	$(BIN)/python bench/contacts.py
	$(BIN)/python bench/training.py
	$(BIN)/python bench/feeds.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/notices.py
	$(BIN)/python bench/public.py
	$(BIN)/python bench/integrations.py
	$(BIN)/python bench/two_hosts.py

## Rewrite portal/units/data/legacy_2025.json from vietnam-provinces 2026.x's conversion tables (needs Python >= 3.12;
## the portal itself stays on 3.11). The output is committed; review its diff.
LEGACY_PYTHON ?= python3.13
LEGACY_RELEASE := 2026.9.0
legacy-units: $(INSTALLED)
	rm -rf build/legacy-venv && $(LEGACY_PYTHON) -m venv build/legacy-venv
	build/legacy-venv/bin/python -m pip install --quiet vietnam-provinces==$(LEGACY_RELEASE)
	build/legacy-venv/bin/python tools/build_legacy_units.py \
		--pinned "$$($(BIN)/python -c 'import vietnam_provinces as v; print(v.FLAT_DIVISIONS_JSON_PATH)')" \
		--pinned-version "$$($(BIN)/python -c 'import vietnam_provinces as v; print(v.__version__)')"
	rm -rf build/legacy-venv

## Mutation testing of the access rules, service-level clocks and Vietnamese sorting ([tool.mutmut] in
## pyproject.toml); ends with the list of surviving mutants (docs/mutation.md says why each may survive).
mutation: $(INSTALLED) translations
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results
