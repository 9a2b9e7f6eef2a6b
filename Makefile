# Two commands do all the set-up: `make demo` runs the product, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# The Vue apps (frontend/): rebuilt when their sources or the lock file change.
FRONTEND_SOURCES := $(shell find frontend -path frontend/node_modules -prune -o -path frontend/dist -prune -o -type f -print)
NPM_STAMP := frontend/node_modules/.installed
BUILD_STAMP := frontend/dist/.built

.PHONY: install setup frontend browser demo serve test lint format bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

$(NPM_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(BUILD_STAMP): $(NPM_STAMP) $(FRONTEND_SOURCES)
	cd frontend && npm run --silent build
	touch $@

frontend: $(BUILD_STAMP)

# Browser tests drive Debian's Chromium (Playwright's own browser download does not work here);
# the CJK fonts make the screenshots legible.
browser:
	@command -v chromium >/dev/null && dpkg -s fonts-noto-cjk >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

setup: install frontend
	$(BIN)/lianbang migrate --noinput
	$(BIN)/lianbang collectstatic --noinput --verbosity 0

demo: setup
	$(BIN)/lianbang generate --if-empty
	$(BIN)/lianbang evaluate --all
	$(BIN)/lianbang demo_cases
	$(BIN)/lianbang demo_employment
	$(BIN)/lianbang demo_care
	$(BIN)/lianbang dashboards refresh
	@echo ""
	@echo "链帮 Lianbang: http://$(HOST):$(PORT)/"
	@echo "  log in as district / street1 / community1 / area1 / branch1 / grid0001 ..."
	@echo "  password: $${LIANBANG_DEMO_PASSWORD:-Lianbang@2026}"
	@echo "  (demo mode: demo accounts skip the first-login password change and the second factor)"
	@echo ""
	LIANBANG_DEMO_MODE=1 $(BIN)/lianbang runserver $(HOST):$(PORT) --noreload

test: install frontend browser
	$(BIN)/lianbang collectstatic --noinput --verbosity 0
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy lianbang

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var/static .pytest_cache .mypy_cache .ruff_cache frontend/dist
