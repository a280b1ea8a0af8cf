# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install bench fake-google clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m app init-demo --dir demo
	$(BIN)/python -m app sync assessment --workbook demo/assessment.xlsx
	@echo
	@echo "Open demo/assessment.xlsx: the service wrote ภาพรวมการประเมิน and ข้อผิดพลาดข้อมูล."
	@echo "Run history is in var/state.sqlite; start the API with: $(BIN)/python -m app serve"

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks.sync_bench

fake-google: $(STAMP)
	$(BIN)/python -m tests.fake_google --port 8765 --write-credentials var/fake-credentials.json \
		--seed-demo var/fake-config.toml

clean:
	rm -rf $(VENV) demo var .pytest_cache
