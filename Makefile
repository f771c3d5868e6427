# Tsunagu: two commands for a fresh machine with Python 3.11+ and make.
#   make run   — set up .venv, upgrade the schema, load demo data, serve http://127.0.0.1:5000
#   make test  — set up .venv with the test extras and run the whole suite (SQLite by default;
#                TEST_DATABASE_URL=postgresql://… runs it on PostgreSQL)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MO := booking/translations/en/LC_MESSAGES/messages.mo
export FLASK_APP := wsgi

.PHONY: run test lint format translations compile-translations clean browser-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

$(MO): $(STAMP) booking/translations/en/LC_MESSAGES/messages.po
	$(BIN)/pybabel -q compile -d booking/translations

run: $(STAMP) $(MO)
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load
	SCHEDULER_ENABLED=$${SCHEDULER_ENABLED:-1} MAIL_BACKEND=$${MAIL_BACKEND:-console} \
		$(BIN)/flask run --host 127.0.0.1 --port 5000

test: $(STAMP) $(MO)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extract new strings and merge them into the English catalogue (then translate them).
translations: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location \
		--sort-output -o booking/translations/messages.pot .
	$(BIN)/pybabel -q update -i booking/translations/messages.pot -d booking/translations \
		--no-fuzzy-matching --width 100

compile-translations: $(MO)

clean:
	rm -rf $(VENV) .pytest_cache

# axe-core for the browser tests (npm; the browser itself is Debian's chromium).
browser-deps: tests/browser/node_modules/axe-core/axe.min.js

tests/browser/node_modules/axe-core/axe.min.js: tests/browser/package.json
	npm install --prefix tests/browser --no-audit --no-fund --silent
	touch $@
