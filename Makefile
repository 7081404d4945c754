# Two commands do everything: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# One stamp per set: a change of either requirements file reinstalls what depends on it.
RUN_STAMP := $(VENV)/.installed-run-$(shell cat requirements.txt | md5sum | cut -c1-8)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat requirements.txt requirements-dev.txt | md5sum | cut -c1-8)
PORT ?= 8000
BENCH_SCALE ?= national
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/crmr
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# The suite runs in random order (pytest-randomly prints "Using --randomly-seed=N"); replay one with
# make test PYTEST_ARGS="-n 2 --dist loadfile --randomly-seed=N" (README.md, "make test").
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: run test quality bench install install-dev services browser antivirus clean audit rules

# `make run` installs the runtime set only (what the production image has: it proves that set is enough);
# test, quality, bench and audit install the development set, which includes it.
$(RUN_STAMP): requirements.txt
	@echo "==> Environnement Python $(VENV) (création si besoin)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "==> Installation des dépendances d'exécution (requirements.txt) : une à deux minutes la première fois"
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-run-*
	touch $(RUN_STAMP)

$(DEV_STAMP): requirements.txt requirements-dev.txt
	@echo "==> Environnement Python $(VENV) (création si besoin)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "==> Installation des dépendances de test (requirements-dev.txt) : quelques minutes la première fois"
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-run-* $(VENV)/.installed-dev-*
	touch $(RUN_STAMP) $(DEV_STAMP)

install: $(RUN_STAMP)

install-dev: $(DEV_STAMP)

## make run: embedded SQLite, tasks in-process unless REDIS_URL is set; http://127.0.0.1:8000 (PORT=8001 make run)
run: install
	@echo "==> Base de données : migrations"
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	@echo "==> Données de référence (régions, quotas de l'annexe 2, CHU, filières)"
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_reference_data
	@echo "==> Réseau et comptes de démonstration (mot de passe : demo)"
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	@echo "==> Application sur http://127.0.0.1:$(PORT)/ (Ctrl+C pour arrêter)"
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:$(PORT)

services:
	@bash .ci/ensure-services

browser:
	@bash .ci/ensure-browser

## ClamAV's daemon on a test signature database (EICAR); tests/conftest.py reuses it
antivirus:
	@bash .ci/ensure-clamd >/dev/null

## make test: the whole suite on PostgreSQL + Redis, with a real Celery worker, headless Chromium and clamd
test: install-dev services browser antivirus
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest $(PYTEST_ARGS)
	$(MAKE) --no-print-directory audit

## make audit: known vulnerabilities in the pinned requirements, runtime and development (pip-audit against
## PyPI's advisory data)
audit: install-dev
	$(VENV)/bin/pip-audit -r requirements.txt -r requirements-dev.txt --progress-spinner off 2>&1 \
		| grep -v "could not be audited"; test $${PIPESTATUS[0]} -eq 0

## make rules: coverage of the rules catalogue (core/rules.yaml) by @pytest.mark.rule tests; no database needed
rules: install
	$(PY) -m core.rules

quality: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

bench: install-dev services
	command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || { echo "wrk manquant : apt-get install wrk"; exit 1; }
	BENCH_DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/crmr_bench} \
		DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/crmr_bench} REDIS_URL=$(TEST_REDIS_URL) \
		BENCH_SCALE=$(BENCH_SCALE) $(PY) -m bench

clean:
	rm -rf $(VENV) var staticfiles
