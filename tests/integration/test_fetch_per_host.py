"""PALABRE_FETCH_PER_HOST: how many requests the sources' worker sends one host at a time —
an administrator setting, checked when Palabre starts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from palabre.core.config import Settings, SettingsError, load_settings
from palabre.core.runtime import Runtime
from palabre.sources.fetch_models import SourceFetch
from palabre.stator import StatorRunner
from tests import sources_support as s
from tests.fakes.feed_server import FeedServer
from tests.integration.test_cli import env, run  # noqa: F401 (env is a fixture)

SOURCES = 6


@pytest.fixture
def runtime_with(
    rt: Runtime, database_url: str, secret_key: str, data_dir: Path
) -> Iterator[object]:
    """A runtime on the test database (emptied by ``rt``) with the given per-host cap."""
    made: list[Runtime] = []

    def make(per_host: int) -> Runtime:
        settings = Settings(
            data_dir=data_dir,
            database_url=database_url,
            secret_key=secret_key,
            fetch_allowlist="127.0.0.1,localhost",
            fetch_per_host=per_host,
        )
        made.append(Runtime(settings, role="worker"))
        return made[-1]

    yield make
    for one in made:
        one.close()


@pytest.mark.parametrize("per_host", [1, 4])
def test_the_worker_asks_one_host_at_most_per_host_at_a_time(
    rt: Runtime, runtime_with, feed_server: FeedServer, per_host: int
) -> None:
    t = s.team(rt)
    for n in range(SOURCES):
        # ~3 kB sent 1 kB at a time, 50 ms apart, never "not modified": ~0.1 s an answer.
        url = feed_server.serve(
            f"/f{n}.xml", s.rss(s.entries(6)), chunk_delay=0.05, conditional=False
        )
        s.add_source(rt, t, url)
    feed_server.most_busy = 0
    worker = runtime_with(per_host)
    StatorRunner(worker.db, [SourceFetch], services=worker.worker_services()).run_once(
        s.NOW + timedelta(days=2)
    )
    assert sum(feed_server.count(f"/f{n}.xml") for n in range(SOURCES)) == 2 * SOURCES
    if per_host == 1:
        assert feed_server.most_busy == 1
    else:  # the worker's 16 threads start together: more than the default 2, at most 4
        assert 3 <= feed_server.most_busy <= per_host


def test_the_default_is_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PALABRE_FETCH_PER_HOST", raising=False)
    assert load_settings().fetch_per_host == 2
    monkeypatch.setenv("PALABRE_FETCH_PER_HOST", " 16 ")
    assert load_settings().fetch_per_host == 16


@pytest.mark.parametrize("value", ["0", "17", "abc", "2.5", "-1", ""])
def test_a_value_out_of_range_is_refused_in_plain_words(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("PALABRE_FETCH_PER_HOST", value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value) == (
        "Palabre cannot start: PALABRE_FETCH_PER_HOST must be a whole number from 1 to 16 "
        f"(requests at a time to one host); it is {value.strip()!r}."
    )


def test_palabre_does_not_start_with_an_invalid_value(env: dict[str, str]) -> None:  # noqa: F811
    for command in (["migrate"], ["serve", "--port", "1"], ["worker"]):
        result = run(command, {**env, "PALABRE_FETCH_PER_HOST": "40"})
        assert result.returncode == 2, result.stderr
        assert "PALABRE_FETCH_PER_HOST must be a whole number from 1 to 16" in result.stderr
        assert "it is '40'" in result.stderr and "Traceback" not in result.stderr
    other = run(["migrate"], {**env, "PALABRE_SESSION_DAYS": "two weeks"})
    assert other.returncode == 2 and "PALABRE_SESSION_DAYS:" in other.stderr
    assert "Traceback" not in other.stderr
