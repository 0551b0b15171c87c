# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo serve lint browser-test clean

# The checkout's settings (git-ignored): a generated secret key and DEBUG on; settings.py reads .env.
.env:
	@umask 077 && printf 'DJANGO_SECRET_KEY=%s\nDJANGO_DEBUG=1\n' "$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
	@echo "已生成 .env（随机的 DJANGO_SECRET_KEY，DJANGO_DEBUG=1），仅供本机试用。"

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install .env
	$(PY) manage.py migrate --noinput && $(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py load_demo

serve: .env
	$(PY) manage.py runserver 127.0.0.1:8000

run: demo serve

test: install
	$(PY) manage.py compilemessages -v 0 --ignore=.venv 2>/dev/null || true
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .env db.sqlite3 media media-test staticfiles
