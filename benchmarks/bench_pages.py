"""Calendar and approval pages with 100,000 posts stored, served by a real ``palabre serve``
(uvicorn) process, under 20 concurrent clients on loopback: p50 / p95 latency.

    .venv/bin/python benchmarks/bench_pages.py [--posts 100000] [--clients 20]
        [--requests 400] [--single 50] [--db sqlite|postgresql] [--workers N]

Each page is requested once (its first rendering: a miss of the page cache; the server's
time is printed), then measured with one client alone, then with ``--clients`` clients requesting
it back to back (no pause: the server is saturated, so their latency is mostly queueing).
Latency is given as the clients observe it (httpx, one thread per client, on loopback) and
as the server reports it (``Server-Timing: app;dur=``, from the app receiving the request
to its response headers). ``--workers N`` serves the same app with ``uvicorn --workers N``
instead of ``palabre serve``. The posts span ten years around today (about
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


def server_ms(response: object) -> float | None:
    """The app's own time for a response, from its ``Server-Timing: app;dur=<ms>``."""
    value = response.headers.get("server-timing", "")  # type: ignore[attr-defined]
    for part in value.split(","):
        name, _, params = part.strip().partition(";")
        if name == "app" and params.startswith("dur="):
            return float(params[4:])
    return None


def quantiles(values: list[float]) -> tuple[float, float, float]:
    values = sorted(values)
    if len(values) < 2:
        v = values[0] if values else float("nan")
        return v, v, v
    q = statistics.quantiles(values, n=100)
    return q[49], q[94], values[-1]


def hammer(base: str, cookies: object, path: str, clients: int, total: int) -> dict[str, float]:
    """``clients`` threads, each with its own keep-alive connection, request ``path`` back
    to back (no pause between requests) until ``total`` requests are done."""
    import httpx

    latencies: list[float] = []
    server: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_client = max(total // clients, 1)
    barrier = threading.Barrier(clients)

    def client() -> None:
        with httpx.Client(base_url=base, cookies=cookies, timeout=60) as c:  # type: ignore[arg-type]
            c.get(path)  # warm-up: connection and server caches
            barrier.wait()
            mine, theirs = [], []
            for _ in range(per_client):
                t = time.perf_counter()
                r = c.get(path)
                mine.append((time.perf_counter() - t) * 1000)
                ms = server_ms(r)
                if ms is not None:
                    theirs.append(ms)
                if r.status_code != 200:
                    with lock:
                        errors.append(str(r.status_code))
            with lock:
                latencies.extend(mine)
                server.extend(theirs)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    p50, p95, top = quantiles(latencies)
    s50, s95, _ = quantiles(server)
    return {
        "n": len(latencies),
        "p50": p50,
        "p95": p95,
        "max": top,
        "s50": s50,
        "s95": s95,
        "rps": len(latencies) / elapsed,
        "errors": len(errors),
    }


def pages(busy: str) -> dict[str, str]:
    return {
        "calendar, busy week": f"/calendar?view=week&date={busy}",
        "calendar, busy day": f"/calendar?view=day&date={busy}",
        "calendar, month of the busy week": f"/calendar?view=month&date={busy}",
        "calendar, this week": "/calendar?view=week",
        "calendar, this month": "/calendar?view=month",
        f"approval queue ({AWAITING} waiting), page 1": "/approvals",
        "approval queue, page 2": "/approvals?after={after}",
    }


def run(base: str, client: object, busy: str, args: argparse.Namespace) -> None:
    import httpx

    assert isinstance(client, httpx.Client)
    first = client.get("/approvals").text
    after = first.split("/approvals?after=", 1)[1].split('"', 1)[0] if "?after=" in first else ""
    print(
        "page | KiB | first (cache miss) server ms | 1 client p50 / p95 ms "
        "| N clients p50 / p95 / max ms | server-side (N clients) p50 / p95 ms | req/s | errors"
    )
    floor = {"floor: sign-in page (no session)": "/signin", "floor: static file": "/static/app.css"}
    for label, path in (pages(busy) | floor).items():
        path = path.format(after=after)
        first = client.get(path)  # the first request for a page renders it (and caches it)
        size, miss = len(first.content), server_ms(first) or float("nan")
        one = hammer(base, client.cookies, path, 1, args.single)
        many = hammer(base, client.cookies, path, args.clients, args.requests)
        print(
            f"{label} | {size // 1024} | {miss:.1f} | {one['p50']:.1f} / {one['p95']:.1f} | "
            f"{many['p50']:.1f} / {many['p95']:.1f} / {many['max']:.1f} | "
            f"{many['s50']:.1f} / {many['s95']:.1f} | {many['rps']:.0f} | {many['errors']}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="per page, all clients")
    parser.add_argument("--single", type=int, default=50, help="per page, one client alone")
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--processes", type=int, default=1, help="web processes: palabre serve --processes N"
    )
    args = parser.parse_args()
    print(f"# bench_pages — {common.machine()} — {common.git_version()}")
    with ExitStack() as stack:
        pg_url = stack.enter_context(common.postgres()) if args.db == "postgresql" else None
        inst = stack.enter_context(common.instance(args.db, pg_url))
        t = time.perf_counter()
        team, busy = seed(inst, args.posts)
        print(
            f"# {args.posts} posts stored ({args.db}) in {time.perf_counter() - t:.1f} s; "
            f"busy week from {busy}; {args.clients} clients"
        )
        _, base = stack.enter_context(common.server(inst, "--processes", str(args.processes)))
        worker = "with" if args.db == "sqlite" else "without"
        print(
            f"# server: palabre serve --processes {args.processes} "
            f"({worker} an in-process worker in each)"
        )
        client = common.sign_in(base, team.manager_email)
        print(f"# load average before: {common.load_average()}")
        run(base, client, busy, args)
        print(f"# load average after: {common.load_average()}")


if __name__ == "__main__":
    main()
