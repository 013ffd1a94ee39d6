# The two commands of the README. Both set up .venv on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint browser bench

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dask]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/geomap demo

# Debian's chromium for the browser tests; installed when missing and we may (root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will skip"; \
	  else echo "warning: chromium missing and not root; browser tests will skip"; fi; }

lint: $(STAMP)
	$(VENV)/bin/ruff check geomap tests scripts benchmarks
	$(VENV)/bin/ruff format --check geomap tests
	$(VENV)/bin/mypy

# Two workers (the machine's two cores); tests/conftest.py says how the work is shared.
test: $(STAMP) browser lint
	$(VENV)/bin/pytest -n 2 --dist loadfile --no-loadscope-reorder

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/run.py --peers
