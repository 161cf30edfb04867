# HVSelect. `make run` serves the site on http://127.0.0.1:$(PORT); `make test` runs every test.
# Both create the virtualenv and install the pinned requirements when needed. Without
# DATABASE_URL they use an embedded PostgreSQL kept in .pgdata/.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

WEB_CONCURRENCY ?= 2

.PHONY: messages run serve stop cluster test lint format migrations-check check-deploy backup restore loadtest benchmark-rvtools benchmark-pdf benchmark-what-if install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

install: $(VENV)/.runtime-installed

install-dev: $(VENV)/.dev-installed

# French interface: compile locale/*/LC_MESSAGES/django.po (needs gettext's msgfmt; without
# it, the committed .mo files serve).
messages: export DJANGO_DEBUG ?= 1
messages: install
	@if command -v msgfmt >/dev/null; then \
		$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=loadtest -v0; \
	else echo "msgfmt (gettext) not found: using the committed translations"; fi

# Development values for every command the README shows, written once (git-ignored); the
# settings read it, and a variable set in the environment wins.
.env:
	@printf '%s\n' \
		'# Written by `make run`: development values (git-ignored). The environment wins.' \
		'DJANGO_DEBUG=1' > $@
	@echo "Wrote .env with development values (DJANGO_DEBUG=1)."

run: .env install messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production server: gunicorn with the production settings. Needs DJANGO_SECRET_KEY,
# DJANGO_ALLOWED_HOSTS and DATABASE_URL (see .env.example); serves static files itself.
serve: export DJANGO_DEBUG = 0
serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py clearsessions
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/gunicorn hvselect.wsgi --bind 127.0.0.1:$(PORT) --workers $(WEB_CONCURRENCY)

# Stop the embedded PostgreSQL (.pgdata/): it stops with the last process using it, but not
# when that process was killed.
stop: install
	$(BIN)/python -m hvselect.embedded_db

# Django's deployment checklist against production settings, with throwaway values.
check-deploy: install
	DJANGO_DEBUG=0 \
	DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	DJANGO_ALLOWED_HOSTS=hvselect.example.com \
	DATABASE_URL=postgres://hvselect@db.example.com:5432/hvselect \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

$(VENV)/.loadtest-installed: requirements-loadtest.txt requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-loadtest.txt
	touch $(VENV)/.runtime-installed $(VENV)/.dev-installed $@

# Load test on loopback, bounded in time: gunicorn, then Debian's wrk on each public page (its
# throughput as a ratio to the baseline's, pass/fail) and Locust for the questionnaire journey;
# report in loadtest/results/report.md.
loadtest: $(VENV)/.loadtest-installed
	loadtest/run.sh

# Reading an RVTools export of 1,000 hosts and 10,000 VMs: time and peak memory.
benchmark-rvtools: install-dev
	$(BIN)/python loadtest/rvtools_benchmark.py

# The PDF download: first render (WeasyPrint) and from the cache, on a throwaway database.
benchmark-pdf: export DJANGO_DEBUG ?= 1
benchmark-pdf: install-dev
	$(BIN)/python loadtest/pdf_benchmark.py

# Two gunicorn servers on loopback (8101, 8102) behind HAProxy (8100, round-robin), with
# production settings and this machine's DATABASE_URL (and REDIS_URL if set); Ctrl-C stops.
cluster: install
	$(BIN)/python loadtest/cluster.py

# The what-if panel's response (16 and 100 products) and the robustness at save time.
benchmark-what-if: export DJANGO_DEBUG ?= 1
benchmark-what-if: install-dev
	$(BIN)/python loadtest/what_if_benchmark.py

# Whole-database backup to backups/ (or BACKUP=file), and its restore (BACKUP=file).
backup: install
	$(BIN)/python manage.py backup $(if $(BACKUP),--output $(BACKUP))

restore: install
	@test -n "$(BACKUP)" || (echo "Usage: make restore BACKUP=backups/hvselect-....dump" && false)
	$(BIN)/python manage.py restore $(BACKUP)

test: install-dev messages
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: export DJANGO_DEBUG ?= 1
migrations-check: install-dev
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
