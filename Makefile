# exitsim developer tasks. `make test` creates .venv on first use.

# Optional: an explicit interpreter, e.g. make PYTHON=/opt/py312/bin/python3.12 test
PYTHON ?=
# Extra arguments for pytest / run.py, e.g. make test PYTEST_ARGS="-x -k model"
PYTEST_ARGS ?=
RUN_ARGS ?=

VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test golden dashboard bench lint clean

# Create the virtualenv with a real Python 3.12 and install the package
# (editable) with its test extras. Re-runs whenever pyproject.toml changes.
$(STAMP): pyproject.toml scripts/find-python.sh
	@py=$$(sh scripts/find-python.sh "$(PYTHON)") || exit 1; \
	echo "Using $$py"; \
	"$$py" -m venv $(VENV)
	$(VPY) -m pip install --upgrade pip
	$(VPY) -m pip install -e ".[test]"
	touch $@

run: $(STAMP)
	$(VPY) run.py $(RUN_ARGS)

test: $(STAMP)
	$(VPY) -m pytest $(PYTEST_ARGS)

# Rewrite the golden runs (tests/golden/) after a change that alters results on purpose;
# the commit that does so says which fix changed them and why.
golden: $(STAMP)
	$(VPY) tests/golden.py

dashboard: $(STAMP)
	$(VPY) run.py dashboard

bench: $(STAMP)
	$(VPY) benchmarks/step.py

lint: $(STAMP)
	$(VPY) -m ruff check .

clean:
	rm -rf $(VENV) results/
