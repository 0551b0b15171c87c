# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo serve lint browser-test clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput && DJANGO_DEBUG=1 $(PY) manage.py createcachetable

demo: migrate
	DJANGO_DEBUG=1 $(PY) manage.py load_demo

serve:
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

run: demo serve

test: install
	$(PY) manage.py compilemessages -v 0 --ignore=.venv 2>/dev/null || true
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 media media-test staticfiles
