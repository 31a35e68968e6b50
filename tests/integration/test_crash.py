"""The crash test: posts due now, two real ``palabre worker`` processes killed with SIGKILL
at random moments while they publish, restarted, until every delivery is final. Every
delivery must then have been published exactly once.

Random kills may or may not land between a publish and its record, so the first round also
has a worker that SIGKILLs itself right after its Nth successful publish: that window is
exercised on every run.

Runs on the test database: a SQLite file, or PostgreSQL when PALABRE_TEST_DATABASE_URL is
set. The workers run with a 2-second lease, so a killed worker's rows come back quickly.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
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
ROUNDS = 6  # each kills both workers once (unless the work is done)


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


def in_flight(rt: Runtime) -> set[str]:
    """Keys of deliveries the network has seen but the database not yet recorded."""
    with rt.db.transaction(write=False) as s:
        keys = set(s.scalars(select(PreviewRecord.idempotency_key)))
        pending = s.execute(
            select(Delivery.id, Delivery.round).where(Delivery.state == "publishing")
        ).all()
    return keys & {f"palabre-delivery-{i}-{r}" for i, r in pending}


# The worker, with a witness on the preview 'network': a publish call for a key the
# network already holds would be a duplicate on a network that ignores idempotency keys
# (the preview itself would absorb it), so it is written down. Given a number N > 0, the
# worker writes down the key of its Nth publish and SIGKILLs itself right after it: the
# network has the post, the database has not recorded it.
WORKER = """
import os, signal, sys
from palabre.channels.preview import PreviewAdapter

publish, find = PreviewAdapter.publish, PreviewAdapter.find_published
witness_file, die_after, killed_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
made = 0

def witnessed(adapter, request):
    global made
    if find(adapter, request) is not None:
        with open(witness_file, "a") as out:
            out.write(request.idempotency_key + "\\n")
    result = publish(adapter, request)
    made += 1
    if made == die_after:
        with open(killed_file, "w") as out:
            out.write(request.idempotency_key)
        os.kill(os.getpid(), signal.SIGKILL)
    return result

PreviewAdapter.publish = witnessed
from palabre.cli import app
sys.argv = ["palabre", *sys.argv[4:]]
app()
"""


STARTED: list[subprocess.Popen[bytes]] = []


@pytest.fixture(autouse=True)
def no_worker_left() -> Iterator[None]:
    yield
    for worker in STARTED:  # a failed assertion must not leave a worker running
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    STARTED.clear()


def start_worker(rt: Runtime, log: Path, die_after: int = 0) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        PALABRE_DATABASE_URL=rt.settings.resolved_database_url,
        PALABRE_DATA_DIR=str(rt.settings.data_dir),
        PALABRE_SECRET_KEY=rt.settings.secret_key or "",
        PALABRE_LOG_LEVEL="WARNING",
    )
    script = log.parent / "worker.py"
    script.write_text(WORKER)
    dupes, killed = log.parent / "duplicates.txt", log.parent / "killed.txt"
    cmd = [sys.executable, str(script), str(dupes), str(die_after), str(killed)]
    cmd += ["worker", "--lease", LEASE, "--batch", "25"]
    with log.open("ab") as out:
        worker = subprocess.Popen(
            cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=log.parent
        )
    STARTED.append(worker)
    return worker


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
    kills = caught = 0

    # Round 0: one worker kills itself right after its Nth publish (deterministic), the
    # other is killed at random. Then random kills only.
    for round_ in range(ROUNDS):
        if count(rt, "scheduled", "publishing") == 0 or time.monotonic() > deadline:
            break
        die_after = rng.randint(5, 20) if round_ == 0 else 0
        workers = [start_worker(rt, log, die_after), start_worker(rt, log)]
        if die_after:
            workers[0].wait(timeout=30)
            assert workers[0].returncode == -signal.SIGKILL, log.read_text()[-3000:]
            kills += 1
            key = (tmp_path / "killed.txt").read_text()
            assert key in in_flight(rt)  # published on the network, not recorded
        before = count(rt, "published")
        # Wait until they are busy publishing, then kill each at a random moment.
        while count(rt, "published") == before and time.monotonic() < deadline:
            if all(w.poll() is not None for w in workers):
                break
            time.sleep(0.02)
        for worker in workers:
            if worker.poll() is not None:
                continue
            time.sleep(rng.uniform(0.0, 0.4))
            worker.kill()
            worker.wait()
            kills += 1
        caught += len(in_flight(rt))

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
