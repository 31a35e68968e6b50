"""Deliveries per second: N posts due at once to preview channels, delivered by 1 and 2
``palabre worker`` processes, on SQLite (a file) and on PostgreSQL; and the duplicate count.

    .venv/bin/python benchmarks/bench_deliveries.py [--posts 10000] [--channels 2]
        [--workers 1 2] [--db sqlite postgresql]

PostgreSQL is a throwaway server started with scripts/pg.sh on PALABRE_PG_PORT (default
54405). The rate is measured between the first and the last record the preview 'network'
made, so process start-up is not counted; the wall time, start-up included, is printed too,
and so is the number of deliveries per CPU-second the worker processes used (a figure that
holds on a busy machine, where the wall-clock rate depends on what else runs), and how many
times the write-back bumped the workspace's data version (the page cache's invalidation).
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common


def run(kind: str, pg_url: str | None, posts: int, channels: int, workers: int) -> dict[str, float]:
    with common.instance(kind, pg_url) as inst:
        team = common.seed_team(inst, channels)
        common.bulk_posts(inst, team, common.due_now(posts))
        total = posts * channels
        version = inst.scalar("SELECT sum(content_version) FROM workspaces")
        started = time.monotonic()
        procs = common.start_workers(inst, workers)
        try:
            done = common.wait_until(
                lambda: (
                    inst.scalar(
                        "SELECT count(*) FROM deliveries WHERE state IN ('published', 'failed')"
                    )
                    >= total
                ),
                timeout=1800,
                interval=0.25,
            )
            wall = time.monotonic() - started
            cpu = sum(common.cpu_seconds(p.pid) for p in procs if p.poll() is None)
        finally:
            common.stop(procs)
        if not done:
            raise SystemExit(f"{kind}, {workers} worker(s): not finished after 30 minutes")
        span = inst.scalar("SELECT max(published_at) - min(published_at) FROM preview_records")
        seconds = span.total_seconds() if hasattr(span, "total_seconds") else _sqlite_span(inst)
        t = common.tally(inst)
        bumps = inst.scalar("SELECT sum(content_version) FROM workspaces") - version
        rate = t.records / seconds if seconds else float("nan")
        return {
            "deliveries": total,
            "published": t.published,
            "failed": t.failed,
            "duplicates": t.duplicates,
            "missing": t.missing,
            "rate": rate,
            "per_worker": rate / workers,
            "wall": wall,
            "cpu": cpu,
            "bumps": bumps,
        }


def _sqlite_span(inst: common.Instance) -> float:
    # SQLite stores the times as text: let it do the arithmetic.
    return float(
        inst.scalar(
            "SELECT (julianday(max(published_at)) - julianday(min(published_at))) * 86400.0 "
            "FROM preview_records"
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=2)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument(
        "--quiet",
        type=float,
        default=0.3,
        help="before each run, wait until the machine's CPUs are at most this busy",
    )
    parser.add_argument("--wait", type=float, default=60, help="seconds to wait at most")
    args = parser.parse_args()
    print(f"# bench_deliveries — {common.machine()} — {common.git_version()}")
    print(f"# {args.posts} posts due at once x {args.channels} preview channels")
    print(
        "db          workers  deliveries  published  failed  duplicates  missing  "
        "deliveries/s  per worker  wall s  per worker CPU-s  page-cache bumps"
    )
    with ExitStack() as stack:
        pg_url = stack.enter_context(common.postgres()) if "postgresql" in args.db else None
        for kind in args.db:
            for n in args.workers:
                waited, busy = common.wait_for_quiet(args.quiet, args.wait)
                print(
                    f"# load average before: {common.load_average()}; CPUs {100 * busy:.0f} % "
                    f"busy (waited {waited:.0f} s for at most {100 * args.quiet:.0f} %)",
                    flush=True,
                )
                r = run(kind, pg_url, args.posts, args.channels, n)
                print(
                    f"{kind:<11} {n:>7}  {r['deliveries']:>10}  {r['published']:>9}  "
                    f"{r['failed']:>6}  {r['duplicates']:>10}  {r['missing']:>7}  "
                    f"{r['rate']:>12.0f}  {r['per_worker']:>10.0f}  {r['wall']:>6.1f}  "
                    f"{r['deliveries'] / r['cpu']:>17.0f}  {r['bumps']:>16}",
                    flush=True,
                )
    print(f"# load average after: {common.load_average()}")


if __name__ == "__main__":
    main()
