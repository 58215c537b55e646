# Terreno: `make demo` runs the system with demo data (and a mail sink that shows the quote
# e-mails the server sends), `make test` runs the tests.
# Both start from nothing: they create .venv and install the pinned dependencies.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
DEMO_DIR := .demo
DEMO_EXPORT := $(DEMO_DIR)/export
SERVER_PORT ?= 8470
APP_PORT ?= 8550
SINK_SMTP_PORT ?= 8025
SINK_WEB_PORT ?= 8026

.PHONY: demo test lint deps system-deps bench bench-import bench-sync bench-quote bench-app clean translations

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

deps: $(STAMP)

# Chromium (browser tests), poppler (PDF pages), PostgreSQL: from the OS packages.
system-deps:
	@bash scripts/system-deps.sh

$(DEMO_EXPORT)/users.csv: | $(STAMP)
	$(BIN)/terreno-server demo-data --scale 1 --out $(DEMO_EXPORT)

demo: $(STAMP) $(DEMO_EXPORT)/users.csv
	@TERRENO_DATA_DIR=$(DEMO_DIR)/server $(BIN)/terreno-server import $(DEMO_EXPORT)
	@bash scripts/demo.sh $(BIN) $(DEMO_DIR) $(SERVER_PORT) $(APP_PORT) $(SINK_SMTP_PORT) $(SINK_WEB_PORT)

# The checks first: style, types, the layers (pyproject.toml), then the tests on every core
# (the browser tests in two groups, each group's tests one after another: --dist loadgroup).
# Bytecode is written even where the environment says not to: every worker and every server
# process a test starts would otherwise compile the project (and rewrite the tests) again.
test: lint system-deps
	@. scripts/postgres-env.sh && PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: bench-import bench-sync bench-quote bench-app

bench-import: $(STAMP) system-deps
	@. scripts/postgres-env.sh && $(BIN)/python -m bench.import_bench

# BENCH_QUICK=1 for a smoke run; sizes: see bench/sync_bench.py.
bench-sync: $(STAMP) system-deps
	@. scripts/postgres-env.sh && $(BIN)/python -m bench.sync_bench

# BENCH_QUICK=1 builds 8,000 products instead of 80,000.
bench-quote: $(STAMP)
	@$(BIN)/python -m bench.quote_bench

# The manager's dashboard of a 50-seller team at scale 10, SQLite and PostgreSQL (BENCH_QUICK=1: scale 1, SQLite).
.PHONY: bench-metrics
bench-metrics: $(STAMP) system-deps
	@. scripts/postgres-env.sh && PYTHONPATH=. $(BIN)/python -m bench.metrics_bench

# The app in headless Chromium on a device with 5,000 customers and no signal.
bench-app: $(STAMP) system-deps
	@$(BIN)/python -m bench.app_bench

clean:
	rm -rf $(VENV) $(DEMO_DIR) bench/results test-artifacts

# The gettext catalogs (locale/): extract every message key from the code, add new ones to
# each language's catalog (untranslated until someone writes the words), compile them.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --omit-header --sort-output --width=100 -o locale/terreno.pot .
	$(BIN)/pybabel update -i locale/terreno.pot -d locale -D terreno --no-fuzzy-matching --ignore-obsolete --width=100
	$(BIN)/pybabel compile -d locale -D terreno --statistics
