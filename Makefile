# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo init-demo test install bench fake-google clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

init-demo: $(STAMP)
	$(BIN)/python -m app init-demo --dir demo

demo: init-demo
	$(BIN)/python -m app --config demo/config.toml sync
	@echo
	@echo "Open demo/assessment.xlsx and demo/reporting.xlsx: the service wrote their summary tabs and ข้อผิดพลาดข้อมูล."
	@echo "demo/program.xlsx: the program over the two activities demo/reporting.xlsx and demo/reporting-2.xlsx."
	@echo "Web page: start it with  $(BIN)/python -m app --config demo/config.toml serve"
	@echo "  and the scheduler (runs 'run now' and the schedules) with  $(BIN)/python -m jobs --config demo/config.toml"
	@echo "  then open http://127.0.0.1:8080/ and sign in as demo (operator) or viewer, with the password"
	@echo "  that init-demo printed above (run make demo again for new ones)."
	@echo "  A web page already running does not know these new passwords: stop it (Ctrl+C) and start it again."
	@echo "  The demo's state (run history, outbox, reference secret) is in demo/var/."

test: $(STAMP)
	$(BIN)/lint-imports --no-cache  # the dependency rule (contracts in pyproject.toml)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks.floor_bench
	$(BIN)/python -m benchmarks.sync_bench
	$(BIN)/python -m benchmarks.assessment_bench
	$(BIN)/python -m benchmarks.reporting_bench

fake-google: $(STAMP)
	$(BIN)/python -m tests.fake_google --port 8765 --write-credentials var/fake-credentials.json \
		--seed-demo var/fake-config.toml

clean:
	rm -rf $(VENV) demo var .pytest_cache
