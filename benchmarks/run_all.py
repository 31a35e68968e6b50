"""Runs every benchmark in turn with its default figures (see docs/benchmarks.md).

.venv/bin/python benchmarks/run_all.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    ["bench_memory.py"],
    ["bench_deliveries.py"],
    ["bench_pages.py", "--db", "sqlite"],
    ["bench_pages.py", "--db", "postgresql"],
    ["bench_sources_fetch.py", "--db", "sqlite", "postgresql"],
    ["bench_page_cpu.py", "--db", "sqlite"],
    ["bench_page_cpu.py", "--db", "postgresql"],
]


def main() -> None:
    failed = 0
    for script, *args in SCRIPTS:
        print(f"\n$ {Path(sys.executable).name} benchmarks/{script} {' '.join(args)}", flush=True)
        failed += subprocess.run([sys.executable, str(HERE / script), *args]).returncode != 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
