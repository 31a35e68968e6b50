"""The delivery worker on the real database: timing, retries, failures, leases, crashes,
several workers, and what the post becomes."""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.pool import NullPool

from palabre.channels import services as channels
from palabre.channels.base import PermanentError, PublishRequest, PublishResult
from palabre.channels.models import Channel
from palabre.channels.preview import PreviewAdapter
from palabre.channels.preview.models import PreviewRecord
from palabre.core.db import utcnow
from palabre.core.runtime import Runtime
from palabre.publishing.models import Delivery, Post, PostState
from palabre.publishing.states import DeliveryStates
from palabre.stator import StatorRunner, TransientError
from palabre.stator.handling import MAX_ATTEMPTS, UNEXPECTED, HandlerContext
from palabre.team.models import AuditEntry, User, Workspace
from tests import factories as f

LEASE = 60


@dataclass
class Scene:
    ws: Workspace
    manager: User
    channels: list[Channel]


@pytest.fixture
def scene(rt: Runtime) -> Scene:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        mgr = f.user(s, ws, "manager")
        chans = [f.preview_channel(rt, s, ws, mgr, name=n) for n in ("Mastodon", "Bluesky")]
    return Scene(ws, mgr, chans)


def runner(rt: Runtime, **kw: Any) -> StatorRunner:
    kw.setdefault("lease_seconds", LEASE)
    return StatorRunner(rt.db, [Delivery], services=rt.worker_services(), **kw)


def make_post(rt: Runtime, sc: Scene, when: datetime | None = None, n: int = 2) -> int:
    with rt.db.transaction() as s:
        ws = s.merge(sc.ws)
        mgr = s.merge(sc.manager)
        return f.post(s, ws, mgr, sc.channels[:n], text="Vernissage ce soir", when=when).id


def deliveries(rt: Runtime, post_id: int | None = None) -> list[Delivery]:
    with rt.db.transaction(write=False) as s:
        q = select(Delivery).order_by(Delivery.id)
        if post_id is not None:
            q = q.where(Delivery.post_id == post_id)
        return list(s.scalars(q))


def post_state(rt: Runtime, post_id: int) -> str:
    with rt.db.transaction(write=False) as s:
        return s.scalar(select(Post.state).where(Post.id == post_id)) or ""


def records(rt: Runtime) -> Counter[str]:
    with rt.db.transaction(write=False) as s:
        return Counter(s.scalars(select(PreviewRecord.idempotency_key)))


class Calls:
    """Counts what reaches the preview 'network', and can make it fail."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.publish: Counter[str] = Counter()
        self.find: Counter[str] = Counter()
        self.failures: list[Exception] = []  # raised by the next publish calls, in order
        self.fail_channel: int | None = None
        self.on_publish: Any = None
        original_publish = PreviewAdapter.publish
        original_find = PreviewAdapter.find_published
        calls = self

        def publish(adapter: PreviewAdapter, request: PublishRequest) -> PublishResult:
            calls.publish[request.idempotency_key] += 1
            if calls.fail_channel == adapter.config.channel_id:
                raise PermanentError("Rejected by the network: media type not allowed")
            if calls.failures:
                raise calls.failures.pop(0)
            result = original_publish(adapter, request)
            if calls.on_publish is not None:
                hook, calls.on_publish = calls.on_publish, None
                hook()
            return result

        def find(adapter: PreviewAdapter, request: PublishRequest) -> PublishResult | None:
            calls.find[request.idempotency_key] += 1
            return original_find(adapter, request)

        monkeypatch.setattr(PreviewAdapter, "publish", publish)
        monkeypatch.setattr(PreviewAdapter, "find_published", find)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    return Calls(monkeypatch)


def test_a_due_post_is_published_once_on_each_channel(rt: Runtime, scene: Scene) -> None:
    post_id = make_post(rt, scene)
    assert runner(rt).run_until_idle() >= 2
    ds = deliveries(rt, post_id)
    assert [d.state for d in ds] == ["published", "published"]
    assert all(d.remote_id and d.published_text == "Vernissage ce soir" for d in ds)
    assert records(rt) == {d.idempotency_key: 1 for d in ds}
    assert post_state(rt, post_id) == PostState.published
    assert runner(rt).run_until_idle() == 0  # nothing left, nothing sent again
    assert sum(records(rt).values()) == 2
    with rt.db.transaction(write=False) as s:
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.object_id == post_id)))
        assert actions.count("post.delivery_published") == 2
        assert all(c.last_success_at for c in s.scalars(select(Channel)))


def test_a_future_delivery_waits_until_it_is_due(rt: Runtime, scene: Scene) -> None:
    when = utcnow() + timedelta(hours=2)
    post_id = make_post(rt, scene, when=when)
    r = runner(rt)
    assert r.run_until_idle(now=when - timedelta(seconds=1)) == 0
    assert {(d.state, d.attempts) for d in deliveries(rt)} == {("scheduled", 0)}
    assert not records(rt)
    r.run_until_idle(now=when + timedelta(seconds=1))
    assert post_state(rt, post_id) == PostState.published


def test_a_transient_error_is_retried_with_backoff_then_succeeds(
    rt: Runtime, scene: Scene, calls: Calls
) -> None:
    make_post(rt, scene, n=1)
    calls.failures = [TransientError("503 Service Unavailable"), TransientError("timeout")]
    r, now = runner(rt), utcnow()
    r.run_once(now)
    (d,) = deliveries(rt)
    assert (d.state, d.attempts, d.last_error) == ("publishing", 1, "503 Service Unavailable")
    first_delay = d.next_attempt_at - now  # type: ignore[operator]
    assert first_delay == timedelta(seconds=DeliveryStates.publishing.try_interval)
    assert r.run_once(now + first_delay / 2) == 0  # not before its time
    now += first_delay
    r.run_once(now)
    (d,) = deliveries(rt)
    assert (d.state, d.attempts, d.last_error) == ("publishing", 2, "timeout")
    assert d.next_attempt_at - now == 2 * first_delay  # type: ignore[operator]
    with rt.db.transaction(write=False) as s:
        assert s.get(Channel, scene.channels[0].id).last_error == "timeout"  # type: ignore[union-attr]
    r.run_once(d.next_attempt_at)
    (d,) = deliveries(rt)
    assert (d.state, d.last_error) == ("published", None)
    assert records(rt) == {d.idempotency_key: 1}
    assert calls.find[d.idempotency_key] == 2  # checked before each retry


def test_retry_after_from_the_network_is_honoured(rt: Runtime, scene: Scene, calls: Calls) -> None:
    make_post(rt, scene, n=1)
    calls.failures = [TransientError("429 Too Many Requests", retry_after=600)]
    now = utcnow()
    runner(rt).run_once(now)
    (d,) = deliveries(rt)
    assert d.next_attempt_at == now + timedelta(seconds=600)


def test_a_permanent_error_fails_the_delivery_and_the_post(
    rt: Runtime, scene: Scene, calls: Calls
) -> None:
    post_id = make_post(rt, scene)
    calls.fail_channel = scene.channels[1].id
    runner(rt).run_until_idle()
    ok, bad = deliveries(rt, post_id)
    assert ok.state == "published"
    assert bad.state == "failed" and "media type not allowed" in (bad.last_error or "")
    assert sum(calls.publish.values()) == 2  # never retried
    assert post_state(rt, post_id) == PostState.failed


def test_after_max_attempts_the_delivery_gives_up(rt: Runtime, scene: Scene, calls: Calls) -> None:
    post_id = make_post(rt, scene, n=1)
    calls.failures = [TransientError(f"down {i}") for i in range(MAX_ATTEMPTS + 5)]
    r, now = runner(rt), utcnow()
    for _ in range(MAX_ATTEMPTS + 3):
        r.run_once(now)
        now += timedelta(days=1)
    (d,) = deliveries(rt)
    assert d.state == "failed"
    assert d.last_error == f"down {MAX_ATTEMPTS - 1}"
    assert calls.publish[d.idempotency_key] == MAX_ATTEMPTS
    assert post_state(rt, post_id) == PostState.failed
    assert not records(rt)


class Crash(BaseException):
    """The worker dies here."""


def test_a_crash_before_the_network_is_retried(rt: Runtime, scene: Scene, calls: Calls) -> None:
    make_post(rt, scene)
    now = utcnow()
    claimed = runner(rt).claim(Delivery, now, "deadbeef")  # then the worker dies
    assert len(claimed) == 2
    assert runner(rt).run_until_idle(now + timedelta(seconds=LEASE - 1)) == 0  # still leased
    runner(rt).run_until_idle(now + timedelta(seconds=LEASE + 1))
    ds = deliveries(rt)
    assert {d.state for d in ds} == {"published"}
    assert records(rt) == {d.idempotency_key: 1 for d in ds}


def test_a_crash_after_the_network_is_not_published_twice(
    rt: Runtime, scene: Scene, calls: Calls, monkeypatch: pytest.MonkeyPatch
) -> None:
    post_id = make_post(rt, scene, n=1)
    now = utcnow()
    dying = runner(rt)

    def die(*args: Any, **kw: Any) -> None:
        raise Crash

    monkeypatch.setattr(dying, "write_back_side_effects", die)
    with pytest.raises(Crash):
        dying.run_once(now)  # published, then died before recording it
    (d,) = deliveries(rt)
    assert d.state == "publishing" and d.attempts == 1
    assert records(rt) == {d.idempotency_key: 1}
    runner(rt).run_until_idle(now + timedelta(seconds=LEASE + 1))
    (d,) = deliveries(rt)
    assert d.state == "published"
    assert calls.publish[d.idempotency_key] == 1  # the network saw one post
    assert calls.find[d.idempotency_key] == 1  # found by its idempotency key instead
    with rt.db.transaction(write=False) as s:
        record = s.scalars(select(PreviewRecord)).one()
    assert d.remote_id == str(record.id)
    assert post_state(rt, post_id) == PostState.published


def test_publish_outcomes_are_committed_together_only_on_an_idempotent_network(
    rt: Runtime, scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(5):
        make_post(rt, scene)
    r = runner(rt)
    sizes: list[int] = []
    write_back = r.write_back_side_effects

    def counted(model: Any, graph: Any, outcomes: list[Any], *args: Any) -> int:
        sizes.append(len(outcomes))
        return write_back(model, graph, outcomes, *args)

    monkeypatch.setattr(r, "write_back_side_effects", counted)
    r.run_until_idle()
    assert sum(sizes) == 10 and max(sizes) > 1  # the preview honours idempotency keys
    assert {d.state for d in deliveries(rt)} == {"published"}

    # A network that does not: every outcome is committed right after its publish.
    caps = PreviewAdapter.capabilities
    monkeypatch.setattr(
        PreviewAdapter,
        "capabilities",
        lambda self: dataclasses.replace(caps(self), idempotent_publish=False),
    )
    post_ids = [make_post(rt, scene) for _ in range(5)]
    sizes.clear()
    r.run_until_idle()
    assert sizes == [1] * 10
    assert {post_state(rt, p) for p in post_ids} == {PostState.published}


def test_a_crash_before_a_batch_of_outcomes_is_committed_publishes_nothing_twice(
    rt: Runtime, scene: Scene, calls: Calls, monkeypatch: pytest.MonkeyPatch
) -> None:
    post_ids = [make_post(rt, scene) for _ in range(4)]
    now = utcnow()
    dying = runner(rt)

    def die(*args: Any, **kw: Any) -> None:
        raise Crash

    monkeypatch.setattr(dying, "write_back_side_effects", die)
    with pytest.raises(Crash):
        dying.run_once(now)  # eight publishes made, none recorded yet
    assert {(d.state, d.attempts) for d in deliveries(rt)} == {("publishing", 1)}
    assert sum(records(rt).values()) == 8
    runner(rt).run_until_idle(now + timedelta(seconds=LEASE + 1))
    ds = deliveries(rt)
    assert {d.state for d in ds} == {"published"}
    assert records(rt) == {d.idempotency_key: 1 for d in ds}
    assert set(calls.publish.values()) == {1}  # each sent once
    assert set(calls.find.values()) == {1}  # and found by its key after the crash
    assert {post_state(rt, p) for p in post_ids} == {PostState.published}
    with rt.db.transaction(write=False) as s:
        audited = s.scalar(
            select(func.count()).where(AuditEntry.action == "post.delivery_published")
        )
    assert audited == 8


def test_a_lost_lease_drops_the_stale_outcome(rt: Runtime, scene: Scene, calls: Calls) -> None:
    make_post(rt, scene, n=1)
    now = utcnow()
    slow = runner(rt)
    (row,) = slow.claim(Delivery, now, "slowslow")
    # The slow worker's lease runs out; another worker takes the row and publishes it.
    runner(rt).run_until_idle(now + timedelta(seconds=LEASE + 1))
    (done,) = deliveries(rt)
    assert done.state == "published"
    # The slow worker finally gets to write its outcome: refused.
    ctx = HandlerContext(rt.db, now, rt.worker_services())
    outcome = slow.handle(DeliveryStates, row, ctx)  # (it saw the post already published)
    assert slow.write_back_batch(Delivery, DeliveryStates, [outcome], "slowslow", ctx) == []
    (after,) = deliveries(rt)
    assert (after.state, after.remote_id, after.lease_token) == (
        "published",
        done.remote_id,
        None,
    )


def test_side_effects_are_not_started_on_a_lease_about_to_expire(
    rt: Runtime, scene: Scene, calls: Calls
) -> None:
    make_post(rt, scene)
    hasty = runner(rt, lease_seconds=0.000001)  # always past half its lease
    hasty.run_once(utcnow())
    ds = deliveries(rt)
    assert {(d.state, d.attempts, d.lease_token) for d in ds} == {("publishing", 0, None)}
    assert not calls.publish  # released untouched, for another cycle
    runner(rt).run_until_idle()
    assert {d.state for d in deliveries(rt)} == {"published"}
    assert not calls.find  # the release did not count as an attempt


def test_two_workers_never_claim_the_same_row(rt: Runtime, scene: Scene) -> None:
    for _ in range(60):
        make_post(rt, scene)
    now = utcnow()
    claimed: list[list[int]] = [[], []]
    start = threading.Barrier(2)

    def claim_all(i: int) -> None:
        r = runner(rt, batch=7)
        start.wait()
        while rows := r.claim(Delivery, now, f"worker{i}"):
            claimed[i].extend(row.id for row in rows)

    threads = [threading.Thread(target=claim_all, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not set(claimed[0]) & set(claimed[1])
    assert len(claimed[0]) + len(claimed[1]) == 120


def test_two_workers_together_publish_everything_exactly_once(rt: Runtime, scene: Scene) -> None:
    post_ids = [make_post(rt, scene) for _ in range(40)]
    errors: list[BaseException] = []

    def work() -> None:
        try:
            runner(rt, batch=9).run_until_idle()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    ds = deliveries(rt)
    assert {d.state for d in ds} == {"published"}
    assert records(rt) == {d.idempotency_key: 1 for d in ds}
    assert {post_state(rt, p) for p in post_ids} == {PostState.published}


def test_a_cancelled_post_has_its_deliveries_cancelled_by_the_worker(
    rt: Runtime, scene: Scene
) -> None:
    post_id = make_post(rt, scene)
    with rt.db.transaction() as s:  # cancelled while the worker was about to pick it up
        s.execute(update(Post).where(Post.id == post_id).values(state=PostState.cancelled))
    runner(rt).run_until_idle()
    assert {d.state for d in deliveries(rt, post_id)} == {"cancelled"}
    assert not records(rt)
    assert post_state(rt, post_id) == PostState.cancelled


def test_a_paused_channel_holds_its_deliveries_until_resumed(rt: Runtime, scene: Scene) -> None:
    post_id = make_post(rt, scene, n=1)
    with rt.db.transaction() as s:
        channels.set_paused(
            s, s.merge(scene.channels[0]), paused=True, actor=s.merge(scene.manager)
        )
    r, now = runner(rt), utcnow()
    for _ in range(MAX_ATTEMPTS + 3):  # however long it stays paused, it never fails
        r.run_once(now)
        now += timedelta(days=1)
    (d,) = deliveries(rt)
    assert d.state == "scheduled" and "paused" in (d.last_error or "")
    assert not records(rt)
    with rt.db.transaction() as s:
        channels.set_paused(
            s, s.merge(scene.channels[0]), paused=False, actor=s.merge(scene.manager)
        )
    r.run_until_idle(now + timedelta(days=1))
    (d,) = deliveries(rt)
    assert (d.state, d.last_error) == ("published", None)
    assert post_state(rt, post_id) == PostState.published


def test_resuming_a_channel_makes_its_waiting_deliveries_due_at_once(
    rt: Runtime, scene: Scene
) -> None:
    due_id = make_post(rt, scene, n=1)
    when = utcnow() + timedelta(hours=2)
    later_id = make_post(rt, scene, when=when, n=1)
    channel = scene.channels[0]
    with rt.db.transaction() as s:
        channels.set_paused(s, s.merge(channel), paused=True, actor=s.merge(scene.manager))
    r, now = runner(rt), utcnow()
    for _ in range(6):  # the worker looks less and less often
        r.run_once(now)
        (d,) = deliveries(rt, due_id)
        assert d.state == "scheduled" and d.next_attempt_at
        now = d.next_attempt_at
    assert d.next_attempt_at - utcnow() > timedelta(minutes=10)
    with rt.db.transaction() as s:
        channels.set_paused(s, s.merge(channel), paused=False, actor=s.merge(scene.manager))
    (d,) = deliveries(rt, due_id)
    (future,) = deliveries(rt, later_id)
    assert d.next_attempt_at and d.next_attempt_at <= utcnow()
    assert (d.attempts, future.next_attempt_at) == (0, when)  # a post still to come keeps its time
    assert r.run_once() == 1  # the next cycle, not in 15 minutes
    assert post_state(rt, due_id) == PostState.published
    assert post_state(rt, later_id) == PostState.scheduled
    assert list(records(rt)) == [d.idempotency_key]


def test_counts_stay_consistent_with_many_deliveries(rt: Runtime, scene: Scene) -> None:
    for _ in range(30):
        make_post(rt, scene)
    runner(rt, batch=16).run_until_idle()
    with rt.db.transaction(write=False) as s:
        assert s.scalar(select(func.count()).select_from(PreviewRecord)) == 60
        states = Counter(s.scalars(select(Post.state)))
    assert states == {PostState.published: 30}


def test_the_worker_goes_on_after_the_server_closed_its_connections(
    rt: Runtime, scene: Scene, caplog: pytest.LogCaptureFixture
) -> None:
    if rt.db.is_sqlite:
        pytest.skip("PostgreSQL only: a server restart closes the pool's connections")
    make_post(rt, scene)
    worker_rt = Runtime(rt.settings, role="worker")  # as `palabre worker`: no pre-ping
    r = runner(worker_rt)
    r.run_until_idle()  # the pool now holds connections
    post_id = make_post(rt, scene)
    # What a restart does to them: the server ends every other session of the database.
    admin = create_engine(rt.db.url, poolclass=NullPool)
    with admin.connect() as conn:
        ended = conn.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    admin.dispose()
    assert ended
    assert r.run_once() == 2  # the very next cycle claims on a fresh connection, publishes
    assert "database connection lost" in caplog.text
    r.run_until_idle()
    assert post_state(rt, post_id) == PostState.published
    assert sum(records(rt).values()) == 4
    worker_rt.close()


def test_a_bug_in_a_handler_is_logged_and_shown_as_a_plain_sentence(
    rt: Runtime, scene: Scene, calls: Calls, caplog: pytest.LogCaptureFixture
) -> None:
    make_post(rt, scene, n=1)
    calls.failures = [RuntimeError("KeyError deep inside an adapter")]
    with caplog.at_level("ERROR"):
        runner(rt).run_once()
    (d,) = deliveries(rt)
    assert d.state == "publishing" and d.attempts == 1  # tried again later, not lost
    assert d.last_error == UNEXPECTED and "KeyError" not in d.last_error
    assert "KeyError deep inside an adapter" in caplog.text  # the log has the trace


def test_a_finished_delivery_tells_how_many_attempts_it_took(
    rt: Runtime, scene: Scene, calls: Calls
) -> None:
    make_post(rt, scene, n=1)
    calls.failures = [TransientError("timeout")]
    r, now = runner(rt), utcnow()
    r.run_once(now)
    (d,) = deliveries(rt)
    r.run_once(d.next_attempt_at)
    (d,) = deliveries(rt)
    assert (d.state, d.attempts) == ("published", 2)
