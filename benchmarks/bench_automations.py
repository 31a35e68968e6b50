"""Automations at a busy museum's scale: one worker run of a news relay that finds many new
items (suggest and auto mode, guardrails planning every post), and a 30-day dry run.

    .venv/bin/python benchmarks/bench_automations.py [--items 1000] [--postgres]

CPU time of this process (``time.process_time()``), so other work on the machine does not
distort the figures; the database server's own CPU is not counted (SQLite runs in-process).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from common import git_version, instance, load_average, machine, postgres, seed_team


def seed_items(rt, workspace_id: int, n: int, now: datetime) -> int:  # type: ignore[no-untyped-def]
    from palabre.sources.models import Source, SourceItem

    with rt.db.transaction() as s:
        feed = Source(workspace_id=workspace_id, kind="feed", name="Site", url="https://x.example")
        s.add(feed)
        s.flush()
        rows = [
            {
                "workspace_id": workspace_id,
                "source_id": feed.id,
                "guid": f"g{i}",
                "title": f"Nouvelle {i} : exposition, atelier, concert",
                "link": f"https://musee.example/actu/{i}",
                "canonical_link": f"https://musee.example/actu/{i}",
                "summary_html": "",
                "summary_text": "Le musée vous invite " * 20,
                "categories": ["Exposition", "Art contemporain"],
                "published_at": now - timedelta(minutes=30 * (n - i)),  # the last n/2 days
                "first_seen_at": now - timedelta(minutes=30 * (n - i)),
                "backlog": False,
            }
            for i in range(n)
        ]
        s.execute(insert(SourceItem), rows)
        return feed.id


def automation(rt, seeded, feed: int, mode: str, channels: list[int]) -> int:  # type: ignore[no-untyped-def]
    from palabre.automations import services
    from palabre.team.models import User, Workspace

    with rt.db.transaction() as s:
        owner = s.query(User).filter_by(workspace_id=seeded.workspace_id).first()
        row = services.create_automation(
            s,
            s.get(Workspace, seeded.workspace_id),
            kind="news",
            name=f"Relais {mode}",
            source_ids=[feed],
            channel_ids=channels,
            mode=mode,
            settings={"max_age_days": 30},
            actor=owner,
        )
        row.created_at = datetime(2000, 1, 1, tzinfo=UTC)  # auto mode: every item is new
        return row.id


def measure(kind: str, items: int, pg_url: str | None) -> None:
    from palabre.automations import runs
    from palabre.automations.dryrun import dry_run
    from palabre.automations.models import Automation
    from palabre.publishing.models import Post

    with instance(kind, pg_url) as inst:
        seeded = seed_team(inst, channels=4)  # a Mastodon and a Bluesky preview per mode
        rt = inst.runtime()
        now = datetime.now(UTC)
        feed = seed_items(rt, seeded.workspace_id, items, now)
        for mode, channels in (
            ("suggest", seeded.channel_ids[:2]),
            ("auto", seeded.channel_ids[2:]),
        ):
            aid = automation(rt, seeded, feed, mode, channels)
            started = time.process_time()
            with rt.db.transaction() as s:
                made = runs.run_automation(s, s.get(Automation, aid), now)
            cpu = time.process_time() - started
            with rt.db.transaction(write=False) as s:
                posts = s.scalar(select(func.count(Post.id)).where(Post.automation_id == aid))
            print(
                f"{kind}: one run, {mode} mode: {made} suggestions, {posts} posts scheduled "
                f"(the guardrails' 60 days hold {3 * 60}), from {items} items: "
                f"{cpu:.2f} s of CPU ({made / cpu:.0f} items/s)"
            )
            if mode == "suggest":
                started = time.process_time()
                with rt.db.transaction(write=False) as s:
                    result = dry_run(s, s.get(Automation, aid), now)
                cpu = time.process_time() - started
                placed = len(result.posts) - result.unplaced
                print(
                    f"{kind}: dry run over 30 days: {len(result.posts)} items, {placed} placed "
                    f"by the guardrails, {cpu:.2f} s of CPU"
                )
        rt.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    print(f"{machine()}; {git_version()}; load {load_average()}")
    measure("sqlite", args.items, None)
    if args.postgres:
        with postgres() as url:
            measure("postgresql", args.items, url)


if __name__ == "__main__":
    main()
