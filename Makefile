# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INDEX ?= index

.PHONY: setup run lint test build bench stress eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch first and pinned: an unpinned torch pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

build: setup
	$(BIN)/plan-assistant build --index $(INDEX)

$(INDEX)/manifest.json: | $(STAMP)
	$(BIN)/plan-assistant build --index $(INDEX)

run: setup
	$(BIN)/plan-assistant check --index $(INDEX) || $(BIN)/plan-assistant build --index $(INDEX)
	$(BIN)/python app.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# pytest exits 5 when it collected no test: that must fail, not pass silently.
test: lint
	$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$rc

eval: setup
	$(BIN)/plan-assistant eval --index $(INDEX)

bench: setup
	$(BIN)/python scripts/bench.py

stress: setup
	$(BIN)/python scripts/stress.py

clean:
	rm -rf $(VENV) $(INDEX) .cache
