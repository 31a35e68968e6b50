"""The inbox at scale.

(a) Ingestion: notifications stored and threaded (triage included) the way the worker
    does it, 100 per call of ``store_notifications``: notifications per second of CPU.
(b) Lists: ``--messages`` messages in conversations of three on average, generated in
    bulk; then each list view (priority, mine, a channel, last 24 h, next page, awaiting
    approval — 40 proposals and 200 sent back are added —, a quadrant and its count), the
    badge counters and newest-first search are timed (wall p50/p95 over ``--rounds`` calls,
    and CPU per call), on SQLite and optionally PostgreSQL.

    .venv/bin/python benchmarks/bench_inbox.py [--messages 1000000] [--ingest 5000]
        [--db sqlite postgresql] [--rounds 200] [--keep] [--round-robin]

``--round-robin``: (a) with round-robin on arrival turned on (five people on duty).
``--keep``: the PostgreSQL server and database stay, and the SQLite database is
``KEPT_SQLITE`` (not a temporary file); a later run with ``--keep`` on a database that
already holds ``--messages`` messages measures them again without the 6 (SQLite) to 20
(PostgreSQL) minutes of generating 5,000,000 (generate while the machine is busy, measure
when quiet).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import common
import inbox_data
from sqlalchemy import create_engine, event, func, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from palabre.channels.base import Account, NotificationKind, RemoteRef
from palabre.channels.base import Notification as Incoming
from palabre.core.db import utcnow
from palabre.inbox import counters, queries, search, search_todo
from palabre.inbox.conversation_models import Conversation, Message
from palabre.inbox.ingest import store_notifications
from palabre.team.models import User

KEPT_SQLITE = Path("/tmp/palabre-bench-inbox/palabre.sqlite3")  # with --keep

TEXTS = [
    "Bonjour, le musée est-il ouvert dimanche ?",
    "Merci pour la belle exposition, bravo à l'équipe !",
    "Très déçu : fermé sans prévenir, je demande un remboursement.",
    "URGENT : une fuite d'eau dans la salle 3, personne à l'accueil",
    "Vous pourriez ajouter des visites guidées le soir ?",
]


def ingestion(rt: Any, ws_id: int, channel_id: int, n: int) -> dict[str, float]:
    rng = random.Random(1)
    items: list[Incoming] = []
    posts: list[str] = []
    now = utcnow()
    for i in range(n):
        parent = rng.choice(posts) if posts and rng.random() < 0.4 else None
        post = f"post-{i}"
        posts.append(post)
        items.append(
            Incoming(
                remote_id=f"n-{i}",
                kind=NotificationKind.reply if parent else NotificationKind.mention,
                created_at=now - timedelta(seconds=n - i),
                author=Account(id=f"a{i % 300}", handle=f"visitor{i % 300}@example.org"),
                text=rng.choice(TEXTS) + f" ({i})",
                post=RemoteRef(post, f"https://example.org/{post}"),
                parent=RemoteRef(parent) if parent else None,
            )
        )
    cpu, wall = time.process_time(), time.perf_counter()
    for start in range(0, n, 100):
        with rt.db.transaction() as s:
            store_notifications(s.connection(), ws_id, channel_id, items[start : start + 100])
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"notifications": n, "cpu_s": cpu, "wall_s": wall, "per_cpu_s": n / cpu}


def generate(rt: Any, ws_id: int, channel_ids: list[int], user_ids: list[int], n: int) -> float:
    """``n`` messages (``inbox_data``), written in bulk; the search structures are dropped
    first and built again after, as migrations 0008, 0012 and 0013 do on an existing
    database (their backfill times are printed)."""
    started = time.perf_counter()
    sqlite = rt.db.is_sqlite
    with rt.db.write_engine.begin() as conn:
        for statement in search_todo.SQLITE_DROP if sqlite else search_todo.POSTGRES_DROP:
            conn.execute(text(statement))
        for statement in search.SQLITE_DROP if sqlite else search.POSTGRES_DROP:
            conn.execute(text(statement))
    for convs, msgs in inbox_data.chunks(
        n, workspace_id=ws_id, channel_ids=channel_ids, user_ids=user_ids, now=utcnow()
    ):
        with rt.db.write_engine.begin() as conn:
            conn.execute(insert(Conversation), convs)
            conn.execute(insert(Message), msgs)
    loaded = time.perf_counter()
    with rt.db.write_engine.begin() as conn:
        for statement in search.SQLITE_DDL if sqlite else search.POSTGRES_DDL:
            conn.execute(text(statement))
    indexed = time.perf_counter()
    print(f"search index built (the migration's backfill) in {indexed - loaded:.0f} s")
    with rt.db.write_engine.begin() as conn:
        for statement in search_todo.SQLITE_DDL if sqlite else search_todo.POSTGRES_DDL:
            conn.execute(text(statement))
    print(f"index of the messages to handle built in {time.perf_counter() - indexed:.0f} s")
    with rt.db.write_engine.begin() as conn:
        counters.recount(conn, ws_id)
        follow_ids(conn)
        if sqlite:
            conn.execute(text("ANALYZE"))
    if not sqlite:
        with rt.db.write_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE conversations"))
            c.execute(text("VACUUM ANALYZE inbox_messages"))
    return time.perf_counter() - started


def follow_ids(conn: Any) -> None:
    """PostgreSQL: the id sequences continue after the rows written with their ids in bulk
    (else the next row made the usual way, a proposal, takes id 1 again)."""
    if conn.dialect.name == "sqlite":
        return
    for table in ("conversations", "inbox_messages"):
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        )


def timed(call: Callable[[], Any], rounds: int) -> dict[str, float]:
    """Wall p50/p95 and CPU per call in ms; ``rows``: how many conversations a page gave
    (-1 when it is not a page), ``more``: 1 if it had a next page."""
    result = call()  # warm
    rows = getattr(result, "rows", None)
    more = getattr(result, "next_cursor", None) is not None
    walls, cpu = [], time.process_time()
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        walls.append((time.perf_counter() - started) * 1000)
    cpu = (time.process_time() - cpu) * 1000 / rounds
    walls.sort()
    return {
        "p50_ms": statistics.median(walls),
        "p95_ms": walls[int(len(walls) * 0.95) - 1],
        "cpu_ms": cpu,
        "rows": -1 if rows is None else len(rows),
        "more": float(more),
    }


def lists(
    rt: Any, ws_id: int, channel_id: int, user_id: int, rounds: int
) -> dict[str, dict[str, float]]:
    def page(filters: queries.Filters, after: str | None = None, uid: int = user_id) -> Any:
        with rt.db.transaction(write=False) as s:
            return queries.list_conversations(s, ws_id, filters, user_id=uid, after=after, limit=50)

    propose(rt, ws_id)
    cursor = None
    for _ in range(5):  # the fifth page's cursor
        cursor = page(queries.Filters()).next_cursor
    since = utcnow() - timedelta(hours=24)

    def badge() -> int:
        with rt.db.transaction(write=False) as s:
            return counters.to_handle(s.connection(), ws_id)

    views: dict[str, Callable[[], Any]] = {
        "priority (to handle)": lambda: page(queries.Filters()),
        "mine": lambda: page(queries.Filters(assignee="me")),
        "a channel": lambda: page(queries.Filters(channel_id=channel_id)),
        "last 24 h": lambda: page(queries.Filters(since=since)),
        "next page (6th)": lambda: page(queries.Filters(), cursor),
        "closed": lambda: page(queries.Filters(status="closed")),
        "awaiting approval": lambda: page(queries.Filters(awaiting=True)),
        "a quadrant (urgent, important)": lambda: page(
            queries.Filters(urgent=True, important=True)
        ),
        "quadrant count (up to 1,000)": lambda: quadrant_count(rt, ws_id, user_id),
        "badge counters": badge,
    }
    with rt.db.transaction(write=False) as s:  # someone who wrote: their handle, once or twice
        handle = s.scalar(select(Conversation.contact_handle).where(Conversation.id == 4321))
    words = {"common": "musée", "two words": "horaires dimanche", "rare": handle.split("@")[0]}
    for label, q in words.items():
        found = queries.Filters(status="all", q=q)
        views[f"search {label} '{q}', newest"] = lambda f=found: page(f)
    everything = queries.Filters(status="all", q="musée")
    second = page(everything).next_cursor
    views["search 'musée', next page"] = lambda: page(everything, second)
    for q in ("musée", "horaires dimanche"):  # narrowed to few conversations
        mine = queries.Filters(assignee="me", q=q)
        views[f"search '{q}', mine, to handle"] = lambda f=mine: page(f)
    for label, q in (("common", "merci"), ("rarer", "ascenseur")):
        ranked = queries.Filters(status="all", q=q, sort="relevance")
        views[f"search {label} '{q}', relevance"] = lambda f=ranked: page(f)
    check_badges_count_nothing(rt, badge)
    return {name: timed(call, rounds) for name, call in views.items()}


def quadrant_count(rt: Any, ws_id: int, user_id: int) -> int:
    neither = queries.Filters(urgent=False, important=False)
    with rt.db.transaction(write=False) as s:
        return queries.count_capped(s, ws_id, neither, user_id=user_id)


def propose(rt: Any, ws_id: int, n: int = 40) -> None:
    """``n`` volunteers' replies awaiting approval, and five times as many sent back, in
    conversations to handle (once: a kept database has them already)."""
    with rt.db.transaction() as s:
        if s.scalar(select(Message.id).where(Message.state == "proposed").limit(1)):
            return
        convs = s.execute(
            select(Conversation.id, Conversation.channel_id)
            .where(Conversation.workspace_id == ws_id, Conversation.to_handle.is_(True))
            .order_by(Conversation.id)
            .limit(n * 6)
        ).all()
        rows = [
            {
                "workspace_id": ws_id,
                "conversation_id": cid,
                "channel_id": channel_id,
                "direction": "out",
                "state": "proposed" if i < n else "rejected",
                "text": "Oui, le musée ouvre à 10 h.",
                "created_at": utcnow(),
            }
            for i, (cid, channel_id) in enumerate(convs)
        ]
        s.execute(insert(Message), rows)


def explain(rt: Any, ws_id: int) -> None:
    """The plans of the search queries (EXPLAIN QUERY PLAN / EXPLAIN ANALYZE)."""
    sqlite = rt.db.is_sqlite
    prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE, COSTS OFF) "
    seen: list[tuple[str, Any]] = []

    def log(_conn: Any, _cursor: Any, statement: str, params: Any, *_args: Any) -> None:
        if "inbox_messages" in statement and statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    engine = rt.db.read_engine
    event.listen(engine, "before_cursor_execute", log)
    try:
        with rt.db.transaction(write=False) as s:
            for q, sort in (("musée", "newest"), ("ascenseur", "relevance")):
                filters = queries.Filters(status="all", q=q, sort=sort)
                page = queries.list_conversations(s, ws_id, filters, user_id=0)
                queries.list_conversations(s, ws_id, filters, user_id=0, after=page.next_cursor)
    finally:
        event.remove(engine, "before_cursor_execute", log)
    with rt.db.read_engine.connect() as conn:
        for statement, params in seen:
            print("  ", " ".join(statement.split())[:160])
            for row in conn.exec_driver_sql(prefix + statement, params):
                print("     ", row[-1])


def check_badges_count_nothing(rt: Any, badge: Callable[[], Any]) -> None:
    """The badges read ``inbox_counts``: no COUNT over the conversations or messages."""
    seen: list[str] = []

    def log(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lower().startswith(("select", "with")):
            seen.append(statement.lower())

    engine = rt.db.read_engine
    event.listen(engine, "before_cursor_execute", log)
    try:
        badge()
    finally:
        event.remove(engine, "before_cursor_execute", log)
    assert seen and all("inbox_counts" in q and "conversations" not in q for q in seen), seen
    print(f"badges: {len(seen)} statement(s), all on inbox_counts: {seen[0][:60]}…")


def held(url: str | None) -> int:
    """How many messages a kept database holds (0 if it is not set up)."""
    if url is None:
        return 0
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(text("SELECT count(*) FROM inbox_messages")) or 0)
    except SQLAlchemyError:
        return 0
    finally:
        engine.dispose()


def prepare(
    rt: Any, inst: Any, kind: str, args: argparse.Namespace, reuse: bool
) -> tuple[int, int, int]:
    """The workspace, a channel and a member to measure with: made and filled, or found as
    a previous ``--keep`` run left them."""
    if reuse:
        with rt.db.transaction(write=False) as s:
            ws_id = s.scalar(select(Conversation.workspace_id).limit(1))
            channel = s.scalar(select(func.min(Conversation.channel_id)))
            member = s.scalar(select(User.id).where(User.email == "m0@example.org"))
        with rt.db.write_engine.begin() as conn:
            follow_ids(conn)
        print(f"[{kind}] kept database: measured as a previous run left it")
        return ws_id, channel, member
    seeded = common.seed_team(inst, channels=2)
    with rt.db.transaction() as s:
        owner = s.scalar(select(User.id).where(User.email == seeded.manager_email))
        people = [owner]
        for i in range(4):
            u = User(
                workspace_id=seeded.workspace_id,
                email=f"m{i}@example.org",
                name=f"Member {i}",
                role="member",
                password_hash="x",
            )
            s.add(u)
            s.flush()
            people.append(u.id)
    if args.round_robin:
        from palabre.inbox import sla

        with rt.db.transaction() as s:
            sla.policy(s, seeded.workspace_id).round_robin_on_arrival = True
    if args.ingest:
        ing = ingestion(rt, seeded.workspace_id, seeded.channel_ids[1], args.ingest)
        print(
            f"[{kind}] ingestion: {ing['notifications']} in {ing['cpu_s']:.2f} s CPU "
            f"({ing['wall_s']:.2f} s wall): {ing['per_cpu_s']:.0f} notifications/s "
            "per core"
        )
    with rt.db.write_engine.begin() as conn:  # the benchmark's own data from id 1
        conn.execute(text("DELETE FROM inbox_messages"))
        conn.execute(text("DELETE FROM conversations"))
    took = generate(rt, seeded.workspace_id, seeded.channel_ids, people, args.messages)
    print(f"[{kind}] generated {args.messages:,} messages in {took:.0f} s")
    return seeded.workspace_id, seeded.channel_ids[0], people[1]


def run(kind: str, pg_url: str | None, args: argparse.Namespace) -> None:
    kept = KEPT_SQLITE if args.keep and kind == "sqlite" else None
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
    url = pg_url if kept is None else f"sqlite:///{kept}" if kept.exists() else None
    reuse = args.keep and held(url) >= args.messages
    if kept is not None and not reuse:
        kept.unlink(missing_ok=True)
    with common.instance(kind, pg_url, keep=reuse, sqlite_file=kept) as inst:
        rt = inst.runtime()
        try:
            ws_id, channel_id, member = prepare(rt, inst, kind, args, reuse)
            if args.explain:
                explain(rt, ws_id)
            for name, r in lists(rt, ws_id, channel_id, member, args.rounds).items():
                line = f"p50 {r['p50_ms']:7.2f} ms  p95 {r['p95_ms']:7.2f} ms"
                page = f"  {r['rows']:.0f} found{', more' if r['more'] else ''}"
                page = page if r["rows"] >= 0 else ""
                print(f"[{kind}] {name:32} {line}  cpu {r['cpu_ms']:6.2f} ms{page}")
        finally:
            rt.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--ingest", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--explain", action="store_true", help="print the search queries' plans")
    parser.add_argument("--db", nargs="+", default=["sqlite"], choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--round-robin",
        action="store_true",
        help="ingestion with round-robin on arrival (Settings > Inbox) turned on",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the database (PostgreSQL: the server too); measure again without generating",
    )
    args = parser.parse_args()
    print(common.machine(), "·", common.git_version())
    print(f"reference loop: {common.reference_loop():.2f} s CPU")
    for kind in args.db:
        if kind == "postgresql":
            with common.postgres(keep=args.keep) as url:
                run(kind, url, args)
        else:
            run(kind, None, args)
    print(f"reference loop: {common.reference_loop():.2f} s CPU")


if __name__ == "__main__":
    main()
