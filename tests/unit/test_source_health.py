"""A source's health light, from what the worker last wrote."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from palabre.sources.fetch_models import SourceFetch
from palabre.sources.health import health_of
from palabre.sources.models import Source

NOW = datetime(2026, 11, 21, 10, tzinfo=UTC)
HOUR = timedelta(hours=1)


def source(**kw: object) -> Source:
    values: dict[str, object] = {"url": "https://musee.example.org/feed.xml", "paused": False}
    return Source(**{**values, **kw})


def row(due: datetime | None) -> SourceFetch:
    return SourceFetch(state="polling", next_attempt_at=due)


def test_the_light_of_each_situation() -> None:
    ok = {"last_success_at": NOW - HOUR}
    assert health_of(source(**ok), row(NOW + HOUR), NOW).state == "working"
    assert health_of(source(**ok), row(NOW - 2 * HOUR), NOW).state == "late"
    assert health_of(source(**ok), row(NOW - timedelta(minutes=10)), NOW).state == "working"
    failing = {**ok, "last_error": "Too many redirects.", "last_error_at": NOW - HOUR / 2}
    assert health_of(source(**failing), row(NOW + HOUR), NOW).state == "failing"
    recovered = {**failing, "last_success_at": NOW}
    assert health_of(source(**recovered), row(NOW + HOUR), NOW).state == "working"
    assert health_of(source(**ok, paused=True), row(NOW + HOUR), NOW).state == "paused"
    assert health_of(source(**ok, paused=True), row(NOW + HOUR), NOW).next_check_at is None
    assert health_of(source(url=None, **ok), None, NOW).state == "file"
    assert health_of(source(), row(NOW + HOUR), NOW).state == "waiting"
