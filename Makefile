# Two commands for a new user: `make run` and `make test`. Each creates .venv when missing.
PYTHON ?= python3
VENV   ?= .venv
CHROMIUM ?= /usr/bin/chromium
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench install clean browser

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) -m bot run

# The HTML report is tested in Chromium: Debian's, installed when missing where we can (apt-get, as root).
browser:
	@if [ ! -x "$(CHROMIUM)" ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "no Chromium at $(CHROMIUM): installing Debian's"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium; \
	fi

test: $(STAMP) browser
	CHROMIUM=$(CHROMIUM) $(PY) -m pytest -n auto $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check bot tests migrations bench
	$(PY) -m ruff format --check bot tests migrations bench
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
