"""Calendar and approval pages with 100,000 posts stored, served by a real ``palabre serve``
(uvicorn) process, under 20 concurrent clients on loopback: p50 / p95 latency.

    .venv/bin/python benchmarks/bench_pages.py [--posts 100000] [--clients 20]
        [--requests 400] [--db sqlite|postgresql]

The latency is observed by the clients (httpx, one thread per client) on loopback, so it
is an upper bound of the server-side time. The posts span ten years around today (about
190 a week; past ones published, future ones scheduled, 1 % drafts, 200 awaiting
approval), plus a busy week of 200 more posts four weeks ahead.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

BUSY_POSTS = 200
YEARS = 10  # the posts span this many years, half past, half ahead
AWAITING = 200


def seed(inst: common.Instance, posts: int) -> tuple[common.Seeded, str]:
    from palabre.core.db import utcnow

    team = common.seed_team(inst, channels=3)
    now = utcnow().replace(microsecond=0)
    busy_monday = (now + timedelta(weeks=4)).date()
    busy_monday -= timedelta(days=busy_monday.weekday())
    regular = posts - BUSY_POSTS - AWAITING
    span = timedelta(days=365 * YEARS) / regular
    start = now - timedelta(days=365 * YEARS / 2)
    times, states = [], []
    for i in range(regular):
        when = start + span * i
        times.append(when)
        if i % 100 == 0:
            states.append("draft")
        else:
            states.append("published" if when < now else "scheduled")
    busy_start = now.replace(
        year=busy_monday.year, month=busy_monday.month, day=busy_monday.day, hour=6
    )
    for i in range(BUSY_POSTS):  # 6:00 to 22:00, every day of the week
        day, minute = divmod(i, BUSY_POSTS // 7 + 1)
        times.append(busy_start + timedelta(days=day, minutes=minute * 13))
        states.append("scheduled")
    for i in range(AWAITING):
        times.append(now + timedelta(days=2, minutes=7 * i))
        states.append("awaiting_approval")
    common.bulk_posts(inst, team, times, states=states, deliveries=False)
    return team, busy_monday.isoformat()


def hammer(base: str, cookies: object, path: str, clients: int, total: int) -> dict[str, float]:
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_client = max(total // clients, 1)
    barrier = threading.Barrier(clients)

    def client() -> None:
        with httpx.Client(base_url=base, cookies=cookies, timeout=60) as c:  # type: ignore[arg-type]
            c.get(path)  # warm-up: connection and server caches
            barrier.wait()
            mine = []
            for _ in range(per_client):
                t = time.perf_counter()
                r = c.get(path)
                mine.append(time.perf_counter() - t)
                if r.status_code != 200:
                    with lock:
                        errors.append(str(r.status_code))
            with lock:
                latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return {
        "n": len(latencies),
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "max": latencies[-1] * 1000,
        "rps": len(latencies) / elapsed,
        "errors": len(errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="per page, all clients")
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    print(f"# bench_pages — {common.machine()} — {common.git_version()}")
    with ExitStack() as stack:
        pg_url = stack.enter_context(common.postgres()) if args.db == "postgresql" else None
        inst = stack.enter_context(common.instance(args.db, pg_url))
        t = time.perf_counter()
        team, busy = seed(inst, args.posts)
        print(
            f"# {args.posts} posts stored ({args.db}) in {time.perf_counter() - t:.1f} s; "
            f"busy week from {busy}; {args.clients} clients; load average "
            f"{common.load_average()}"
        )
        _, base = stack.enter_context(common.server(inst))
        client = common.sign_in(base, team.manager_email)
        pages = {
            "calendar, busy week": f"/calendar?view=week&date={busy}",
            "calendar, month of the busy week": f"/calendar?view=month&date={busy}",
            "calendar, this week": "/calendar?view=week",
            "calendar, this month": "/calendar?view=month",
            f"approval queue ({AWAITING} posts)": "/approvals",
        }
        print(
            f"{'page':<36} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
            f"{'req/s':>7} {'errors':>6}"
        )
        for label, path in pages.items():
            size = len(client.get(path).content)
            r = hammer(base, client.cookies, path, args.clients, args.requests)
            print(
                f"{label:<36} {r['n']:>8} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['max']:>8.1f} "
                f"{r['rps']:>7.0f} {r['errors']:>6}   ({size // 1024} KiB)",
                flush=True,
            )


if __name__ == "__main__":
    main()
