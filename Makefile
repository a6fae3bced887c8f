# exitsim developer tasks. `make run` and `make test` create .venv on first use.

# Optional: an explicit interpreter, e.g. make PYTHON=/opt/py312/bin/python3.12 test
PYTHON ?=
# Extra arguments for pytest / run.py, e.g. make test PYTEST_ARGS="-x -k model"
PYTEST_ARGS ?=
RUN_ARGS ?=
# Extra arguments for the dashboard, e.g. make dashboard DASHBOARD_ARGS="--scenario classroom --port 8800"
DASHBOARD_ARGS ?=

VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The dashboard's front-end files (Solara's page), unpacked from the npm registry into .venv so
# the page works offline; the list lives in exitsim/dashboard/frontend.py.
FRONTEND := $(VENV)/.frontend
# The versions the tests pass with (make lock writes it): installs take exactly these, so the
# same seed gives the same results on every machine that installs afresh.
CONSTRAINTS := constraints.txt
# The extras `make lock` resolves together, so that any of them installs at the locked versions.
LOCK_EXTRAS := test,dashboard,cluster,analysis,bench
# The extras `make test` installs: the tests exercise the Dask executor (cluster), the
# sensitivity indices (analysis) and the dashboard as well as the model.
TEST_EXTRAS := test,cluster,analysis,dashboard

.PHONY: run test test-fast dashboard golden bench lint lock clean compare findings

# Create the virtualenv with a real Python 3.12 and install the package (editable) with its
# test extras (TEST_EXTRAS) at the locked versions. Re-runs whenever pyproject.toml, the lock or this
# Makefile (its TEST_EXTRAS) changes.
$(STAMP): pyproject.toml $(CONSTRAINTS) Makefile scripts/find-python.sh
	@py=$$(sh scripts/find-python.sh "$(PYTHON)") || exit 1; \
	echo "Using $$py"; \
	"$$py" -m venv $(VENV)
	$(VPY) -m pip install --quiet -c $(CONSTRAINTS) pip
	$(VPY) -m pip install -c $(CONSTRAINTS) -e ".[$(TEST_EXTRAS)]"
	touch $@

$(FRONTEND): $(STAMP) exitsim/dashboard/frontend.py
	$(VPY) -m exitsim.dashboard.frontend
	touch $@

run: $(STAMP)
	$(VPY) run.py $(RUN_ARGS)

# The whole suite, spread over the machine's cores (PYTEST_WORKERS=0 runs it in one process).
PYTEST_WORKERS ?= auto
test: $(STAMP) $(FRONTEND)
	$(VPY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The browser dashboard for instructors on http://127.0.0.1:8765/ (docs/dashboard.md).
dashboard: $(STAMP) $(FRONTEND)
	$(VPY) run.py dashboard $(DASHBOARD_ARGS)

# The suite without the slow magnitude and calibration checks, on both cores: for quick feedback.
test-fast: $(STAMP) $(FRONTEND)
	$(VPY) -m pytest -m "not slow" -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Rewrite the golden runs (tests/golden/) after a change that alters results on purpose;
# the commit that does so says which fix changed them and why.
golden: $(STAMP)
	$(VPY) tests/golden.py

# The hegemon's four strategies against a passive rising power, paired (python run.py compare):
# a table, a reading and a figure in results/compare/, in well under a minute on two cores.
compare: $(STAMP)
	$(VPY) run.py compare $(RUN_ARGS)

# The headline experiments afresh — the default scenario, the sensitivity over ν, ω and b, worlds
# of today's size — then docs/findings.md from them: about an hour on two free cores. Their stores
# in results/ are replaced. After a stop: python run.py sweep experiments/NAME.yaml --resume for
# each unfinished one, then python run.py findings.
FINDINGS := exit_vs_balancing exit_vs_balancing_sensitivity exit_vs_balancing_world
SWEEP_ARGS ?=
findings: $(STAMP)
	rm -rf $(addprefix results/,$(FINDINGS))
	for name in $(FINDINGS); do $(VPY) run.py sweep experiments/$$name.yaml $(SWEEP_ARGS) || exit 1; done
	$(VPY) run.py findings

bench: $(STAMP)
	$(VPY) benchmarks/step.py

lint: $(STAMP)
	$(VPY) -m ruff check .

# Resolve every extra afresh in a scratch environment and record the versions in constraints.txt.
# Run it after changing dependencies in pyproject.toml, then `make test`, and commit both.
lock:
	@py=$$(sh scripts/find-python.sh "$(PYTHON)") || exit 1; \
	rm -rf .venv-lock && "$$py" -m venv .venv-lock && \
	.venv-lock/bin/python -m pip install --quiet --upgrade pip && \
	.venv-lock/bin/python -m pip install --quiet -e ".[$(LOCK_EXTRAS)]" && \
	{ echo "# Versions the test suite passes with (Python 3.12). Written by make lock; do not edit by hand."; \
	  .venv-lock/bin/python -m pip freeze --all --exclude-editable | grep -v '^exitsim'; } > $(CONSTRAINTS) && \
	rm -rf .venv-lock && echo "wrote $(CONSTRAINTS)"

clean:
	rm -rf $(VENV) .venv-lock results/
