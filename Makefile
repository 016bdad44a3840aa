# Qingying — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TS := $(wildcard resources/translations/*.ts)
QM := $(TS:.ts=.qm)
PLATFORM_DIR := .platform
DEMO_CONFIG := $(PLATFORM_DIR)/demo-config.toml

# Headless rendering everywhere the tests run (see README, "Headless").
export MESA_SHADER_CACHE_DISABLE := true

.PHONY: help setup system-packages oidc-provider demo test lint format package platform-up platform-down \
        platform-status bench translations screenshot clean

help:
	@echo "make demo           set up, start the demo platform, open Qingying on it"
	@echo "make test           set up, then lint and the whole test suite"
	@echo "make setup          system packages (Debian, as root) + .venv + translations"
	@echo "make platform-up    start the local demo platform (Orthanc x2) and seed it"
	@echo "make platform-down  stop it"
	@echo "make bench          run the benchmarks in bench/"
	@echo "make package        the PyInstaller bundle and the Debian package (build/package)"
	@echo "make lint           ruff, ruff format --check, mypy, import-linter"

OIDC_DIR := scripts/oidc-provider
OIDC_STAMP := $(OIDC_DIR)/node_modules/.installed

setup: system-packages $(STAMP) $(QM) $(OIDC_STAMP)

# The demo and test platform's OpenID provider (oidc-provider on Node), from its lock file.
oidc-provider: $(OIDC_STAMP)

$(OIDC_STAMP): $(OIDC_DIR)/package.json $(OIDC_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing (Debian: apt install nodejs npm)" >&2; exit 1; }
	cd $(OIDC_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

system-packages:
	@bash scripts/install-system-packages.sh

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "Qingying needs Python 3.11 (found $$($(PYTHON) --version)); set PYTHON=..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt -c constraints.txt
	@touch $@

resources/translations/%.qm: resources/translations/%.ts $(STAMP)
	@$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate widgets/*.py -ts $(TS) -no-obsolete

platform-up: setup
	$(PY) -m viewer.demo up --dir $(PLATFORM_DIR)

platform-down:
	@if [ -x $(PY) ]; then $(PY) -m viewer.demo down --dir $(PLATFORM_DIR); fi

platform-status: $(STAMP)
	$(PY) -m viewer.demo status --dir $(PLATFORM_DIR)

demo: platform-up
	@bash scripts/open-app.sh $(PY) $(PLATFORM_DIR) main.py --config $(DEMO_CONFIG)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: setup lint
	@bash scripts/run-tests.sh $(PY)

PACKAGE_DIR ?= build/package
# The one-folder bundle (PyInstaller) and the Debian package built from it.
package: setup
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath $(PACKAGE_DIR)/dist \
	  --workpath $(PACKAGE_DIR)/work packaging/qingying.spec
	$(PY) -m pip freeze --exclude-editable > $(PACKAGE_DIR)/dist/qingying/VERSIONS.txt
	@bash scripts/build-deb.sh $(PACKAGE_DIR)/dist/qingying $(PACKAGE_DIR)

bench: setup
	$(PY) bench/run.py

screenshot: setup
	@bash scripts/screenshot.sh $(PY) docs/main-window.png main.py --config $(DEMO_CONFIG)

clean: platform-down
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache $(QM)
