"""Resident memory of an idle ``palabre serve`` (the embedded default: SQLite and the
in-process worker), after start-up and a few page views.

    .venv/bin/python benchmarks/bench_memory.py

Reads VmRSS (and the peak, VmHWM) from /proc/<pid>/status of the server process.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

PAGES = [
    "/",
    "/calendar?view=week",
    "/calendar?view=month",
    "/approvals",
    "/posts",
    "/channels",
    "/team",
    "/audit",
    "/settings",
    "/compose",
]


def main() -> None:
    print(f"# bench_memory — {common.machine()} — {common.git_version()}")
    with common.instance("sqlite") as inst:
        team = common.seed_team(inst, channels=2)
        common.bulk_posts(
            inst, team, common.due_now(50), states=["published"] * 50, deliveries=False
        )
        with common.server(inst) as (proc, base):
            time.sleep(1)
            started = common.rss_kib(proc.pid)
            client = common.sign_in(base, team.manager_email)
            codes = {}
            for _ in range(3):
                for path in PAGES:
                    codes[path] = client.get(path).status_code
            time.sleep(3)  # idle
            idle = common.rss_kib(proc.pid)
    print(f"pages viewed (3x each): {', '.join(f'{p} {c}' for p, c in codes.items())}")
    print(f"{'moment':<34} {'VmRSS MiB':>10} {'VmHWM MiB':>10}")
    for label, kib in (("after start-up", started), ("idle after 30 page views", idle)):
        print(f"{label:<34} {kib['VmRSS'] / 1024:>10.1f} {kib['VmHWM'] / 1024:>10.1f}")


if __name__ == "__main__":
    main()
