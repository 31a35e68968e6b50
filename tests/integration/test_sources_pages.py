"""The sources pages for each role: the list with its health lights, adding a source from
an address, a web page (choosing among its feeds) or a file, a source's page with its
items (sanitised) or coming occurrences, and its actions."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from palabre.core.deps import LANG_COOKIE
from palabre.core.runtime import Runtime
from palabre.sources.models import Source
from palabre.team.models import AuditEntry, User
from tests import factories as f
from tests import sources_support as s
from tests.fakes.feed_server import FeedServer

MANAGERS = {"owner", "manager"}
MEMBERS_UP = {"owner", "manager", "member"}
HOSTILE = (
    '<p>Vernissage jeudi.<script>alert("x")</script>'
    '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">lien</a></p>'
)


def signed_in(rt: Runtime, client: TestClient, role: str, lang: str = "en") -> User:
    with rt.db.transaction() as session:
        ws = f.workspace(session)
        speaks = None if lang == "fr" else "en"  # None: the workspace's French
        owner = f.user(session, ws, "owner", email="owner@example.org", language=speaks)
        me = (
            owner
            if role == "owner"
            else f.user(session, ws, role, email=f"{role}@example.org", language=speaks)
        )
        session.expunge_all()
    f.sign_in(client, me.email)
    client.cookies.set(LANG_COOKIE, lang)
    return me


def add_as_owner(rt: Runtime, url: str, kind: str = "feed") -> int:
    with rt.db.transaction(write=False) as session:
        ws_id = session.scalar(select(User.workspace_id).where(User.email == "owner@example.org"))
        owner_id = session.scalar(select(User.id).where(User.email == "owner@example.org"))
    from palabre.team.models import Workspace

    with rt.db.transaction(write=False) as session:
        ws = session.get(Workspace, ws_id)
        owner = session.get(User, owner_id)
        session.expunge_all()
    assert ws is not None and owner is not None
    return s.add_source(rt, s.Team(ws, owner), url, kind=kind)


def post(client: TestClient, path: str, **data: str) -> httpx.Response:
    return client.post(path, data={**data, "csrf_token": f.csrf_of(client)}, follow_redirects=False)


def count_sources(rt: Runtime) -> int:
    with rt.db.transaction(write=False) as session:
        return session.scalar(select(func.count()).select_from(Source)) or 0


@pytest.mark.parametrize("role", f.ROLES)
def test_every_role_sees_the_sources_and_their_health(
    rt: Runtime, client: TestClient, feed_server: FeedServer, role: str
) -> None:
    signed_in(rt, client, role)
    source_id = add_as_owner(rt, feed_server.serve("/feed.xml", s.rss(s.entries(2))))
    page = client.get("/sources")
    assert page.status_code == 200
    assert "Musée des Beaux-Arts — actualités" in page.text
    assert "light-working" in page.text and ">working<" in page.text
    assert ('/sources/new"' in page.text) == (role in MEMBERS_UP)
    detail = client.get(f"/sources/{source_id}")
    assert detail.status_code == 200 and "Latest items" in detail.text
    assert ("Check now" in detail.text) == (role in MEMBERS_UP)
    assert ("Remove the source" in detail.text) == (role in MANAGERS)
    new = client.get("/sources/new")
    assert new.status_code == (200 if role in MEMBERS_UP else 403)


@pytest.mark.parametrize("role", f.ROLES)
def test_who_may_add_check_pause_and_remove(
    rt: Runtime, client: TestClient, feed_server: FeedServer, role: str
) -> None:
    signed_in(rt, client, role)
    source_id = add_as_owner(rt, feed_server.serve("/feed.xml", s.rss(s.entries(2))))
    url = feed_server.serve("/other.xml", s.rss(s.entries(1)))
    added = post(client, "/sources", kind="feed", url=url, name="Autre")
    assert added.status_code == (303 if role in MEMBERS_UP else 403)
    for action in ("refresh", "pause", "resume"):
        resp = post(client, f"/sources/{source_id}/{action}")
        assert resp.status_code == (303 if role in MEMBERS_UP else 403), action
    chose = post(client, f"/sources/{source_id}/use-feed", url=url)  # offered by no page
    assert chose.status_code == (422 if role in MEMBERS_UP else 403)
    removed = post(client, f"/sources/{source_id}/delete")
    assert removed.status_code == (303 if role in MANAGERS else 403)
    assert count_sources(rt) == 1 + (role in MEMBERS_UP) - (role in MANAGERS)


def test_adding_from_a_web_page_offers_its_feeds(
    rt: Runtime, client: TestClient, feed_server: FeedServer
) -> None:
    signed_in(rt, client, "member")
    page = feed_server.serve(
        "/",
        '<html><head><link rel="alternate" type="application/rss+xml" title="Actualités" '
        'href="/feed.xml"></head><body>Accueil</body></html>',
        "text/html",
    )
    shown = post(client, "/sources", kind="feed", url=page, name="")
    assert shown.status_code == 422
    assert "Choose the feed to follow" in shown.text and "Actualités" in shown.text
    assert f'value="{feed_server.url("/feed.xml")}"' in shown.text
    feed_server.serve("/feed.xml", s.rss(s.entries(1)))
    chosen = post(client, "/sources", kind="feed", url=feed_server.url("/feed.xml"), name="")
    assert chosen.status_code == 303
    assert client.get(chosen.headers["location"]).status_code == 200


def test_a_refused_address_comes_back_with_its_message(rt: Runtime, client: TestClient) -> None:
    signed_in(rt, client, "manager")
    resp = post(client, "/sources", kind="feed", url="http://192.168.0.10/rss", name="Intranet")
    assert resp.status_code == 422
    assert "This address points to a private network" in resp.text
    assert 'value="Intranet"' in resp.text  # what was typed is kept
    assert count_sources(rt) == 0


def test_a_file_upload_and_its_items_shown_sanitised(rt: Runtime, client: TestClient) -> None:
    signed_in(rt, client, "member")
    feed = s.rss([s.Entry("urn:v", "Vernissage", "https://musee.example.org/v", HOSTILE, s.NOW)])
    resp = client.post(
        "/sources",
        data={"kind": "feed", "name": "", "url": "", "csrf_token": f.csrf_of(client)},
        files={"file": ("actus.xml", feed.encode(), "application/rss+xml")},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    page = client.get(resp.headers["location"]).text
    assert "Vernissage jeudi." in page and "from a file" in page
    assert "<script>alert" not in page and "onerror" not in page and "javascript:" not in page
    assert "Check now" not in page  # nothing to fetch


def test_check_now_pause_and_rename_from_the_page(
    rt: Runtime, client: TestClient, feed_server: FeedServer
) -> None:
    signed_in(rt, client, "manager")
    url = feed_server.serve("/feed.xml", s.rss(s.entries(1)))
    source_id = add_as_owner(rt, url)
    feed_server.fail("/feed.xml", 404)
    checked = post(client, f"/sources/{source_id}/refresh")
    page = client.get(checked.headers["location"]).text
    assert "The check failed" in page
    assert "Nothing was found at this address (HTTP 404)." in page and "light-failing" in page
    paused = client.get(post(client, f"/sources/{source_id}/pause").headers["location"]).text
    assert "light-paused" in paused and "Resume" in paused
    bad = post(client, f"/sources/{source_id}/edit", name="", weight="abc")
    assert bad.status_code == 422 and "Give the source a name." in bad.text
    assert "Enter a number between 0 and 10." in bad.text
    post(client, f"/sources/{source_id}/edit", name="Actus", weight="2,5")
    with rt.db.transaction(write=False) as session:
        src = session.get(Source, source_id)
        assert src is not None and src.name == "Actus" and src.weight == 2.5
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-3:] == ["source.refreshed", "source.paused", "source.updated"]
    audit = client.get("/audit").text
    assert "paused the source Actus" in audit and "asked to check the source Actus now" in audit


def test_check_now_on_the_page_says_until_when_the_server_asked_to_wait(
    rt: Runtime, client: TestClient, feed_server: FeedServer
) -> None:
    signed_in(rt, client, "member")
    url = feed_server.serve("/feed.xml", s.rss(s.entries(1)))
    source_id = add_as_owner(rt, url)
    feed_server.fail("/feed.xml", 503, retry_after="1800")
    post(client, f"/sources/{source_id}/refresh")
    hits = len(feed_server.hits)
    again = post(client, f"/sources/{source_id}/refresh")
    assert again.status_code == 422 and "asked Palabre to wait until" in again.text
    assert len(feed_server.hits) == hits


HOME = (
    "<!DOCTYPE html><html><head><title>Musée</title>"
    '<link rel="alternate" type="application/rss+xml" title="Nouvelles" href="/actus/rss">'
    "</head><body><h1>Notre nouveau site</h1></body></html>"
)


def test_a_source_that_starts_serving_a_web_page_offers_its_feeds(
    rt: Runtime, client: TestClient, feed_server: FeedServer
) -> None:
    signed_in(rt, client, "manager")
    url = feed_server.serve("/feed.xml", s.rss(s.entries(1)))
    source_id = add_as_owner(rt, url)
    feed_server.serve("/feed.xml", HOME, "text/html; charset=utf-8")  # the site was redone
    checked = post(client, f"/sources/{source_id}/refresh")
    page = client.get(checked.headers["location"]).text
    assert "now serves a web page, not a feed" in page and "remove the source" not in page
    new_feed = feed_server.url("/actus/rss")
    assert "Nouvelles" in page and new_feed in page and "Use this feed" in page
    not_offered = post(client, f"/sources/{source_id}/use-feed", url=feed_server.url("/x"))
    assert not_offered.status_code == 422
    assert "Choose one of the feeds the page offers." in not_offered.text
    newer = s.Entry("urn:new", "Le nouveau site est en ligne", feed_server.url("/n"), "", s.NOW)
    feed_server.serve("/actus/rss", s.rss([newer, *s.entries(1)]))
    chosen = post(client, f"/sources/{source_id}/use-feed", url=new_feed)
    page = client.get(chosen.headers["location"]).text
    assert "The source now reads the feed you chose" in page and "light-working" in page
    assert "Use this feed" not in page
    with rt.db.transaction(write=False) as session:
        src = session.get(Source, source_id)
        assert src is not None and src.url == new_feed and src.offered_feeds is None
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.action == "source.feed_chosen"
    assert "chose the feed the source" in client.get("/audit").text


def test_forms_without_the_csrf_token_are_refused(
    rt: Runtime, client: TestClient, feed_server: FeedServer
) -> None:
    signed_in(rt, client, "manager")
    source_id = add_as_owner(rt, feed_server.serve("/feed.xml", s.rss(s.entries(1))))
    resp = client.post(f"/sources/{source_id}/delete", follow_redirects=False)
    assert resp.status_code == 403 and count_sources(rt) == 1


def test_the_pages_speak_french(rt: Runtime, client: TestClient, feed_server: FeedServer) -> None:
    signed_in(rt, client, "manager", lang="fr")
    add_as_owner(rt, feed_server.serve("/feed.xml", s.rss(s.entries(1))))
    page = client.get("/sources").text
    assert re.search(r"<h1>Sources</h1>", page) and "Ajouter une source" in page
    assert "fonctionne" in page


def test_an_agenda_page_shows_its_coming_events(
    rt: Runtime, client: TestClient, feed_server: FeedServer
) -> None:
    from tests.integration.test_sources_agenda import CONCERT, TALK, calendar

    signed_in(rt, client, "viewer")
    cancelled = CONCERT.replace("END:VEVENT", "STATUS:CANCELLED\r\nEND:VEVENT")
    url = feed_server.serve("/agenda.ics", calendar(TALK, cancelled), "text/calendar")
    source_id = add_as_owner(rt, url, kind="agenda")
    page = client.get(f"/sources/{source_id}").text
    assert "Coming events" in page and "Conférence sur Turner" in page
    assert "Concert baroque" in page and ">cancelled<" in page
