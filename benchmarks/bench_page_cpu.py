"""CPU time per cached page of a ``palabre serve`` process (and of PostgreSQL): the figure
that does not depend on what else the machine is doing.

    .venv/bin/python benchmarks/bench_page_cpu.py [--db sqlite|postgresql] [--requests 4000]

One client asks for each page ``--requests`` times in a row on one keep-alive connection
(after 300 requests to warm up); the server process's CPU time (user + system, from
``/proc``, in 10-ms ticks) and, on PostgreSQL, its server's, are divided by the number of
requests. Same data as ``bench_pages.py`` (100,000 posts), signed in as a manager.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_pages
import common


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=4000)
    args = parser.parse_args()
    print(f"# bench_page_cpu — {common.machine()} — {common.git_version()}")
    with ExitStack() as stack:
        pg_url = stack.enter_context(common.postgres()) if args.db == "postgresql" else None
        inst = stack.enter_context(common.instance(args.db, pg_url))
        team, busy = bench_pages.seed(inst, args.posts)
        proc, base = stack.enter_context(common.server(inst))
        client = common.sign_in(base, team.manager_email)
        pids = common.process_tree(proc.pid)
        pg = common.postgres_pid() if args.db == "postgresql" else None
        print(f"# {args.posts} posts ({args.db}), 1 client, {args.requests} requests a page")
        print("page | server CPU ms per request | database CPU ms per request | p50 ms")
        pages = bench_pages.pages(busy) | {"floor: sign-in page (no session)": "/signin"}
        pages.pop("approval queue, page 2")

        def used() -> tuple[float, float]:
            server = sum(map(common.cpu_seconds, pids))
            return server, common.tree_cpu_seconds(pg) if pg else 0.0

        for label, path in pages.items():
            client.get(path)
            bench_pages.hammer_raw(base, client.cookies, path, 1, 300)
            before = used()
            run = bench_pages.hammer_raw(base, client.cookies, path, 1, args.requests)
            server, db = (b - a for a, b in zip(before, used(), strict=True))
            n = run["n"]
            print(f"{label} | {server * 1000 / n:.2f} | {db * 1000 / n:.2f} | {run['p50']:.2f}")
            if run["errors"]:
                print(f"# {run['errors']} errors")


if __name__ == "__main__":
    main()
