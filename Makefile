# Two commands do all the set-up: `make demo` runs the product, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install setup demo serve test lint format bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

setup: install
	$(BIN)/lianbang migrate --noinput
	$(BIN)/lianbang collectstatic --noinput --verbosity 0

demo: setup
	$(BIN)/lianbang generate --if-empty
	$(BIN)/lianbang evaluate --all
	$(BIN)/lianbang demo_cases
	$(BIN)/lianbang demo_care
	@echo ""
	@echo "链帮 Lianbang: http://$(HOST):$(PORT)/"
	@echo "  log in as district / street1 / community1 / area1 / branch1 / grid0001 ..."
	@echo "  password: $${LIANBANG_DEMO_PASSWORD:-Lianbang@2026}"
	@echo "  (demo mode: demo accounts skip the first-login password change and the second factor)"
	@echo ""
	LIANBANG_DEMO_MODE=1 $(BIN)/lianbang runserver $(HOST):$(PORT) --noreload

test: install
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
	rm -rf var/static .pytest_cache .mypy_cache .ruff_cache
