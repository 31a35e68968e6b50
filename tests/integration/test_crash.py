"""The crash test: posts due now, two real ``palabre worker`` processes killed with SIGKILL
at random moments while they publish, restarted, until every delivery is final. Every
delivery must then have been published exactly once.

Runs on the test database: a SQLite file, or PostgreSQL when PALABRE_TEST_DATABASE_URL is
set. The workers run with a 2-second lease, so a killed worker's rows come back quickly.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from palabre.channels.preview.models import PreviewRecord
from palabre.core.runtime import Runtime
from palabre.publishing.models import Delivery, Post, PostState
from palabre.team.models import AuditEntry
from tests import factories as f

pytestmark = pytest.mark.slow

POSTS = int(os.environ.get("PALABRE_CRASH_POSTS", "300"))
SEED = 20240917
LEASE = "2"
ROUNDS = 6  # each kills both workers once


def seed(rt: Runtime, ws_id: int, manager_id: int, channel_ids: list[int], n: int) -> None:
    from palabre.channels.models import Channel
    from palabre.team.models import User, Workspace

    with rt.db.transaction() as s:
        ws = s.get(Workspace, ws_id)
        mgr = s.get(User, manager_id)
        chans = [s.get(Channel, c) for c in channel_ids]
        assert ws and mgr and all(chans)
        for i in range(n):
            f.post(s, ws, mgr, chans, text=f"Nocturne n°{i} : le musée ouvre jusqu'à minuit")  # type: ignore[arg-type]


def count(rt: Runtime, *states: str) -> int:
    with rt.db.transaction(write=False) as s:
        return s.scalar(select(func.count()).where(Delivery.state.in_(states))) or 0


def in_flight(rt: Runtime) -> int:
    """Deliveries the network has seen but the database not yet recorded."""
    with rt.db.transaction(write=False) as s:
        keys = set(s.scalars(select(PreviewRecord.idempotency_key)))
        pending = s.execute(
            select(Delivery.id, Delivery.round).where(Delivery.state == "publishing")
        ).all()
    return sum(f"palabre-delivery-{i}-{r}" in keys for i, r in pending)


# The worker, with a witness on the preview 'network': a publish call for a key the
# network already holds would be a duplicate on a network that ignores idempotency keys
# (the preview itself would absorb it), so it is written down.
WORKER = """
import sys
from palabre.channels.preview import PreviewAdapter

publish, find = PreviewAdapter.publish, PreviewAdapter.find_published
witness_file = sys.argv[1]

def witnessed(adapter, request):
    if find(adapter, request.idempotency_key) is not None:
        with open(witness_file, "a") as out:
            out.write(request.idempotency_key + "\\n")
    return publish(adapter, request)

PreviewAdapter.publish = witnessed
from palabre.cli import app
sys.argv = ["palabre", *sys.argv[2:]]
app()
"""


def start_worker(rt: Runtime, log: Path) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        PALABRE_DATABASE_URL=rt.settings.resolved_database_url,
        PALABRE_DATA_DIR=str(rt.settings.data_dir),
        PALABRE_SECRET_KEY=rt.settings.secret_key or "",
        PALABRE_LOG_LEVEL="WARNING",
    )
    script = log.parent / "worker.py"
    script.write_text(WORKER)
    dupes = log.parent / "duplicates.txt"
    cmd = [sys.executable, str(script), str(dupes), "worker", "--lease", LEASE, "--batch", "25"]
    with log.open("ab") as out:
        return subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=log.parent)


def test_workers_killed_at_random_publish_every_delivery_exactly_once(
    rt: Runtime, tmp_path: Path
) -> None:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        mgr = f.user(s, ws, "manager")
        chans = [f.preview_channel(rt, s, ws, mgr, name=n) for n in ("Mastodon", "Bluesky")]
        ids = (ws.id, mgr.id, [c.id for c in chans])
    seed(rt, *ids, POSTS)
    rng = random.Random(SEED)
    log = tmp_path / "workers.log"
    deadline = time.monotonic() + 40
    kills = caught = extra = 0

    while time.monotonic() < deadline and kills < 2 * ROUNDS:
        total = count(rt, "scheduled", "publishing", "published", "failed", "cancelled")
        if count(rt, "published", "failed", "cancelled") == total:
            if caught or extra >= 3:
                break
            seed(rt, *ids, 100)  # every kill missed the publishing window: more work
            extra += 1
            continue
        workers = [start_worker(rt, log) for _ in range(2)]
        before = count(rt, "published")
        # Wait until they are busy publishing, then kill each at a random moment.
        while count(rt, "published") == before and time.monotonic() < deadline:
            time.sleep(0.02)
        for worker in workers:
            time.sleep(rng.uniform(0.0, 0.4))
            worker.kill()
            worker.wait()
            kills += 1
        caught += in_flight(rt)

    # Let the survivors' leases expire; one last worker finishes the job.
    finisher = start_worker(rt, log)
    try:
        while count(rt, "scheduled", "publishing") and time.monotonic() < deadline + 15:
            time.sleep(0.1)
    finally:
        finisher.terminate()
        finisher.wait(timeout=15)

    print(f"{kills} workers killed, {caught} deliveries caught between network and database")
    with rt.db.transaction(write=False) as s:
        deliveries = list(s.scalars(select(Delivery)))
        records = list(s.scalars(select(PreviewRecord)))
        posts = Counter(s.scalars(select(Post.state)))
        audit = Counter(
            s.scalars(
                select(AuditEntry.details["channel_id"].as_integer()).where(
                    AuditEntry.action == "post.delivery_published"
                )
            )
        )
    assert Counter(d.state for d in deliveries) == {"published": len(deliveries)}, log.read_text()[
        -3000:
    ]
    per_key = Counter(r.idempotency_key for r in records)
    assert per_key == {d.idempotency_key: 1 for d in deliveries}  # none twice, none missing
    by_key = {r.idempotency_key: r for r in records}
    assert all(d.remote_id == str(by_key[d.idempotency_key].id) for d in deliveries)
    assert posts == {PostState.published: len(deliveries) // 2}
    assert sum(audit.values()) == len(deliveries)  # each outcome recorded once
    dupes = tmp_path / "duplicates.txt"
    assert not dupes.exists(), f"published again: {dupes.read_text()[:500]}"
    assert kills >= 4
    assert caught >= 1, "no kill landed between the network and the database"
