# Entry points; the real work is in scripts/ (which install what they need).
# `make test PYTEST_ARGS="-x -k publish"` passes arguments to both pytest runs.
.PHONY: demo test lint bench assets venv chromium pg-start pg-stop

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh $(PYTEST_ARGS)

lint: venv
	.venv/bin/ruff check src tests
	.venv/bin/ruff format --check src tests
	.venv/bin/mypy

bench: venv
	@if [ -f benchmarks/run_all.py ]; then .venv/bin/python benchmarks/run_all.py; \
	else echo "no benchmarks/run_all.py yet"; fi

assets:
	bash scripts/assets.sh

venv:
	bash scripts/venv.sh

chromium:
	bash scripts/chromium.sh

pg-start:
	bash scripts/pg.sh start
	@bash scripts/pg.sh url

pg-stop:
	bash scripts/pg.sh stop
