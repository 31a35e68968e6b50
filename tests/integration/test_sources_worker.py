"""Fetching feeds for real (a local web server) through the worker, one cycle at a time:
first fetch and backlog, 304s, the adaptive interval, backoff, Retry-After, bad bodies,
and dedupe within and across sources."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from palabre.core.runtime import Runtime
from palabre.sources import worker
from tests import sources_support as s
from tests.fakes.feed_server import FeedServer

NOW = s.NOW


def test_first_fetch_keeps_only_the_newest_item_as_news(
    rt: Runtime, feed_server: FeedServer
) -> None:
    t = s.team(rt)
    url = feed_server.serve("/feed.xml", s.rss(s.entries(5)))
    source_id = s.add_source(rt, t, url)
    rows = s.items(rt, source_id)
    assert len(rows) == 5
    news = s.fresh(rows)
    assert [i.guid for i in news] == ["https://musee.example.org/actualites/4"]  # the newest
    assert sum(i.backlog for i in rows) == 4
    src = s.source(rt, source_id)
    assert src.items_seen == 5 and src.last_success_at is not None and src.last_error is None
    assert src.title == "Musée des Beaux-Arts — actualités"
    # summaries are stored sanitised, with their text for posts, links made canonical
    assert all(i.canonical_link and "utm_" not in i.canonical_link for i in rows)
    assert all(i.summary_text and "<" not in i.summary_text for i in rows)


def test_first_fetch_keep_is_per_source(rt: Runtime, feed_server: FeedServer) -> None:
    t = s.team(rt)
    url = feed_server.serve("/feed.xml", s.rss(s.entries(6)))
    source_id = s.add_source(rt, t, url, keep=3)
    assert len(s.fresh(s.items(rt, source_id))) == 3


def test_the_second_pass_is_a_304_and_changes_nothing(rt: Runtime, feed_server: FeedServer) -> None:
    t = s.team(rt)
    url = feed_server.serve("/feed.xml", s.rss(s.entries(3)))
    source_id = s.add_source(rt, t, url)
    due = s.fetch_row(rt, source_id).next_attempt_at
    assert due is not None
    assert s.runner(rt).run_once(due + timedelta(seconds=1)) == 1
    assert feed_server.hits[-1].headers.get("if-none-match")
    assert len(s.items(rt, source_id)) == 3
    src = s.source(rt, source_id)
    assert src.last_success_at is not None and src.last_success_at > NOW


def test_a_new_item_is_news_after_the_first_fetch(rt: Runtime, feed_server: FeedServer) -> None:
    t = s.team(rt)
    old = s.entries(3)
    url = feed_server.serve("/feed.xml", s.rss(old))
    source_id = s.add_source(rt, t, url)
    later = NOW + timedelta(hours=2)
    newest = s.Entry(
        "urn:new",
        "Le musée rouvre sa galerie de sculptures",
        "https://musee.example.org/sculptures",
        "<p>Après deux ans de travaux, la galerie rouvre.</p>",
        later,
    )
    feed_server.serve("/feed.xml", s.rss([newest, *old]))
    s.runner(rt).run_once(later + timedelta(days=1))
    news = s.fresh(s.items(rt, source_id))
    assert [i.guid for i in news] == [old[0].guid, "urn:new"]


def test_the_interval_follows_how_often_the_source_publishes(
    rt: Runtime, feed_server: FeedServer
) -> None:
    t = s.team(rt)
    busy = feed_server.serve("/busy.xml", s.rss(s.entries(700, every=timedelta(minutes=10))))
    weekly = feed_server.serve("/weekly.xml", s.rss(s.entries(40, every=timedelta(hours=1))))
    quiet = feed_server.serve("/quiet.xml", s.rss(s.entries(3, start=NOW - timedelta(days=60))))
    intervals = {}
    for name, url in (("busy", busy), ("weekly", weekly), ("quiet", quiet)):
        source_id = s.add_source(rt, t, url)
        row = s.fetch_row(rt, source_id)
        assert row.next_attempt_at == NOW + timedelta(seconds=row.interval_seconds)
        intervals[name] = timedelta(seconds=row.interval_seconds)
    assert intervals["busy"] == timedelta(minutes=15)  # 700 a week: the floor
    assert intervals["weekly"] == timedelta(days=7) / 40
    assert intervals["quiet"] == timedelta(hours=24)  # nothing this week: the ceiling


def test_errors_back_off_and_show_on_the_health_then_clear(
    rt: Runtime, feed_server: FeedServer
) -> None:
    t = s.team(rt)
    url = feed_server.serve("/feed.xml", s.rss(s.entries(2)))
    source_id = s.add_source(rt, t, url)
    feed_server.fail("/feed.xml", 500)
    runner = s.runner(rt)
    when = s.fetch_row(rt, source_id).next_attempt_at
    assert when is not None
    delays = []
    for _ in range(3):
        runner.run_once(when)
        row = s.fetch_row(rt, source_id)
        assert row.next_attempt_at is not None
        delays.append(row.next_attempt_at - when)
        when = row.next_attempt_at
    assert delays == [timedelta(minutes=15), timedelta(minutes=30), timedelta(minutes=60)]
    src = s.source(rt, source_id)
    assert (
        src.last_error == "The server had an error (HTTP %(code)s); Palabre will try again later."
    )
    assert src.last_error_params == {"code": "500"}
    assert len(s.items(rt, source_id)) == 2
    feed_server.serve("/feed.xml", s.rss(s.entries(2)))
    runner.run_once(when)
    src = s.source(rt, source_id)
    assert src.last_error is None and src.last_success_at == when
    assert s.fetch_row(rt, source_id).attempts == 0


def test_retry_after_is_obeyed(rt: Runtime, feed_server: FeedServer) -> None:
    t = s.team(rt)
    url = feed_server.serve("/feed.xml", s.rss(s.entries(2)))
    source_id = s.add_source(rt, t, url)
    feed_server.fail("/feed.xml", 429, retry_after="7200")
    when = s.fetch_row(rt, source_id).next_attempt_at
    assert when is not None
    runner = s.runner(rt)
    runner.run_once(when)
    assert s.fetch_row(rt, source_id).next_attempt_at == when + timedelta(seconds=7200)
    hits = len(feed_server.hits)
    assert runner.run_once(when + timedelta(seconds=7199)) == 0  # not before it says
    assert len(feed_server.hits) == hits
    assert s.source(rt, source_id).last_error == (
        "The server asks Palabre to slow down; it will try again later."
    )


def test_a_malformed_body_records_an_error_and_touches_nothing_else(
    rt: Runtime, feed_server: FeedServer
) -> None:
    t = s.team(rt)
    url = feed_server.serve("/feed.xml", s.rss(s.entries(3)))
    source_id = s.add_source(rt, t, url)
    other = s.add_source(rt, t, feed_server.serve("/other.xml", s.rss(s.entries(2))))
    before = s.source(rt, source_id)
    feed_server.serve("/feed.xml", b"\x00\x01 this is not a feed at all {{{", "application/rss+xml")
    when = s.fetch_row(rt, source_id).next_attempt_at
    assert when is not None
    s.runner(rt).run_once(when)
    after = s.source(rt, source_id)
    assert after.last_error and after.last_error_at == when
    assert after.etag == before.etag and after.items_seen == before.items_seen
    assert len(s.items(rt, source_id)) == 3
    assert s.source(rt, other).last_error is None


def test_a_web_page_in_place_of_a_feed_says_so(rt: Runtime, feed_server: FeedServer) -> None:
    t = s.team(rt)
    url = feed_server.serve("/feed.xml", s.rss(s.entries(1)))
    source_id = s.add_source(rt, t, url)
    feed_server.serve(
        "/feed.xml", "<!DOCTYPE html><html><body>Maintenance</body></html>", "text/html"
    )
    when = s.fetch_row(rt, source_id).next_attempt_at
    assert when is not None
    s.runner(rt).run_once(when)
    assert "web page" in (s.source(rt, source_id).last_error or "")


def test_replaying_a_feed_makes_nothing_new(rt: Runtime, feed_server: FeedServer) -> None:
    t = s.team(rt)
    url = feed_server.serve("/feed.xml", s.rss(s.entries(4)), conditional=False)
    source_id = s.add_source(rt, t, url)
    runner = s.runner(rt)
    for day in range(1, 4):
        runner.run_once(NOW + timedelta(days=day))
    assert len(s.items(rt, source_id)) == 4
    assert len(s.fresh(s.items(rt, source_id))) == 1


def test_a_feed_whose_every_id_changed_brings_no_wave(rt: Runtime, feed_server: FeedServer) -> None:
    t = s.team(rt)
    old = s.entries(5)
    url = feed_server.serve("/feed.xml", s.rss(old))
    source_id = s.add_source(rt, t, url)
    renumbered = [
        s.Entry("tag:new-cms:" + e.guid[-1], e.title, e.link, e.summary, e.published) for e in old
    ]
    feed_server.serve("/feed.xml", s.rss(renumbered))
    s.runner(rt).run_once(NOW + timedelta(days=1))
    rows = s.items(rt, source_id)
    assert len(rows) == 10
    assert len(s.fresh(rows)) == 1  # still the one news of the first fetch


def test_the_same_news_from_two_sources_is_one_news(rt: Runtime, feed_server: FeedServer) -> None:
    t = s.team(rt)
    a = s.add_source(rt, t, feed_server.serve("/a.xml", s.rss(s.entries(1))))
    shared = s.entries(1)[0]
    # the same article through an aggregator: its own guid, tracking parameters on the link
    relayed = s.Entry(
        "agg-991",
        shared.title,
        (shared.link or "") + "&utm_medium=social&fbclid=x",
        shared.summary,
        shared.published,
    )
    b = s.add_source(rt, t, feed_server.serve("/b.xml", s.rss([relayed])))
    first, second = s.items(rt, a)[0], s.items(rt, b)[0]
    assert second.duplicate_of_id == first.id and first.duplicate_of_id is None


def test_a_near_duplicate_text_under_another_link_is_one_news(
    rt: Runtime, feed_server: FeedServer
) -> None:
    t = s.team(rt)
    story = s.Entry(
        "urn:1",
        "Le musée des Beaux-Arts accueille une exposition exceptionnelle de Monet",
        "https://musee.example.org/monet",
        "<p>Du 3 mars au 30 juin, le musée des Beaux-Arts présente vingt toiles de Claude Monet "
        "prêtées par les plus grands musées européens, dont trois jamais montrées en France.</p>",
        NOW,
    )
    a = s.add_source(rt, t, feed_server.serve("/a.xml", s.rss([story])))
    copy = s.Entry(
        "urn:press-2",
        "Le musée des Beaux-Arts accueille une exposition exceptionnelle de Monet !",
        "https://presse.example.net/culture/monet-au-musee",
        story.summary,
        NOW,
    )
    b = s.add_source(rt, t, feed_server.serve("/b.xml", s.rss([copy])))
    assert s.items(rt, b)[0].duplicate_of_id == s.items(rt, a)[0].id


def test_a_paused_source_is_not_fetched(rt: Runtime, feed_server: FeedServer) -> None:
    from palabre.sources import services
    from palabre.sources.models import Source
    from palabre.team.models import User

    t = s.team(rt)
    url = feed_server.serve("/feed.xml", s.rss(s.entries(1)))
    source_id = s.add_source(rt, t, url)
    with rt.db.transaction() as session:
        src = session.get(Source, source_id)
        actor = session.get(User, t.manager.id)
        assert src is not None and actor is not None
        services.update_source(session, src, actor=actor, paused=True)
    hits = len(feed_server.hits)
    s.runner(rt).run_once(NOW + timedelta(days=2))
    assert len(feed_server.hits) == hits
    with rt.db.transaction() as session:
        src = session.get(Source, source_id)
        actor = session.get(User, t.manager.id)
        assert src is not None and actor is not None
        services.update_source(session, src, actor=actor, paused=False)
    row = s.fetch_row(rt, source_id)
    assert row.next_attempt_at is not None and row.next_attempt_at <= NOW + timedelta(days=2)
    s.runner(rt).run_once(NOW + timedelta(days=2))
    assert len(feed_server.hits) == hits + 1


def test_the_same_news_twice_in_one_feed_is_one_news(rt: Runtime, feed_server: FeedServer) -> None:
    t = s.team(rt)
    url = feed_server.serve("/feed.xml", s.rss(s.entries(1)))
    source_id = s.add_source(rt, t, url)
    later = NOW + timedelta(hours=3)
    story = s.Entry(
        "urn:a",
        "Le musée ouvre le dimanche matin",
        "https://musee.example.org/dimanche",
        "<p>Dès janvier.</p>",
        later,
    )
    again = s.Entry("urn:b", story.title, story.link + "?utm_campaign=news", story.summary, later)
    feed_server.serve("/feed.xml", s.rss([story, again, *s.entries(1)]))
    s.runner(rt).run_once(later + timedelta(days=1))
    rows = {i.guid: i for i in s.items(rt, source_id)}
    assert rows["urn:a"].duplicate_of_id is None and not rows["urn:a"].backlog
    assert rows["urn:b"].duplicate_of_id == rows["urn:a"].id


def test_bad_answers_end_on_the_health_in_plain_words(rt: Runtime, feed_server: FeedServer) -> None:
    t = s.team(rt)
    url = feed_server.serve("/feed.xml", s.rss(s.entries(2)))
    source_id = s.add_source(rt, t, url)
    runner = s.runner(rt)
    when = NOW + timedelta(days=1)
    cases = [
        (lambda: feed_server.redirect("/feed.xml", "/loop/0"), "Too many redirects."),
        (
            lambda: feed_server.serve("/feed.xml", b"<rss>" + b" " * (6 * 1024 * 1024)),
            "The page is larger than %(size)s.",
        ),
    ]
    for arrange, message in cases:
        arrange()
        runner.run_once(when)
        src = s.source(rt, source_id)
        assert src.last_error == message and src.last_error_at == when
        when = s.fetch_row(rt, source_id).next_attempt_at or when
    assert s.source(rt, source_id).last_error_params == {"size": "5 MB"}
    assert len(s.items(rt, source_id)) == 2


def test_a_feed_served_with_a_wrong_content_type_is_still_read(
    rt: Runtime, feed_server: FeedServer
) -> None:
    t = s.team(rt)
    url = feed_server.serve("/feed.xml", s.rss(s.entries(3)), "text/html; charset=utf-8")
    source_id = s.add_source(rt, t, url)
    assert len(s.items(rt, source_id)) == 3 and s.source(rt, source_id).last_error is None


def test_a_source_that_moved_for_good_is_fetched_at_its_new_address(
    rt: Runtime, feed_server: FeedServer
) -> None:
    from sqlalchemy import select

    from palabre.team.models import AuditEntry

    t = s.team(rt)
    source_id = s.add_source(rt, t, feed_server.serve("/feed.xml", s.rss(s.entries(2))))
    new = feed_server.serve("/nouveau/feed.xml", s.rss(s.entries(2)))
    feed_server.redirect("/feed.xml", "/nouveau/feed.xml", status=301)
    s.runner(rt).run_once(NOW + timedelta(days=1))
    assert s.source(rt, source_id).url == new
    with rt.db.transaction(write=False) as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "source.moved"))
        assert entry is not None and entry.details["new"] == new
    hits = feed_server.count("/feed.xml")
    s.runner(rt).run_once(NOW + timedelta(days=3))
    assert feed_server.count("/feed.xml") == hits  # the old address is not asked again


def test_postgresql_statistics_are_refreshed_after_many_new_items(
    rt: Runtime, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new workspace adding many feeds fills the items' table within one worker cycle:
    the worker has PostgreSQL refresh its statistics (else the link and fingerprint
    lookups are planned for an empty table and walk all of it, for every source)."""
    if rt.db.is_sqlite:
        pytest.skip("PostgreSQL's planner statistics")
    monkeypatch.setattr(worker, "ANALYZE_AFTER", 5)
    t = s.team(rt)
    news = s.entries(9)
    url = feed_server.serve("/feed.xml", s.rss(news[7:]))
    source_id = s.add_source(rt, t, url)  # the 2 oldest, stored by the request itself
    feed_server.serve("/feed.xml", s.rss(news))
    s.runner(rt).run_once(NOW + timedelta(days=1))
    assert len(s.items(rt, source_id)) == 9  # 7 new items in the worker's cycle: >= 5
    with rt.db.transaction(write=False) as session:
        counted = session.scalar(
            text("SELECT reltuples FROM pg_class WHERE relname = 'source_items'")
        )
    assert counted == 9  # what ANALYZE counted: the table as the worker left it


def test_a_redirect_to_the_same_address_written_otherwise_is_not_a_move(
    rt: Runtime, feed_server: FeedServer
) -> None:
    """``http://localhost:PORT/feed.xml`` sent to ``HTTP://LocalHost:PORT/feed.xml``: the
    source keeps its address and the audit log says nothing; a source of the workspace
    already at the new address, however written, is not followed either."""
    from sqlalchemy import select

    from palabre.team.models import AuditEntry

    t = s.team(rt)
    feed_server.serve("/feed.xml", s.rss(s.entries(2)))
    url = feed_server.url("/feed.xml", host="localhost")
    source_id = s.add_source(rt, t, url)
    port = feed_server.port
    feed_server.redirect("/feed.xml", f"HTTP://LocalHost:{port}/feed.xml", status=301, once=True)
    s.runner(rt).run_once(NOW + timedelta(days=1))
    assert feed_server.count("/feed.xml") == 3  # added, redirected, served
    assert s.source(rt, source_id).url == url and s.source(rt, source_id).last_error is None
    # Another source of the workspace already reads the new address (written otherwise).
    other = s.add_source(rt, t, feed_server.serve("/nouveau.xml", s.rss(s.entries(3))))
    feed_server.redirect("/feed.xml", f"http://127.0.0.1:{port}/nouveau.xml", status=301)
    s.runner(rt).run_once(NOW + timedelta(days=3))
    assert s.source(rt, source_id).url == url
    assert s.source(rt, other).url == feed_server.url("/nouveau.xml")
    with rt.db.transaction(write=False) as session:
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "source.moved")) is None


def test_the_other_source_is_recognised_however_its_address_is_written(
    rt: Runtime, feed_server: FeedServer
) -> None:
    t = s.team(rt)
    source_id = s.add_source(rt, t, feed_server.serve("/feed.xml", s.rss(s.entries(2))))
    feed_server.serve("/nouveau.xml", s.rss(s.entries(3)))
    s.add_source(rt, t, feed_server.url("/nouveau.xml", host="localhost"))
    port = feed_server.port
    feed_server.redirect("/feed.xml", f"http://LOCALHOST:{port}/nouveau.xml", status=301)
    s.runner(rt).run_once(NOW + timedelta(days=1))
    assert s.source(rt, source_id).url == feed_server.url("/feed.xml")
