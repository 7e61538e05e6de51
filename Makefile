SHELL := /bin/bash
# ftnotebook: two commands matter, `make demo` and `make test` (see README.md).
# Both build everything they need from a clean clone: the project virtualenv (.venv),
# freqtrade's own virtualenv (.venv-bot) and, for the browser tests, Debian's chromium.

PYTHON ?= python3
VENV := .venv
BOT_VENV := .venv-bot
FREQTRADE_VERSION := 2026.9
# freqtrade's hyperopt extra (optuna: /hyperoptloss lists the loss functions) and datasieve
# (/freqaimodels lists the FreqAI models instead of failing with a 500): the webserver
# tests check those routes' real answers.
BOT_PACKAGES := 'freqtrade[hyperopt]==$(FREQTRADE_VERSION)' datasieve
BOT_STAMP := $(BOT_VENV)/.installed-hyperopt-freqai
PIP_QUIET := --quiet --disable-pip-version-check
PYTEST_ARGS ?=

.PHONY: demo test setup dev-venv demo-venv bot-venv chromium lint typecheck pytest bench docs docs-serve clean

# The demo needs only the library, JupyterLab and freqtrade (the `demo` extra), not the
# dev toolchain; a .venv that already has the dev extra is used as it is.
demo: demo-venv bot-venv
	$(VENV)/bin/python -m ftnotebook.demo

test: setup chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	FTNOTEBOOK_REQUIRE_BOT=1 FTNOTEBOOK_REQUIRE_BROWSER=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

setup: dev-venv bot-venv

dev-venv: $(VENV)/.installed
demo-venv: $(VENV)/.demo-installed
bot-venv: $(BOT_STAMP)

$(VENV)/.installed: pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install $(PIP_QUIET) --upgrade pip 2>&1 | grep -v "is ignored" || true
	$(VENV)/bin/python -m pip install $(PIP_QUIET) -e '.[dev,docs]' 2>&1 | grep -v "is ignored"; test $${PIPESTATUS[0]} -eq 0
	touch $@

$(VENV)/.demo-installed: pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@if [ -f $(VENV)/.installed ] && [ $(VENV)/.installed -nt pyproject.toml ]; then \
	  echo "$(VENV) has the dev extra: nothing more to install for the demo"; \
	else \
	  $(VENV)/bin/python -m pip install $(PIP_QUIET) -e '.[demo]' 2>&1 | grep -v "is ignored"; \
	  test $${PIPESTATUS[0]} -eq 0; \
	fi
	touch $@

# freqtrade lives in its own virtualenv so its pins never constrain ours.
$(BOT_STAMP):
	test -x $(BOT_VENV)/bin/python || $(PYTHON) -m venv $(BOT_VENV)
	$(BOT_VENV)/bin/python -m pip install $(PIP_QUIET) --upgrade pip 2>&1 | grep -v "is ignored" || true
	$(BOT_VENV)/bin/python -m pip install $(PIP_QUIET) $(BOT_PACKAGES) 2>&1 | grep -v "is ignored"; test $${PIPESTATUS[0]} -eq 0
	touch $@

# Debian's chromium for the Playwright browser tests (no browser download needed).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium >/dev/null; }

lint: dev-venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: dev-venv
	$(VENV)/bin/mypy

pytest: setup
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: setup
	$(VENV)/bin/python bench/run_all.py

# The documentation site (mkdocs-material), built into site/ against a real bot: the
# running bot of $$FTNOTEBOOK_URL if set, else the offline demo bots, started for the build.
docs: setup
	$(VENV)/bin/python docs/_scripts/sitebuild.py build

# Build, then serve site/ on 127.0.0.1 (DOCS_PORT, default 8000); prints the URL.
docs-serve: setup
	$(VENV)/bin/python docs/_scripts/sitebuild.py serve

clean:
	rm -rf $(VENV) $(BOT_VENV) .demo .bench .docs-demo site .mypy_cache .ruff_cache .pytest_cache
