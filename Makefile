# KHCN: `make demo` to try it, `make test` to run the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
KHCN := $(BIN)/khcn
STAMP := $(VENV)/.installed
# pytest-xdist workers for `make test` (one module stays on one worker: module fixtures load once)
TEST_WORKERS ?= 2
DEBIAN_PACKAGES := chromium chromium-driver gettext libreoffice-writer-nogui poppler-utils

.PHONY: demo test bench lint format run worker install system-packages messages clean

$(STAMP): pyproject.toml package.json
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	npm install --no-audit --no-fund --silent
	touch $(STAMP)

install: $(STAMP) messages

# Debian packages for browser tests and message catalogues, installed only when absent.
system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Cài gói Debian:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# Message catalogues are compiled at install time (msgfmt comes from Debian's gettext).
messages: $(STAMP)
	@command -v msgfmt >/dev/null || $(MAKE) --no-print-directory system-packages DEBIAN_PACKAGES=gettext
	cd khcn && ../$(KHCN) compilemessages --verbosity 0

demo: install
	$(KHCN) migrate --no-input --verbosity 0
	$(KHCN) demo
	@echo "KHCN đang chạy tại http://127.0.0.1:8000  (Ctrl+C để dừng)"
	$(KHCN) serve --bind 127.0.0.1:8000

run: install
	$(KHCN) migrate --no-input --verbosity 0
	$(KHCN) serve --bind 127.0.0.1:8000

worker: install
	$(KHCN) worker

test: system-packages install
	$(BIN)/ruff check khcn tests bench
	$(KHCN) makemigrations --check --dry-run --verbosity 0
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/projects.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/registry.py
	$(BIN)/python bench/procedures.py

lint: install
	$(BIN)/ruff check khcn tests bench
	$(BIN)/ruff format --check khcn tests bench

format: install
	$(BIN)/ruff format khcn tests bench
	$(BIN)/ruff check --fix khcn tests bench

clean:
	rm -rf $(VENV) node_modules var
