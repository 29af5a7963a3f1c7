# Ontzorg: `make run` to try it, `make test` to test it. Needs Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
# `make run PORT=8080` when 8000 is taken.
PORT ?= 8000

.PHONY: install system-packages messages run worker test test-fast browser lint format bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Ontzorg needs Python 3.11 or newer")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP) system-packages

# msgfmt, Noto fonts for the letters, pango for WeasyPrint, pdftotext for tests (apt-get as root).
system-packages:
	@scripts/ensure-system-packages

# Compiles every app's locale/ folder under src/ (not .venv); .mo files are build output.
messages: install
	cd src && ../$(PY) ../manage.py compilemessages --verbosity 0

run: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py demo_statements
	$(PY) manage.py demo_logins --port $(PORT)
	$(PY) manage.py db_worker --queue-name '*' > var/worker.log 2>&1 & echo $$! > var/worker.pid
	trap 'kill $$(cat var/worker.pid) 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: install messages
	$(PY) manage.py db_worker --queue-name '*'

browser:
	@scripts/ensure-chromium

test: install messages browser
	$(PY) -m pytest

test-fast: install messages
	$(PY) -m pytest -m "not browser"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	for b in bench/*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
