# The two commands: `make run` (dashboard on the bundled data) and `make test` (ruff, then pytest).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
DB := data/disclosure.duckdb
RAW_FILES := $(shell find data/raw -type f 2>/dev/null)
ETL_FILES := $(wildcard etl/*.py etl/*.sql)
PORT ?= 8501

.PHONY: run test db bench clean

run: $(DB)
	$(PY) -m streamlit run dashboard.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest

db: $(DB)

# Rebuilt when missing or older than any bundled report or ETL module.
$(DB): $(STAMP) $(RAW_FILES) $(ETL_FILES)
	$(PY) -m etl ingest data/raw --db $(DB)
	@touch $(DB)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

bench: $(STAMP)
	$(PY) -m bench.run

clean:
	rm -f $(DB)
