# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PACKAGES := workshop staffing production shop
FLASK := $(BIN)/flask --app workshop

.PHONY: run test install translations messages bench-planner bench-earliest-date bench-web clean

run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo "Stitchwork runs at http://127.0.0.1:5000 (Ctrl+C stops it)."
	$(FLASK) run --host 127.0.0.1 --port 5000

# The suite runs on every core (pytest-xdist); each worker has its own databases. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: install
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

install: $(INSTALLED) translations

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

# Compile each package's Danish catalogue (.po -> .mo); the .mo files are not committed.
translations: $(INSTALLED)
	@for package in $(PACKAGES); do \
		$(BIN)/pybabel compile --statistics -d $$package/translations -D messages 2>&1 | grep -v "^compiling" || true; \
	done
	@test -f workshop/translations/da/LC_MESSAGES/messages.mo

# For developers: extract new interface text into each package's catalogue.
messages: $(INSTALLED)
	$(BIN)/python -m workshop.i18n update

clean:
	rm -rf $(VENV) instance/stitchwork.sqlite3

# Planner benchmark (fixed seed; about 4 minutes on 2 cores). Results are in README.md.
bench-planner: $(INSTALLED)
	$(BIN)/python bench/planner_bench.py

# Earliest-date benchmark (60 people, 2,000 tasks; a few seconds). Results are in README.md.
bench-earliest-date: $(INSTALLED)
	$(BIN)/python bench/earliest_date.py

# Web benchmark: gunicorn (2 workers) on PostgreSQL with seed-scale data (10 sites x 10 years, made
# once into BENCH_DATABASE_URL), wrk with 8 connections, 10 s per page. Results are in README.md.
bench-web: $(INSTALLED) translations
	$(BIN)/python bench/web.py
