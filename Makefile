# Teten — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test e2e test-postgres messages check bench bench-budgets clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Teten needs Python 3.11 or newer"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP) messages

# Translations are compiled with Babel (pure Python), so no system gettext is needed.
messages: $(STAMP)
	$(BIN)/pybabel compile --domain django --directory locale --statistics 2>&1 | tail -n 1

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/ruff check --quiet .
	$(BIN)/ruff format --check --quiet .
	TETEN_ENV=test $(BIN)/python manage.py makemigrations --check --dry-run
	TETEN_ENV=test $(BIN)/python -m pytest -m "not e2e" -n 2 -q

test-postgres: install
	TETEN_ENV=test DATABASE_URL=$${DATABASE_URL:-postgres:///test} $(BIN)/python -m pytest -m "not e2e" -n 2 -q

e2e: install
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser journeys"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }
	TETEN_ENV=test DJANGO_ALLOW_ASYNC_UNSAFE=1 $(BIN)/python -m pytest tests/e2e -m e2e -q -p no:xdist

check: install
	TETEN_ENV=test $(BIN)/python manage.py check
	TETEN_ENV=production SECRET_KEY=check-only-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  TETEN_PSEUDONYM_KEY=check-only ALLOWED_HOSTS=teten.example.dk $(BIN)/python manage.py check --deploy --fail-level WARNING

bench: install
	$(BIN)/python -m bench

# Personal budgets at 50,000 plans: loads its own databases if missing (several minutes each).
bench-budgets: install
	$(BIN)/python -m bench budgets

clean:
	rm -rf $(VENV) var staticfiles test-output
