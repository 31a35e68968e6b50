"""The inbox at scale.

(a) Ingestion: notifications stored and threaded (triage included) the way the worker
    does it, 100 per call of ``store_notifications``: notifications per second of CPU.
(b) Lists: ``--messages`` messages in conversations of three on average, generated in
    bulk; then each list view (priority, mine, a channel, last 24 h, next page), the
    badge counters and newest-first search are timed (wall p50/p95 over ``--rounds`` calls,
    and CPU per call), on SQLite and optionally PostgreSQL.

    .venv/bin/python benchmarks/bench_inbox.py [--messages 1000000] [--ingest 5000]
        [--db sqlite postgresql] [--rounds 200]
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
from sqlalchemy import insert, text

from palabre.channels.base import Account, NotificationKind, RemoteRef
from palabre.channels.base import Notification as Incoming
from palabre.core.db import utcnow
from palabre.inbox import counters, queries
from palabre.inbox.conversation_models import Conversation, Message, priority_of
from palabre.inbox.ingest import store_notifications
from palabre.team.models import User

WORDS = [
    "bonjour",
    "musée",
    "exposition",
    "horaires",
    "ouvert",
    "fermé",
    "dimanche",
    "billet",
    "tarif",
    "réduit",
    "enfant",
    "parking",
    "accessible",
    "fauteuil",
    "visite",
    "guidée",
    "nocturne",
    "merci",
    "bravo",
    "déçu",
    "remboursement",
    "question",
    "urgent",
    "fuite",
    "panne",
    "ascenseur",
    "toilettes",
    "café",
    "boutique",
    "atelier",
    "vacances",
]
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
    """``n`` messages in about n/3 conversations, written in bulk (Core inserts)."""
    rng = random.Random(2)
    now = utcnow()
    started = time.perf_counter()
    conv_rows: list[dict[str, Any]] = []
    sizes: list[int] = []
    total, cid = 0, 0
    while total < n:
        size = min(rng.choice((1, 1, 2, 3, 4, 5, 5)), n - total)
        cid += 1
        total += size
        sizes.append(size)
        urgency = rng.choices(("urgent", "normal", "low"), (5, 80, 15))[0]
        important = rng.random() < 0.1
        status = rng.choices(("new", "open", "waiting", "closed"), (15, 15, 20, 50))[0]
        last = now - timedelta(seconds=rng.randint(0, 90 * 86400))
        conv_rows.append(
            {
                "id": cid,
                "workspace_id": ws_id,
                "channel_id": rng.choice(channel_ids),
                "root_id": f"root-{cid}",
                "direct": False,
                "contact_handle": f"visitor{rng.randint(0, 50000)}@example.org",
                "snippet": rng.choice(TEXTS),
                "status": status,
                "to_handle": status in ("new", "open"),
                "assignee_id": rng.choice([None, None, *user_ids]),
                "first_message_at": last - timedelta(hours=size),
                "last_message_at": last,
                "last_inbound_at": last,
                "category": "question",
                "urgency": urgency,
                "important": important,
                "priority": priority_of(urgency, important),
                "unread": 0,
                "message_count": size,
                "version": 1,
                "created_at": last,
            }
        )
    with rt.db.write_engine.begin() as conn:
        for start in range(0, len(conv_rows), 20_000):
            conn.execute(insert(Conversation), conv_rows[start : start + 20_000])
    batch: list[dict[str, Any]] = []
    mid = 0
    with rt.db.write_engine.begin() as conn:
        for conv, size in zip(conv_rows, sizes, strict=True):
            for k in range(size):
                mid += 1
                words = " ".join(rng.choice(WORDS) for _ in range(12))
                batch.append(
                    {
                        "id": mid,
                        "workspace_id": ws_id,
                        "conversation_id": conv["id"],
                        "channel_id": conv["channel_id"],
                        "direction": "in",
                        "state": "received",
                        "kind": "mention",
                        "author_handle": conv["contact_handle"],
                        "text": f"{words} {mid}",
                        "remote_id": f"m-{mid}",
                        "created_at": conv["last_inbound_at"] - timedelta(minutes=size - k),
                        "category": "question",
                        "urgency": conv["urgency"],
                        "important": conv["important"],
                        "triage_corrected": False,
                    }
                )
                if len(batch) == 20_000:
                    conn.execute(insert(Message), batch)
                    batch.clear()
        if batch:
            conn.execute(insert(Message), batch)
        counters.recount(conn, ws_id)
        if rt.db.is_sqlite:
            conn.execute(text("ANALYZE"))
    if not rt.db.is_sqlite:
        with rt.db.write_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE conversations"))
            c.execute(text("VACUUM ANALYZE inbox_messages"))
    return time.perf_counter() - started


def timed(call: Callable[[], Any], rounds: int) -> dict[str, float]:
    call()  # warm
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
    }


def lists(
    rt: Any, ws_id: int, channel_id: int, user_id: int, rounds: int
) -> dict[str, dict[str, float]]:
    def page(filters: queries.Filters, after: str | None = None, uid: int = user_id) -> Any:
        with rt.db.transaction(write=False) as s:
            return queries.list_conversations(s, ws_id, filters, user_id=uid, after=after, limit=50)

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
        "badge counters": badge,
        "search 'remboursement' (LIKE)": lambda: page(
            queries.Filters(status="all", q="remboursement")
        ),
    }
    return {
        name: timed(call, rounds if "search" not in name else max(rounds // 20, 5))
        for name, call in views.items()
    }


def run(kind: str, pg_url: str | None, args: argparse.Namespace) -> None:
    with common.instance(kind, pg_url) as inst:
        seeded = common.seed_team(inst, channels=2)
        rt = inst.runtime()
        try:
            with rt.db.transaction() as s:
                from sqlalchemy import select

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
            ing = ingestion(rt, seeded.workspace_id, seeded.channel_ids[1], args.ingest)
            print(
                f"[{kind}] ingestion: {ing['notifications']} in {ing['cpu_s']:.2f} s CPU "
                f"({ing['wall_s']:.2f} s wall): {ing['per_cpu_s']:.0f} notifications/s per core"
            )
            with rt.db.write_engine.begin() as conn:  # the benchmark's own data from id 1
                conn.execute(text("DELETE FROM inbox_messages"))
                conn.execute(text("DELETE FROM conversations"))
            took = generate(rt, seeded.workspace_id, seeded.channel_ids, people, args.messages)
            print(f"[{kind}] generated {args.messages:,} messages in {took:.0f} s")
            for name, r in lists(
                rt, seeded.workspace_id, seeded.channel_ids[0], people[1], args.rounds
            ).items():
                line = f"p50 {r['p50_ms']:7.2f} ms  p95 {r['p95_ms']:7.2f} ms"
                print(f"[{kind}] {name:32} {line}  cpu {r['cpu_ms']:6.2f} ms")
        finally:
            rt.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--ingest", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--db", nargs="+", default=["sqlite"], choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    print(common.machine(), "·", common.git_version())
    for kind in args.db:
        if kind == "postgresql":
            with common.postgres() as url:
                run(kind, url, args)
        else:
            run(kind, None, args)


if __name__ == "__main__":
    main()
