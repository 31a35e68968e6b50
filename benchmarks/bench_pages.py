"""Calendar and approval pages with 100,000 posts stored, served by a real ``palabre serve``
(uvicorn) process, under 20 concurrent clients on loopback: p50 / p95 latency.

    .venv/bin/python benchmarks/bench_pages.py [--posts 100000] [--clients 20]
        [--requests 2000] [--single 500] [--misses 10] [--pause MS]
        [--db sqlite|postgresql] [--processes N] [--client raw|httpx] [--quiet 0.3 --wait 300]

Each page is requested once (its first rendering: a cache miss), then ``--misses`` times by
one client with the workspace's data version bumped before each request (every one a miss),
then measured with one client alone (cache hits), then with ``--clients`` clients requesting
it back to back (no pause unless ``--pause``: the server is saturated, so their latency is
mostly queueing).

The load generator is by default one thread running an asyncio loop over ``--clients`` raw
keep-alive HTTP/1.1 connections (about 0.05 ms of CPU per request); ``--client httpx`` uses
one httpx client per thread instead (about 0.6 ms per request, taken from the cores the
server runs on). Latency is given as the clients observe it and as the server reports it
(``Server-Timing: app;dur=``: from the app receiving the request, after uvicorn parsed it,
to its response headers; a cached page is served on the event loop, so the time a request
waits for the loop is not in it: the client-side figure on loopback includes everything and
bounds it). Per page, the output gives the CPU time per request of the server
processes (with one client and with ``--clients``), of the load generator, and how busy the
machine was during the measurement: the server's share, the database server's (PostgreSQL),
the clients' and everything else's (other people's work).

Before measuring, the script waits (at most ``--wait`` seconds) until the machine's CPUs are
at most ``--quiet`` busy, and prints the load average before and after. The posts span ten
years around today (about 190 a week; past ones published, future ones scheduled, 1 %
drafts, 200 awaiting approval), plus a busy week of 200 more posts four weeks ahead.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import threading
import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

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


def hammer(
    base: str, cookies: object, path: str, clients: int, total: int, pause: float = 0
) -> dict[str, float]:
    """httpx: ``clients`` threads, each with its own keep-alive connection, request ``path``
    back to back (no pause between requests) until ``total`` requests are done. Costly: the
    threads take a good share of the cores the server runs on (see ``client_ms``)."""
    import httpx

    latencies: list[float] = []
    server: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_client = max(total // clients, 1)
    barrier = threading.Barrier(clients + 1)

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
                if pause:
                    time.sleep(pause / 1000)
            with lock:
                latencies.extend(mine)
                server.extend(theirs)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()  # every client connected and warmed up
    cpu, started = time.process_time(), time.perf_counter()
    for t in threads:
        t.join()
    return summary(latencies, server, len(errors), time.perf_counter() - started, cpu)


def summary(
    latencies: list[float], server: list[float], errors: int, elapsed: float, cpu: float
) -> dict[str, float]:
    p50, p95, top = quantiles(latencies)
    s50, s95, _ = quantiles(server)
    n = len(latencies)
    return {
        "n": n,
        "p50": p50,
        "p95": p95,
        "max": top,
        "s50": s50,
        "s95": s95,
        "rps": n / elapsed,
        "errors": errors,
        # the load generator's own CPU time (every thread of this process) per request
        "client_ms": (time.process_time() - cpu) * 1000 / max(n, 1),
    }


# -- the lean load generator: asyncio on raw sockets -----------------------------------
_TIMING = b"\r\nserver-timing: app;dur="


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, float | None]:
    """One HTTP/1.1 response on a keep-alive connection: (status, Server-Timing app ms)."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    ms = None
    at = lower.find(_TIMING)
    if at >= 0:
        value = lower[at + len(_TIMING) :].split(b"\r\n", 1)[0]
        ms = float(value.split(b",", 1)[0])
    at = lower.find(b"\r\ncontent-length:")
    if at >= 0:
        length = int(lower[at + 17 :].split(b"\r\n", 1)[0])
        await reader.readexactly(length)
    elif b"\r\ntransfer-encoding: chunked" in lower:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
            await reader.readexactly(size + 2)  # the chunk and its CRLF
            if size == 0:
                break
    else:
        raise RuntimeError("a response without Content-Length or chunked encoding")
    return status, ms


async def _raw_clients(
    addresses: list[tuple[str, int]], request: bytes, clients: int, per_client: int, pause: float
) -> tuple[list[float], list[float], int, float, float, str]:
    latencies: list[float] = []
    server: list[float] = []
    errors = 0
    conns = [  # round robin over the servers, if there are several
        await asyncio.open_connection(*addresses[i % len(addresses)]) for i in range(clients)
    ]
    for reader, writer in conns:  # warm-up: connection and server caches
        writer.write(request)
        await _read_response(reader)
    spread = common.connections_by_process([port for _, port in addresses])
    go = asyncio.Event()

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal errors
        await go.wait()
        clock = time.perf_counter
        for _ in range(per_client):
            t = clock()
            writer.write(request)
            status, ms = await _read_response(reader)
            latencies.append((clock() - t) * 1000)
            if ms is not None:
                server.append(ms)
            if status != 200:
                errors += 1
            if pause:
                await asyncio.sleep(pause / 1000)

    tasks = [asyncio.create_task(client(r, w)) for r, w in conns]
    await asyncio.sleep(0)
    cpu, started = time.process_time(), time.perf_counter()
    go.set()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    for _, writer in conns:
        writer.close()
    return latencies, server, errors, elapsed, cpu, spread


def hammer_raw(
    base: str | list[str], cookies: object, path: str, clients: int, total: int, pause: float = 0
) -> dict[str, float]:
    """The same load as ``hammer`` from one thread: ``clients`` keep-alive connections
    driven by one asyncio loop (uvloop when installed), each sending a prepared request
    and reading its response (status line, headers, a Content-Length or chunked body)
    before the next one, with no pause. Several ``base`` addresses: the connections are
    spread over them in turn."""
    bases = [base] if isinstance(base, str) else base
    addresses = []
    for b in bases:
        host, _, port = b.removeprefix("http://").partition(":")
        addresses.append((host, int(port)))
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())  # type: ignore[attr-defined]
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/html\r\n"
        f"Cookie: {cookie}\r\n\r\n"
    ).encode()
    per_client = max(total // clients, 1)
    try:
        import uvloop

        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    latencies, server, errors, elapsed, cpu, spread = runner(
        _raw_clients(addresses, request, clients, per_client, pause)
    )
    return summary(latencies, server, errors, elapsed, cpu) | {"spread": spread}


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


def misses(inst: common.Instance, client: object, path: str, n: int) -> tuple[float, float]:
    """Server time of ``n`` cache misses, one client: before each request the workspace's
    data version is bumped, as any change to a post would."""
    from sqlalchemy import create_engine, text

    engine = create_engine(inst.url)
    times = []
    try:
        for _ in range(n):
            with engine.begin() as conn:
                conn.execute(text("UPDATE workspaces SET content_version = content_version + 1"))
            times.append(server_ms(client.get(path)) or float("nan"))  # type: ignore[attr-defined]
    finally:
        engine.dispose()
    p50, _, top = quantiles(times)
    return p50, top


def run(
    inst: common.Instance,
    server_pids: list[int],
    bases: list[str],
    client: object,
    busy: str,
    args: Any,
) -> None:
    import httpx

    assert isinstance(client, httpx.Client)
    load = hammer_raw if args.client == "raw" else hammer
    first = client.get("/approvals").text
    after = first.split("/approvals?after=", 1)[1].split('"', 1)[0] if "?after=" in first else ""
    print(
        "page | KiB | miss server ms: first / p50 / max | 1 client p50 / p95 ms "
        "| N clients p50 / p95 / max ms | server-side (N clients) p50 / p95 ms | req/s "
        "| CPU ms per request: server alone / server (N clients) / clients "
        "| CPU % of machine: server / database / clients / other "
        "| connections per server process | errors"
    )
    floor = {"floor: sign-in page (no session)": "/signin", "floor: static file": "/static/app.css"}
    for label, path in (pages(busy) | floor).items():
        path = path.format(after=after)
        first = client.get(path)  # the first request for a page renders it (and caches it)
        size, miss = len(first.content), server_ms(first) or float("nan")
        m50, mtop = misses(inst, client, path, args.misses) if args.misses else (miss, miss)
        pids = [p for pid in server_pids for p in common.process_tree(pid)]
        pg = common.postgres_pid() if args.db == "postgresql" else None
        alone = sum(map(common.cpu_seconds, pids))
        one = load(bases[0], client.cookies, path, 1, args.single)
        alone = (sum(map(common.cpu_seconds, pids)) - alone) * 1000 / one["n"]
        server_cpu, machine = sum(map(common.cpu_seconds, pids)), common.machine_cpu()
        db_cpu = common.tree_cpu_seconds(pg) if pg else 0.0
        target = bases if len(bases) > 1 else bases[0]
        many = load(target, client.cookies, path, args.clients, args.requests, args.pause)
        server_cpu = sum(map(common.cpu_seconds, pids)) - server_cpu
        db_cpu = (common.tree_cpu_seconds(pg) if pg else 0.0) - db_cpu
        busy_s, wall_s = (b - a for a, b in zip(machine, common.machine_cpu(), strict=True))
        clients_cpu = many["client_ms"] * many["n"] / 1000
        share = [server_cpu / wall_s, db_cpu / wall_s, clients_cpu / wall_s]
        share.append(max(busy_s / wall_s - sum(share), 0.0))
        print(
            f"{label} | {size // 1024} | {miss:.1f} / {m50:.1f} / {mtop:.1f} | "
            f"{one['p50']:.1f} / {one['p95']:.1f} | "
            f"{many['p50']:.1f} / {many['p95']:.1f} / {many['max']:.1f} | "
            f"{many['s50']:.1f} / {many['s95']:.1f} | {many['rps']:.0f} | "
            f"{alone:.2f} / {server_cpu * 1000 / many['n']:.2f} / {many['client_ms']:.2f} | "
            + " / ".join(f"{100 * x:.0f}" for x in share)
            + f" | {many.get('spread', '?')} | {many['errors']}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000, help="per page, all clients")
    parser.add_argument(
        "--single", type=int, default=500, help="per page, one client alone (CPU ticks are 10 ms)"
    )
    parser.add_argument("--misses", type=int, default=10, help="per page, one client")
    parser.add_argument(
        "--pause", type=float, default=0, help="ms each client waits between its requests"
    )
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--processes", type=int, default=1, help="web processes: palabre serve --processes N"
    )
    parser.add_argument(
        "--client",
        default="raw",
        choices=["raw", "httpx"],
        help="load generator: asyncio on raw sockets (lean, one thread) or httpx threads",
    )
    parser.add_argument(
        "--quiet",
        type=float,
        default=0.3,
        help="before measuring, wait until the machine's CPUs are at most this busy",
    )
    parser.add_argument(
        "--separate",
        action="store_true",
        help="--processes N as N separate servers on their own ports, the connections "
        "spread evenly over them (as a balancing proxy or SO_REUSEPORT would)",
    )
    parser.add_argument("--wait", type=float, default=300, help="seconds to wait at most")
    args = parser.parse_args()
    if args.separate and args.client != "raw":
        parser.error("--separate needs the raw client")
    print(f"# bench_pages — {common.machine()} — {common.git_version()}")
    with ExitStack() as stack:
        pg_url = stack.enter_context(common.postgres()) if args.db == "postgresql" else None
        inst = stack.enter_context(common.instance(args.db, pg_url))
        t = time.perf_counter()
        team, busy = seed(inst, args.posts)
        print(
            f"# {args.posts} posts stored ({args.db}) in {time.perf_counter() - t:.1f} s; "
            f"busy week from {busy}; {args.clients} clients ({args.client}), "
            f"pausing {args.pause:g} ms between requests"
        )
        worker = "with" if args.db == "sqlite" else "without"
        if args.separate:
            servers = [stack.enter_context(common.server(inst)) for _ in range(args.processes)]
            print(
                f"# server: {args.processes} separate `palabre serve` processes on their own "
                f"ports, the clients' connections spread evenly ({worker} an in-process "
                "worker in each)"
            )
        else:
            servers = [stack.enter_context(common.server(inst, "--processes", str(args.processes)))]
            print(
                f"# server: palabre serve --processes {args.processes} "
                f"({worker} an in-process worker in each)"
            )
        bases = [base for _, base in servers]
        client = common.sign_in(bases[0], team.manager_email)
        waited, busy_now = common.wait_for_quiet(args.quiet, args.wait)
        print(
            f"# load average before: {common.load_average()}; CPUs {100 * busy_now:.0f} % busy "
            f"(waited {waited:.0f} s for at most {100 * args.quiet:.0f} %)",
            flush=True,
        )
        run(inst, [proc.pid for proc, _ in servers], bases, client, busy, args)
        print(f"# load average after: {common.load_average()}")


if __name__ == "__main__":
    main()
