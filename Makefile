# Tongxin 同心 — the two commands: `make serve` (demo console on SQLite) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= var/demo.sqlite3
HOST ?= 127.0.0.1
PORT ?= 8000
export TONGXIN_DATABASE_URL ?= sqlite://$(CURDIR)/$(DEMO_DB)

.PHONY: serve test install migrate seed schema bench bench-side clean

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

# Sets everything up and runs the whole suite on SQLite and PostgreSQL (127.0.0.1:5432, database test).
test: install
	$(BIN)/python -m pytest -q

schema: install
	$(BIN)/python -m api export-schema

bench: install
	$(BIN)/python bench/compounds.py

# Tongxin, PostGraphile 5 and the one-statement limit side by side (bench/side_by_side.py; needs wrk and npm).
bench-side: install
	$(BIN)/python bench/side_by_side.py

clean:
	rm -rf $(VENV) var .pytest_cache
