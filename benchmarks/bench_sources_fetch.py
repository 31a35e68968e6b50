"""Fetching 1,000 feeds served on loopback, through the real worker: a first full refresh
(goal < 20 s on 2 cores), then a second pass where every feed answers 304 (goal < 5 s).

One local web server process (threads; tests/fakes/feed_server.py) serves the feeds at
distinct paths, each with its own items, ETag and Last-Modified. Palabre's side is the
real path: the worker's runner claims the source_fetches rows, fetches each batch in
parallel through the guarded fetcher (DNS checked, connection pinned, per-host cap),
parses, stores the items (dedupe, backlog) and the health. The figures are wall time and
the worker process's CPU time (``time.process_time``, not distorted by other work).

    .venv/bin/python benchmarks/bench_sources_fetch.py [--feeds 1000] [--items 20]
        [--db sqlite postgresql] [--per-host 8]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from contextlib import ExitStack
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from unittest.mock import patch

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import common
from sqlalchemy import func, insert, select, update

from palabre.core.db import utcnow
from palabre.core.fetch import Fetcher, Limits
from palabre.core.netpolicy import NetPolicy
from palabre.sources import worker
from palabre.sources.fetch_models import SourceFetch
from palabre.sources.models import Source, SourceItem
from palabre.stator import StatorRunner
from palabre.team import services as team


def feed(n: int, items: int) -> bytes:
    now = utcnow()
    entries = "".join(
        f"<item><guid>https://site{n}.example/news/{i}</guid>"
        f"<title>Site {n} : nouvelle {i} sur l'exposition du moment</title>"
        f"<link>https://site{n}.example/news/{i}?utm_source=rss</link>"
        f"<description>&lt;p&gt;Le musée {n} annonce sa nouvelle n° {i} : atelier, visite "
        f"ou conférence, avec &lt;a href='/agenda/{i}'&gt;le détail&lt;/a&gt;.&lt;/p&gt;"
        f"</description><pubDate>{format_datetime(now - timedelta(hours=6 * i), usegmt=True)}"
        "</pubDate></item>"
        for i in range(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Musée {n}</title><link>https://site{n}.example/</link>{entries}"
        "</channel></rss>"
    ).encode()


def serve(feeds: int, items: int, ready: Any, port: Any, stop: Any) -> None:
    from tests.fakes.feed_server import FeedServer

    server = FeedServer()
    for n in range(feeds):
        server.serve(f"/feeds/{n}.xml", feed(n, items))
    server.start()
    port.value = server.port
    ready.set()
    stop.wait()
    server.stop()


def seed(inst: common.Instance, feeds: int, port: int) -> None:
    rt = inst.runtime()
    now = utcnow()
    with rt.db.transaction() as session:
        ws = team.create_workspace(session, name="Banc d'essai")
        session.flush()
        rows = [
            {
                "workspace_id": ws.id,
                "kind": "feed",
                "name": f"Musée {n}",
                "url": f"http://127.0.0.1:{port}/feeds/{n}.xml",
                "weight": 1.0,
                "paused": False,
                "items_seen": 0,
                "first_fetch_keep": 1,
                "created_at": now,
            }
            for n in range(feeds)
        ]
        session.execute(insert(Source), rows)
        ids = session.scalars(select(Source.id).order_by(Source.id)).all()
        session.execute(
            insert(SourceFetch),
            [
                {"source_id": i, "state": "polling", "next_attempt_at": now, "attempts": 0}
                for i in ids
            ],
        )
    rt.close()


FETCHING = {"wall": 0.0}
FETCH_BATCH = worker.fetch_batch


def _timed_fetch_batch(rows: list[Any], ctx: Any) -> None:
    """The worker's own fetch phase, timed (the network and the feed server's share)."""
    started = time.perf_counter()
    FETCH_BATCH(rows, ctx)
    FETCHING["wall"] += time.perf_counter() - started


def one_pass(rt: Any, runner: StatorRunner) -> dict[str, float]:
    with rt.db.transaction() as session:  # every source due now
        session.execute(update(SourceFetch).values(next_attempt_at=utcnow()))
    FETCHING["wall"] = 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    with patch.object(worker, "fetch_batch", _timed_fetch_batch):
        handled = runner.run_until_idle()
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "fetching": FETCHING["wall"],
        "handled": handled,
    }


def run(kind: str, pg_url: str | None, feeds: int, items: int, per_host: int) -> list[str]:
    ctx = multiprocessing.get_context("spawn")
    ready, stop, port = ctx.Event(), ctx.Event(), ctx.Value("i", 0)
    server = ctx.Process(target=serve, args=(feeds, items, ready, port, stop), daemon=True)
    server.start()
    ready.wait(120)
    lines = []
    try:
        with common.instance(kind, pg_url) as inst:
            seed(inst, feeds, port.value)
            rt = inst.runtime()
            net = NetPolicy.parse("127.0.0.1")
            fetcher = Fetcher(net, Limits(per_host=per_host))
            services = {"net": net, "fetcher": fetcher}
            runner = StatorRunner(rt.db, [SourceFetch], services=services)
            for label in ("first", "304"):
                r = one_pass(rt, runner)
                with rt.db.transaction(write=False) as session:
                    stored = session.scalar(select(func.count()).select_from(SourceItem))
                    failing = session.scalar(
                        select(func.count())
                        .select_from(Source)
                        .where(Source.last_error.is_not(None))
                    )
                lines.append(
                    f"{kind:<11} {label:<6} {feeds:>6} {r['handled']:>8.0f} {stored:>8} "
                    f"{failing:>8} {r['wall']:>7.2f} {r['fetching']:>8.2f} {r['cpu']:>7.2f} "
                    f"{feeds / r['wall']:>8.0f}"
                )
            rt.close()
    finally:
        stop.set()
        server.join(10)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--db", nargs="+", default=["sqlite"])
    parser.add_argument("--per-host", type=int, default=2)
    args = parser.parse_args()
    print(f"# bench_sources_fetch — {common.machine()} — {common.git_version()}")
    print(
        f"# {args.feeds} feeds x {args.items} items on one loopback host, per-host cap "
        f"{args.per_host}; load average before: {common.load_average()}"
    )
    print("db          pass    feeds  handled    items  failing  wall s  fetch s   CPU s  feeds/s")
    with ExitStack() as stack:
        pg_url = stack.enter_context(common.postgres()) if "postgresql" in args.db else None
        for kind in args.db:
            for line in run(kind, pg_url, args.feeds, args.items, args.per_host):
                print(line, flush=True)
    print(f"# load average after: {common.load_average()}")


if __name__ == "__main__":
    main()
