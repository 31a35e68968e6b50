"""The sources API against a real local feed server: adding from an address, a web page
(the feeds it offers), a file; health; refresh; items; pause; removal — and who may."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from palabre.core.db import utcnow
from palabre.core.runtime import Runtime
from palabre.sources.fetch_models import SourceFetch
from tests import factories as f
from tests import sources_support as s
from tests.fakes.feed_server import FeedServer
from tests.integration.api_support import Team, make_team

PAGE = (
    "<!DOCTYPE html><html><head><title>Musée</title>"
    '<link rel="alternate" type="application/rss+xml" title="Actualités" href="/feed.xml">'
    '<link rel="alternate" type="application/atom+xml" title="Expositions" href="/expos.atom">'
    "</head><body><h1>Bienvenue au musée</h1></body></html>"
)


@pytest.fixture
def team(rt: Runtime) -> Team:
    return make_team(rt)


def _add(client: TestClient, team: Team, role: str = "manager", **body: object) -> httpx.Response:
    return client.post("/api/v1/sources", json={"kind": "feed", **body}, headers=team.auth(role))


def test_add_a_feed_and_read_its_health_and_items(
    client: TestClient, team: Team, feed_server: FeedServer
) -> None:
    url = feed_server.serve("/feed.xml", s.rss(s.entries(3)))
    resp = _add(client, team, url=url)
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["name"] == "Musée des Beaux-Arts — actualités" and body["url"] == url
    health = body["health"]
    assert health["state"] == "working" and health["items_seen"] == 3
    assert health["last_error"] is None and health["next_check_at"] and health["last_success_at"]
    got = client.get(f"/api/v1/sources/{body['id']}", headers=team.auth("viewer")).json()
    assert got["health"]["summary"] == "The last check worked."
    items = client.get(f"/api/v1/sources/{body['id']}/items", headers=team.auth("viewer"))
    listed = items.json()["items"]
    assert [i["backlog"] for i in listed] == [False, True, True]  # newest first
    assert listed[0]["summary_html"].startswith("<p>")
    everything = client.get("/api/v1/sources", headers=team.auth("contributor")).json()
    assert [x["id"] for x in everything["sources"]] == [body["id"]]


def test_a_web_page_answers_the_feeds_it_offers(
    client: TestClient, team: Team, feed_server: FeedServer
) -> None:
    page = feed_server.serve("/", PAGE, "text/html; charset=utf-8")
    resp = _add(client, team, url=page)
    assert resp.status_code == 422
    body = resp.json()
    assert body["errors"]["url"] == "This is a web page. Choose one of the feeds it offers."
    assert [(x["url"], x["title"]) for x in body["feeds"]] == [
        (feed_server.url("/feed.xml"), "Actualités"),
        (feed_server.url("/expos.atom"), "Expositions"),
    ]
    feed_server.serve("/feed.xml", s.rss(s.entries(1)))
    chosen = _add(client, team, url=body["feeds"][0]["url"], name="Nouvelles du musée")
    assert chosen.status_code == 201 and chosen.json()["name"] == "Nouvelles du musée"


def test_a_page_without_feeds_and_bad_addresses_are_plain_422s(
    client: TestClient, team: Team, feed_server: FeedServer
) -> None:
    page = feed_server.serve("/plain", "<html><body>Rien</body></html>", "text/html")
    cases = {
        page: "This is a web page, and it does not say where its feed is.",
        "http://10.1.2.3/feed.xml": "This address points to a private network; an "
        "administrator must allow it (10.1.2.3).",
        feed_server.url("/missing.xml"): "Nothing was found at this address (HTTP 404).",
        "ftp://example.org/x": "Enter a full web address, starting with https:// or http://.",
    }
    for url, message in cases.items():
        resp = _add(client, team, url=url)
        assert resp.status_code == 422, url
        assert resp.json()["errors"]["url"] == message
    assert client.get("/api/v1/sources", headers=team.auth("manager")).json()["sources"] == []


def test_the_same_address_twice_is_refused(
    client: TestClient, team: Team, feed_server: FeedServer
) -> None:
    url = feed_server.serve("/feed.xml", s.rss(s.entries(1)))
    assert _add(client, team, url=url, name="Actualités").status_code == 201
    again = _add(client, team, url=url)
    assert again.status_code == 422
    said = "This source is already in the workspace, as « Actualités »."
    assert again.json()["errors"]["url"] == said
    # The same address written otherwise is the same source.
    for other in (f"{url}?utm_source=newsletter&utm_medium=email", f"{url}#latest"):
        feed_server.serve("/feed.xml", s.rss(s.entries(1)))
        other_try = _add(client, team, url=other)
        assert other_try.status_code == 422 and other_try.json()["errors"]["url"] == said


def test_a_feed_from_a_file(client: TestClient, team: Team) -> None:
    text = s.rss(s.entries(2))
    resp = _add(client, team, content=text, file_name="actus.xml", name="Archive")
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["url"] is None and body["file_name"] == "actus.xml"
    assert body["health"]["state"] == "file" and body["health"]["next_check_at"] is None
    encoded = base64.b64encode(text.encode("utf-8")).decode()
    assert _add(client, team, content_base64=encoded, name="Copie").status_code == 201
    broken = _add(client, team, content_base64="@@not base64@@")
    assert broken.status_code == 422 and "content_base64" in broken.json()["errors"]
    nothing = _add(client, team, name="Rien")
    assert nothing.json()["errors"]["url"] == "Enter the address of the feed or agenda."
    garbage = _add(client, team, content="{{{ not a feed")
    assert garbage.status_code == 422 and "file" in garbage.json()["errors"]
    refresh = client.post(f"/api/v1/sources/{body['id']}/refresh", headers=team.auth("manager"))
    assert refresh.status_code == 422


def test_use_one_of_the_feeds_a_known_source_now_offers(
    client: TestClient, rt: Runtime, team: Team, feed_server: FeedServer
) -> None:
    url = feed_server.serve("/old.xml", s.rss(s.entries(1)))
    source_id = _add(client, team, url=url).json()["id"]
    other = _add(client, team, url=feed_server.serve("/feed.xml", s.rss(s.entries(2))))
    feed_server.serve("/old.xml", PAGE, "text/html")
    checked = client.post(f"/api/v1/sources/{source_id}/refresh", headers=team.auth("member"))
    health = checked.json()["source"]["health"]
    assert health["last_error"].startswith("This address now serves a web page, not a feed.")
    offered = [x["url"] for x in health["offered_feeds"]]
    assert offered == [feed_server.url("/feed.xml"), feed_server.url("/expos.atom")]
    path = f"/api/v1/sources/{source_id}/use-feed"
    for role in ("viewer", "contributor"):
        refused = client.post(path, json={"url": offered[1]}, headers=team.auth(role))
        assert refused.status_code == 403
    # The workspace already reads the first one.
    taken = client.post(path, json={"url": offered[0]}, headers=team.auth("member"))
    assert taken.status_code == 422 and other.json()["name"] in taken.json()["errors"]["url"]
    expos = [
        s.Entry(f"urn:expo:{i}", f"Exposition {w}", f"https://musee.example.org/expo/{i}", "", when)
        for i, (w, when) in enumerate(
            [("Turner", s.NOW), ("Monet", s.NOW - timedelta(days=1)), ("Rodin", s.NOW)]
        )
    ]
    feed_server.serve("/expos.atom", s.rss(expos))
    used = client.post(path, json={"url": offered[1]}, headers=team.auth("member"))
    assert used.status_code == 200 and used.json()["error"] is None
    source = used.json()["source"]
    assert source["url"] == offered[1] and source["health"]["state"] == "working"
    assert source["health"]["offered_feeds"] == []
    # The chosen feed's first fetch is a first fetch: its older entries do not flood.
    fresh = [i.title for i in s.fresh(s.items(rt, source_id))]
    assert len(fresh) == 2 and any(t.startswith("Exposition") for t in fresh)


def test_bad_uploads_are_explained_in_french(client: TestClient, rt: Runtime, team: Team) -> None:
    with rt.db.transaction() as session:
        from palabre.team.models import User

        user = session.get(User, team.user_ids["manager"])
        assert user is not None
        user.language = "fr"
    broken = _add(client, team, content_base64="@@not base64@@")
    assert broken.json()["errors"]["content_base64"] == (
        "Ce n’est pas du base64 valide : envoyez les octets du fichier encodés en base64."
    )
    nothing = _add(client, team, name="Rien")
    assert nothing.json()["errors"]["url"] == "Saisissez l’adresse du flux ou de l’agenda."


def test_refresh_now_fetches_during_the_request(
    client: TestClient, team: Team, feed_server: FeedServer
) -> None:
    url = feed_server.serve("/feed.xml", s.rss(s.entries(2)))
    source_id = _add(client, team, url=url).json()["id"]
    same = client.post(f"/api/v1/sources/{source_id}/refresh", headers=team.auth("member"))
    assert same.status_code == 200 and same.json()["not_modified"] is True
    newer = s.Entry(
        "urn:n", "Nocturne gratuite jeudi soir", "https://musee.example.org/n", "", s.NOW
    )
    feed_server.serve("/feed.xml", s.rss([newer, *s.entries(2)]))
    changed = client.post(f"/api/v1/sources/{source_id}/refresh", headers=team.auth("member"))
    assert changed.json()["new"] == 1 and changed.json()["error"] is None
    feed_server.fail("/feed.xml", 503, retry_after="60")
    failed = client.post(f"/api/v1/sources/{source_id}/refresh", headers=team.auth("member"))
    body = failed.json()
    assert body["error"] == "The server is unavailable for now; Palabre will try again later."
    assert body["source"]["health"]["state"] == "failing"
    assert body["source"]["health"]["last_error"] == body["error"]


def test_check_now_waits_as_long_as_the_server_asked(
    client: TestClient, rt: Runtime, team: Team, feed_server: FeedServer
) -> None:
    url = feed_server.serve("/feed.xml", s.rss(s.entries(2)))
    source_id = _add(client, team, url=url).json()["id"]
    feed_server.fail("/feed.xml", 429, retry_after="3600")
    before = utcnow()
    first = client.post(f"/api/v1/sources/{source_id}/refresh", headers=team.auth("member"))
    assert first.json()["error"] == "The server asks Palabre to slow down; it will try again later."
    row = s.fetch_row(rt, source_id)
    # The worker's next check obeys the server too, and the failure counts as an attempt.
    assert row.next_attempt_at is not None and row.next_attempt_at >= before + timedelta(hours=1)
    assert row.attempts == 1 and row.last_error
    hits = len(feed_server.hits)
    again = client.post(f"/api/v1/sources/{source_id}/refresh", headers=team.auth("member"))
    assert again.status_code == 422
    said = again.json()["errors"]["url"]
    assert re.search(r"asked Palabre to wait until \d\d:\d\d before asking again", said)
    assert len(feed_server.hits) == hits  # the server was left alone


def test_a_failed_check_now_backs_off_like_the_worker(
    client: TestClient, rt: Runtime, team: Team, feed_server: FeedServer
) -> None:
    url = feed_server.serve("/feed.xml", s.rss(s.entries(2)))
    source_id = _add(client, team, url=url).json()["id"]
    feed_server.fail("/feed.xml", 500)
    for attempt, minutes in ((1, 15), (2, 30)):
        before = utcnow()
        client.post(f"/api/v1/sources/{source_id}/refresh", headers=team.auth("member"))
        row = s.fetch_row(rt, source_id)
        assert row.attempts == attempt and row.last_error and "500" in row.last_error
        assert row.next_attempt_at is not None
        wait = row.next_attempt_at - before
        assert timedelta(minutes=minutes) <= wait < timedelta(minutes=minutes, seconds=30)


def test_health_errors_are_translated_for_a_french_reader(
    client: TestClient, rt: Runtime, team: Team, feed_server: FeedServer
) -> None:
    url = feed_server.serve("/feed.xml", s.rss(s.entries(1)))
    source_id = _add(client, team, url=url).json()["id"]
    feed_server.fail("/feed.xml", 500)
    client.post(f"/api/v1/sources/{source_id}/refresh", headers=team.auth("manager"))
    with rt.db.transaction() as session:
        from palabre.team.models import User

        user = session.get(User, team.user_ids["viewer"])
        assert user is not None
        user.language = "fr"
    got = client.get(f"/api/v1/sources/{source_id}", headers=team.auth("viewer")).json()
    assert "500" in got["health"]["last_error"] and "erreur" in got["health"]["last_error"]


def test_pause_rename_weight_and_remove(
    client: TestClient, rt: Runtime, team: Team, feed_server: FeedServer
) -> None:
    url = feed_server.serve("/feed.xml", s.rss(s.entries(1)))
    source_id = _add(client, team, url=url).json()["id"]
    path = f"/api/v1/sources/{source_id}"
    resp = client.patch(
        path, json={"paused": True, "name": " Actus ", "weight": 2}, headers=team.auth("member")
    )
    body = resp.json()
    assert body["paused"] and body["name"] == "Actus" and body["weight"] == 2
    assert body["health"]["state"] == "paused" and body["health"]["next_check_at"] is None
    bad = client.patch(path, json={"name": "   "}, headers=team.auth("member"))
    assert bad.status_code == 422 and bad.json()["errors"]["name"] == "Give the source a name."
    assert client.delete(path, headers=team.auth("member")).status_code == 403
    assert client.delete(path, headers=team.auth("manager")).status_code == 204
    assert client.get(path, headers=team.auth("manager")).status_code == 404
    assert s.items(rt) == []  # its items went with it, and its fetching row
    with rt.db.transaction(write=False) as session:
        assert session.scalar(select(func.count()).select_from(SourceFetch)) == 0


# -- who may ------------------------------------------------------------------------------

EVERYONE = set(f.ROLES)
MANAGERS_AND_MEMBERS = {"owner", "manager", "member"}
MANAGERS = {"owner", "manager"}
Call = Callable[[TestClient, Team, str, int, FeedServer], httpx.Response]


def _source(client: TestClient, team: Team, feed_server: FeedServer) -> int:
    url = feed_server.serve("/feed.xml", s.rss(s.entries(1)))
    return int(_add(client, team, "owner", url=url).json()["id"])


CASES: list[tuple[str, set[str], int, Call]] = [
    (
        "GET /sources",
        EVERYONE,
        200,
        lambda c, t, r, i, fs: c.get("/api/v1/sources", headers=t.auth(r)),
    ),
    (
        "GET /sources/{id}",
        EVERYONE,
        200,
        lambda c, t, r, i, fs: c.get(f"/api/v1/sources/{i}", headers=t.auth(r)),
    ),
    (
        "GET /sources/{id}/items",
        EVERYONE,
        200,
        lambda c, t, r, i, fs: c.get(f"/api/v1/sources/{i}/items", headers=t.auth(r)),
    ),
    (
        "POST /sources",
        MANAGERS_AND_MEMBERS,
        201,
        lambda c, t, r, i, fs: _add(c, t, r, url=fs.serve("/other.xml", s.rss(s.entries(1)))),
    ),
    (
        "PATCH /sources/{id}",
        MANAGERS_AND_MEMBERS,
        200,
        lambda c, t, r, i, fs: c.patch(
            f"/api/v1/sources/{i}", json={"name": "Autre"}, headers=t.auth(r)
        ),
    ),
    (
        "POST /sources/{id}/refresh",
        MANAGERS_AND_MEMBERS,
        200,
        lambda c, t, r, i, fs: c.post(f"/api/v1/sources/{i}/refresh", headers=t.auth(r)),
    ),
    (
        "DELETE /sources/{id}",
        MANAGERS,
        204,
        lambda c, t, r, i, fs: c.delete(f"/api/v1/sources/{i}", headers=t.auth(r)),
    ),
]


@pytest.mark.parametrize(("name", "allowed", "ok", "call"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("role", f.ROLES)
def test_who_may_use_each_route(
    client: TestClient,
    team: Team,
    feed_server: FeedServer,
    name: str,
    allowed: set[str],
    ok: int,
    call: Call,
    role: str,
) -> None:
    source_id = _source(client, team, feed_server)
    hits = len(feed_server.hits)
    resp = call(client, team, role, source_id, feed_server)
    assert resp.status_code == (ok if role in allowed else 403), resp.text
    if role not in allowed:
        assert len(feed_server.hits) == hits  # refused before anything was fetched
    assert client.get("/api/v1/sources", headers={}).status_code == 401


def test_the_routes_are_documented(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/v1/sources",
        "/api/v1/sources/{source_id}",
        "/api/v1/sources/{source_id}/refresh",
        "/api/v1/sources/{source_id}/items",
    ):
        assert path in paths
    create = paths["/api/v1/sources"]["post"]
    assert "422" in create["responses"] and create["requestBody"]
