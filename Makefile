# Tongxin 同心 — the two commands: `make serve` (demo console on SQLite) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= var/demo.sqlite3
HOST ?= 127.0.0.1
PORT ?= 8000
export TONGXIN_DATABASE_URL ?= sqlite://$(CURDIR)/$(DEMO_DB)

.PHONY: serve test install migrate seed schema bench bench-side clean services services-stop serve-pg

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

migrate: install
	$(BIN)/python -m api migrate

seed: migrate
	$(BIN)/python -m api seed-demo

# Sets everything up on a fresh machine and serves the console (GraphiQL) at http://$(HOST):$(PORT)/graphql
serve: seed
	$(BIN)/python -m api serve --host $(HOST) --port $(PORT)

# Sets everything up and runs the whole suite on SQLite and PostgreSQL (127.0.0.1:5432, database test). When no
# PostgreSQL/Redis answers there, tools/services.py starts its own pair inside var/services/ (OS packages).
test: install
	@eval "$$($(PYTHON) tools/services.py ensure-test)"; $(BIN)/python -m pytest -q

schema: install
	$(BIN)/python -m api export-schema

bench: install
	$(BIN)/python bench/compounds.py

# Tongxin, PostGraphile 5 and the one-statement limit side by side (bench/side_by_side.py; needs wrk and npm).
bench-side: install
	$(BIN)/python bench/side_by_side.py

clean:
	rm -rf $(VENV) var .pytest_cache

# A development PostgreSQL and Redis from the OS packages, inside var/services/ on free loopback ports.
services:
	@$(PYTHON) tools/services.py start

services-stop:
	@$(PYTHON) tools/services.py stop

# The service on the `make services` PostgreSQL with two workers and Redis fan-out for subscriptions.
serve-pg: install
	@eval "$$($(PYTHON) tools/services.py start | sed 's/^/export /')"; \
	export TONGXIN_DATABASE_URL="$$TONGXIN_DATABASE_URL_PG"; \
	$(BIN)/python -m api migrate && $(BIN)/python -m api seed-demo && \
	$(BIN)/python -m api serve --host $(HOST) --port $(PORT) --workers 2
