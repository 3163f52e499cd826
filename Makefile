# legalstay: `make run` serves the demo, `make test` runs every check and test.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export LEGALSTAY_VAR_DIR ?= $(CURDIR)/var
# make targets are for development: DEBUG on, so the development secret key is accepted.
export DEBUG ?= 1

.PHONY: install run test check test-core test-web serve migrate demo clean lock

install: $(STAMP)

# Installs from the lock file with hashes; reruns only when the lock or pyproject changes.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

migrate: install
	@mkdir -p $(LEGALSTAY_VAR_DIR)
	$(BIN)/legalstay manage migrate --no-input --verbosity 0

demo: migrate
	$(BIN)/legalstay demo --persons 200 --seed 1 --if-empty
	$(BIN)/legalstay scan --verbosity 0
	$(BIN)/legalstay demo-account

run: demo
	$(BIN)/legalstay serve 127.0.0.1:8000

check: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src
	$(BIN)/lint-imports

test-core: install
	$(BIN)/python -m pytest -q tests/core -p no:django -W "ignore::pytest.PytestConfigWarning"

test: check
	$(BIN)/python -m pytest -q

# Regenerates the lock from pyproject.toml (needs uv; not part of a normal install).
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 -o requirements.lock

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache
