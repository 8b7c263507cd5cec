# Quick start: `make site`, then `make test`. Everything a fresh Debian/Ubuntu machine needs is installed here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATA ?= data
SITE_DIR ?= site
# Graphviz for flow charts, Noto CJK for Chinese glyphs, Chromium for browser tests,
# poppler and zbar to check the wall boards (pdfinfo, pdffonts, pdftotext, pdftoppm, zbarimg).
APT_PACKAGES := graphviz fonts-noto-cjk chromium poppler-utils zbar-tools
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup system check site serve posters handbook progress test bench schema templates clean

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
	$(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

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

bench: setup
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) $(SITE_DIR) .pytest_cache build schemas templates
