"""The Mastodon adapter against a local Mastodon API server (real HTTP on 127.0.0.1):
what a community manager would notice — posts as written, no duplicates after a crash,
notifications read once each, clear messages when something is wrong."""

from __future__ import annotations

import re
import socket
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select

from palabre.channels import services as channels
from palabre.channels.base import (
    AuthError,
    ConnectError,
    Media,
    Metrics,
    NotificationKind,
    PermanentError,
    PublishRequest,
    RateLimited,
    RemoteRef,
    ThreadPart,
    TransientError,
)
from palabre.channels.forms import describe
from palabre.channels.mastodon import MastodonAdapter
from palabre.channels.mastodon.settings import MastodonSettings
from palabre.channels.models import Channel
from palabre.core.netpolicy import NetPolicy
from palabre.core.runtime import Runtime
from tests.fakes.mastodon_server import MastodonServer
from tests.fixtures.mastodon import LOCAL, Org, make_mastodon_adapter
from tests.integration.test_channels_pages import signed_in, submit

# A 1×1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def key() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def friend(mastodon_server: MastodonServer) -> str:
    return str(mastodon_server.create_account(f"friend{len(mastodon_server.accounts)}")["id"])


def test_a_post_keeps_its_image_alt_text_warning_language_and_visibility(
    mastodon_server: MastodonServer, mastodon_org: Org, tmp_path: Path
) -> None:
    image = tmp_path / "affiche.png"
    image.write_bytes(PNG)
    adapter = make_mastodon_adapter(mastodon_server, mastodon_org.token, visibility="unlisted")
    mastodon_server.media_processing_polls = 2  # 202, then 206, 206, 200
    result = adapter.publish(
        PublishRequest(
            "Nuit des musées\n\nEntrée libre",
            key(),
            media=[Media(image, "image/png", "Affiche bleue de la nuit des musées")],
            content_warning="Spoiler : le programme",
            language="fr",
        )
    )
    status = mastodon_server.statuses[result.remote_id]
    assert status["visibility"] == "unlisted"
    assert status["spoiler_text"] == "Spoiler : le programme" and status["sensitive"] is True
    assert status["language"] == "fr"
    assert [m["description"] for m in status["media_attachments"]] == [
        "Affiche bleue de la nuit des musées"
    ]
    assert status["content"] == "<p>Nuit des musées</p><p>Entrée libre</p>"
    assert result.remote_url == status["url"]
    media_id = status["media_attachments"][0]["id"]
    assert mastodon_server.count("GET", f"/api/v1/media/{media_id}") == 3  # waited for it


def test_every_publish_carries_the_key_and_a_retry_makes_no_second_status(
    mastodon_server: MastodonServer, mastodon_adapter: MastodonAdapter, mastodon_org: Org
) -> None:
    request = PublishRequest("Une seule fois", key())
    first = mastodon_adapter.publish(request)
    again = mastodon_adapter.publish(request)
    assert again.remote_id == first.remote_id
    sent = mastodon_server.recorded("POST", "/api/v1/statuses")
    assert [r.headers.get("idempotency-key") for r in sent] == [request.idempotency_key] * 2
    assert len(mastodon_server.statuses_of(mastodon_org.id)) == 1


def worker_retry(adapter: MastodonAdapter, request: PublishRequest) -> str:
    """What the worker does when a publish's outcome is unknown."""
    found = adapter.find_published(request)
    return (found or adapter.publish(request)).remote_id


def test_on_a_server_ignoring_the_key_a_worker_retry_still_makes_one_status(
    mastodon_server: MastodonServer, mastodon_org: Org
) -> None:
    mastodon_server.ignore_idempotency = True
    request = PublishRequest("Bonjour <b>tout</b> le monde & https://example.org/a?b=1", key())
    first = make_mastodon_adapter(mastodon_server, mastodon_org.token).publish(request)
    # The worker crashed before recording it; a new attempt with a new adapter:
    again = worker_retry(make_mastodon_adapter(mastodon_server, mastodon_org.token), request)
    assert again == first.remote_id
    assert len(mastodon_server.statuses_of(mastodon_org.id)) == 1
    # Without the check, this server would make a duplicate (what find_published prevents).
    make_mastodon_adapter(mastodon_server, mastodon_org.token).publish(request)
    assert len(mastodon_server.statuses_of(mastodon_org.id)) == 2


def test_a_half_made_thread_is_completed_without_repeating_parts_even_ignoring_keys(
    mastodon_server: MastodonServer, mastodon_org: Org
) -> None:
    mastodon_server.ignore_idempotency = True
    k = key()
    parts = [ThreadPart("2/3 Ouverture à 19 h."), ThreadPart("3/3 Entrée libre")]
    # A crash after the second part:
    make_mastodon_adapter(mastodon_server, mastodon_org.token).publish(
        PublishRequest("1/3 Un fil", k, thread=parts[:1])
    )
    whole = PublishRequest("1/3 Un fil", k, thread=parts)
    adapter = make_mastodon_adapter(mastodon_server, mastodon_org.token)
    assert adapter.find_published(whole) is None  # not all there yet
    result = adapter.publish(whole)
    statuses = sorted(mastodon_server.statuses_of(mastodon_org.id), key=lambda s: int(s["id"]))
    assert [s["id"] for s in statuses] == [p.id for p in result.parts]
    assert [s["in_reply_to_id"] for s in statuses] == [None, statuses[0]["id"], statuses[1]["id"]]


def test_a_thread_is_published_in_order_each_part_answering_the_one_before(
    mastodon_server: MastodonServer, mastodon_adapter: MastodonAdapter
) -> None:
    k = key()
    result = mastodon_adapter.publish(
        PublishRequest("1/3", k, thread=[ThreadPart("2/3"), ThreadPart("3/3")])
    )
    statuses = [mastodon_server.statuses[p.id] for p in result.parts]
    assert [s["content"] for s in statuses] == ["<p>1/3</p>", "<p>2/3</p>", "<p>3/3</p>"]
    assert [s["in_reply_to_id"] for s in statuses] == [None, result.parts[0].id, result.parts[1].id]
    keys = [
        r.headers["idempotency-key"] for r in mastodon_server.recorded("POST", "/api/v1/statuses")
    ]
    assert keys[-3:] == [k, f"{k}#2", f"{k}#3"]


def test_a_reply_answers_the_post(
    mastodon_server: MastodonServer, mastodon_adapter: MastodonAdapter, friend: str
) -> None:
    theirs = mastodon_server.post(friend, "Une question ?")
    result = mastodon_adapter.reply(RemoteRef(theirs["id"]), "Une réponse.", key())
    assert mastodon_server.statuses[result.remote_id]["in_reply_to_id"] == theirs["id"]


def test_limits_are_read_from_the_server(
    mastodon_server: MastodonServer, mastodon_org: Org
) -> None:
    mastodon_server.max_characters = 5000
    adapter = make_mastodon_adapter(mastodon_server, mastodon_org.token)
    adapter.config.settings.update(adapter.server_settings())
    caps = adapter.capabilities()
    assert caps.text_limit == 5000 and caps.url_length == 23 and caps.max_images == 4
    assert caps.image_max_bytes == mastodon_server.image_size_limit
    assert "image/avif" in caps.image_types and "video/mp4" not in caps.image_types
    assert caps.threads and caps.content_warnings and caps.idempotent_publish
    # A server without /api/v2/instance: v1 says the same.
    mastodon_server.missing_paths = {"/api/v2/instance"}
    assert adapter.server_settings()["max_characters"] == 5000
    assert mastodon_server.count("GET", "/api/v1/instance") == 1


def test_settings_form_shows_only_what_a_person_types() -> None:
    assert [f.name for f in describe(MastodonSettings, MastodonAdapter.secret_fields)] == [
        "instance",
        "access_token",
        "visibility",
        "language",
    ]


def test_every_kind_of_notification_is_understood(
    mastodon_server: MastodonServer,
    mastodon_adapter: MastodonAdapter,
    mastodon_org: Org,
    friend: str,
) -> None:
    ours = mastodon_adapter.publish(PublishRequest("Notre annonce", key()))
    s = mastodon_server
    s.mention(friend, mastodon_org.id, "vous avez vu <ça> ?")
    s.reply(friend, ours.remote_id, "Bravo !\nÀ bientôt")
    s.favourite(friend, ours.remote_id)
    s.boost(friend, ours.remote_id)
    s.follow(friend, mastodon_org.id)
    s.quote(friend, ours.remote_id, "Regardez ça")
    s.direct_message(friend, mastodon_org.id, "Un message privé")
    page = mastodon_adapter.fetch_notifications(None)
    by_kind = {n.kind: n for n in page.notifications}
    assert [n.kind for n in page.notifications] == [
        NotificationKind.mention,
        NotificationKind.reply,
        NotificationKind.like,
        NotificationKind.repost,
        NotificationKind.follow,
        NotificationKind.quote,
        NotificationKind.direct_message,
    ]
    handle = f"{s.accounts[friend]['username']}@127.0.0.1"
    assert all(n.author.handle == handle for n in page.notifications)
    assert by_kind[NotificationKind.mention].text.endswith("vous avez vu <ça> ?")
    assert by_kind[NotificationKind.reply].text.endswith("Bravo !\nÀ bientôt")
    for kind in (
        NotificationKind.reply,
        NotificationKind.like,
        NotificationKind.repost,
        NotificationKind.quote,
    ):
        assert by_kind[kind].subject is not None and by_kind[kind].subject.id == ours.remote_id
    assert by_kind[NotificationKind.direct_message].post is not None
    assert page.cursor == page.notifications[-1].remote_id and not page.more


def test_notifications_follow_link_pages_and_resume_from_the_cursor(
    mastodon_server: MastodonServer,
    mastodon_adapter: MastodonAdapter,
    mastodon_org: Org,
    friend: str,
) -> None:
    ours = mastodon_adapter.publish(PublishRequest("Aimez-moi", key()))
    mastodon_server.follow(friend, mastodon_org.id)
    first = mastodon_adapter.fetch_notifications(None)
    assert [n.kind for n in first.notifications] == [NotificationKind.follow]
    fans = [
        str(mastodon_server.create_account(f"fan{i}x{ours.remote_id[-4:]}")["id"]) for i in range(7)
    ]
    for fan in fans:
        mastodon_server.favourite(fan, ours.remote_id)
    mastodon_adapter.page_size = 2
    before = mastodon_server.count("GET", "/api/v1/notifications")
    page = mastodon_adapter.fetch_notifications(first.cursor)
    assert [n.author.id for n in page.notifications] == fans  # oldest first, none lost
    assert mastodon_server.count("GET", "/api/v1/notifications") - before == 4  # 2+2+2+1
    assert not page.more
    # A small limit: one call gives part, says there is more, the next gives the rest.
    later = [
        str(mastodon_server.create_account(f"late{i}x{ours.remote_id[-4:]}")["id"])
        for i in range(3)
    ]
    for fan in later:
        mastodon_server.favourite(fan, ours.remote_id)
    part = mastodon_adapter.fetch_notifications(page.cursor, limit=2)
    rest = mastodon_adapter.fetch_notifications(part.cursor, limit=2)
    assert part.more and not rest.more
    assert [n.author.id for n in part.notifications + rest.notifications] == later
    assert mastodon_adapter.fetch_notifications(rest.cursor).notifications == []


def test_metrics_count_likes_reposts_replies_and_quotes(
    mastodon_server: MastodonServer, mastodon_adapter: MastodonAdapter, friend: str
) -> None:
    ours = mastodon_adapter.publish(PublishRequest("Comptez-moi", key()))
    gone = mastodon_adapter.publish(PublishRequest("Bientôt effacé", key()))
    mastodon_server.favourite(friend, ours.remote_id)
    mastodon_server.boost(friend, ours.remote_id)
    mastodon_server.reply(friend, ours.remote_id, "Oui")
    mastodon_adapter.delete(gone.remote_id)
    metrics = mastodon_adapter.fetch_metrics([RemoteRef(ours.remote_id), RemoteRef(gone.remote_id)])
    assert metrics == {ours.remote_id: Metrics(likes=1, reposts=1, replies=1, quotes=0)}


def test_a_revoked_token_asks_for_reconnection(
    mastodon_server: MastodonServer, mastodon_adapter: MastodonAdapter, mastodon_org: Org
) -> None:
    mastodon_server.revoke_token(mastodon_org.token)
    with pytest.raises(AuthError, match="refused the access token"):
        mastodon_adapter.publish(PublishRequest("Refusé", key()))
    mastodon_server.bad_token_as_400 = True  # "400 Invalid Bearer token" elsewhere
    with pytest.raises(AuthError):
        mastodon_adapter.fetch_notifications(None)


def test_too_many_requests_is_rate_limited_with_the_wait(
    mastodon_server: MastodonServer, mastodon_adapter: MastodonAdapter
) -> None:
    mastodon_server.fail_next(1, 429, retry_after=30)
    with pytest.raises(RateLimited) as caught:
        mastodon_adapter.publish(PublishRequest("Trop vite", key()))
    assert caught.value.retry_after == 30
    mastodon_server.fail_next(1, 429)  # no Retry-After: until X-RateLimit-Reset
    with pytest.raises(RateLimited) as caught:
        mastodon_adapter.publish(PublishRequest("Trop vite", key()))
    assert caught.value.retry_after is not None and 0 < caught.value.retry_after <= 300
    assert mastodon_adapter.rate_limit is not None and mastodon_adapter.rate_limit.limit == 300


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_in_trouble_is_transient_never_an_auth_problem(
    mastodon_server: MastodonServer, mastodon_adapter: MastodonAdapter, status: int
) -> None:
    mastodon_server.fail_next(1, status)
    with pytest.raises(TransientError) as caught:
        mastodon_adapter.publish(PublishRequest("Plus tard", key()))
    assert not isinstance(caught.value, AuthError)
    assert mastodon_adapter.publish(PublishRequest("Maintenant", key())).remote_id


def test_a_refused_post_is_permanent_with_the_servers_reason(
    mastodon_server: MastodonServer, mastodon_adapter: MastodonAdapter
) -> None:
    with pytest.raises(PermanentError, match="character limit of 500 exceeded"):
        mastodon_adapter.publish(PublishRequest("x" * 501, key()))


def test_garbled_answers_while_publishing_are_transient(
    mastodon_server: MastodonServer, mastodon_adapter: MastodonAdapter
) -> None:
    for mode in ("html", "malformed"):
        mastodon_server.mode = mode
        with pytest.raises(TransientError, match="cannot read"):
            mastodon_adapter.publish(PublishRequest("Hum", key()))


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("not_mastodon", "is not a Mastodon server"),
        ("html", "web page instead of Mastodon data"),
        ("malformed", "garbled answer"),
    ],
)
def test_connecting_to_something_else_says_so_clearly(
    mastodon_server: MastodonServer, mastodon_org: Org, mode: str, message: str
) -> None:
    mastodon_server.mode = mode
    adapter = make_mastodon_adapter(mastodon_server, mastodon_org.token)
    with pytest.raises(ConnectError, match=message):
        adapter.server_settings()
    with pytest.raises(ConnectError, match=message):
        MastodonAdapter.oauth_start(mastodon_server.base_url, "http://127.0.0.1/cb", "s", LOCAL)


def test_a_wrong_token_or_address_is_a_connect_error(
    mastodon_server: MastodonServer, mastodon_org: Org
) -> None:
    with pytest.raises(ConnectError, match="refused the access token"):
        make_mastodon_adapter(mastodon_server, "not-a-token").verify()
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    adapter = make_mastodon_adapter(mastodon_server, mastodon_org.token)
    adapter.config.settings["instance"] = f"http://127.0.0.1:{port}"
    with pytest.raises(ConnectError, match=r"No server answers at 127\.0\.0\.1"):
        adapter.verify()


def test_plain_http_only_for_allow_listed_hosts(
    mastodon_server: MastodonServer, mastodon_org: Org
) -> None:
    values = {"instance": mastodon_server.base_url, "access_token": "t"}
    with pytest.raises(ValidationError, match="plain http is only allowed"):
        MastodonSettings.model_validate(values, context={"net": NetPolicy()})
    ok = MastodonSettings.model_validate(values, context={"net": LOCAL})
    assert ok.instance == mastodon_server.base_url
    adapter = make_mastodon_adapter(mastodon_server, mastodon_org.token)
    adapter.config.net = NetPolicy()
    before = len(mastodon_server.requests)
    with pytest.raises(ConnectError, match="plain http"):
        adapter.verify()
    assert len(mastodon_server.requests) == before  # nothing was sent


def test_connecting_with_oauth_gives_a_working_channel(
    mastodon_server: MastodonServer, mastodon_org: Org
) -> None:
    mastodon_server.signed_in = mastodon_org.id
    callback = "http://127.0.0.1:8000/channels/oauth/callback"
    start = MastodonAdapter.oauth_start(mastodon_server.base_url, callback, "st4te", LOCAL)
    assert start.authorize_url.startswith(f"{mastodon_server.base_url}/oauth/authorize?")
    app = mastodon_server.recorded("POST", "/api/v1/apps")[-1].form
    assert app["client_name"] == "Palabre" and app["scopes"] == "read write"
    # The person's browser: the server's page, then its "Authorize" button.
    with httpx.Client(follow_redirects=False) as browser:
        page = browser.get(start.authorize_url)
        assert "Authorize" in page.text
        fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.text))
        answer = browser.post(f"{mastodon_server.base_url}/oauth/authorize", data=fields)
    location = httpx.URL(answer.headers["location"])
    assert location.params["state"] == "st4te"
    settings = MastodonAdapter.oauth_finish(
        start.state_data, location.params["code"], callback, LOCAL
    )
    assert settings["instance"] == mastodon_server.base_url
    adapter = make_mastodon_adapter(mastodon_server, settings["access_token"])
    assert adapter.verify().id == mastodon_org.id
    with pytest.raises(ConnectError, match="did not accept the authorisation"):
        MastodonAdapter.oauth_finish(start.state_data, location.params["code"], callback, LOCAL)


def test_an_older_post_with_the_same_text_is_not_taken_for_this_one(
    mastodon_server: MastodonServer, mastodon_org: Org
) -> None:
    adapter = make_mastodon_adapter(mastodon_server, mastodon_org.token)
    adapter.publish(PublishRequest("Rappel : réunion jeudi", key()))  # last week's
    planned = datetime.now(UTC) + timedelta(hours=1)
    request = PublishRequest("Rappel : réunion jeudi", key(), scheduled_for=planned)
    assert adapter.find_published(request) is None


def test_an_image_post_retried_on_a_server_ignoring_keys_is_made_once(
    mastodon_server: MastodonServer, mastodon_org: Org, tmp_path: Path
) -> None:
    mastodon_server.ignore_idempotency = True
    image = tmp_path / "photo.png"
    image.write_bytes(PNG)
    request = PublishRequest("Photo du jour", key(), media=[Media(image, "image/png", "Un chat")])
    first = make_mastodon_adapter(mastodon_server, mastodon_org.token).publish(request)
    assert worker_retry(make_mastodon_adapter(mastodon_server, mastodon_org.token), request) == (
        first.remote_id
    )
    assert mastodon_server.count("POST", "/api/v2/media") == 1


def test_no_request_is_sent_when_the_server_said_none_is_left(
    mastodon_server: MastodonServer, mastodon_adapter: MastodonAdapter
) -> None:
    mastodon_server.remaining = 0
    mastodon_adapter.fetch_notifications(None)  # the server says: nothing left until reset
    sent = len(mastodon_server.requests)
    with pytest.raises(RateLimited) as caught:
        mastodon_adapter.publish(PublishRequest("Attendez", key()))
    assert caught.value.retry_after is not None and 0 < caught.value.retry_after <= 300
    assert len(mastodon_server.requests) == sent


def test_requests_never_leave_the_channels_server(
    mastodon_server: MastodonServer, mastodon_adapter: MastodonAdapter
) -> None:
    with pytest.raises(PermanentError, match="only talks to"):
        mastodon_adapter.client.request("GET", "http://192.0.2.1/api/v1/notifications")


def test_the_channel_form_asks_only_what_a_person_knows_and_pasting_a_token_works(
    rt: Runtime, client: TestClient, mastodon_server: MastodonServer, mastodon_org: Org
) -> None:
    ws, _me = signed_in(rt, client)
    form = client.get("/channels/new", params={"kind": "mastodon"}).text
    assert "Server address" in form and "Access token" in form
    assert 'name="settings.access_token"' in form and 'type="password"' in form
    assert "max_characters" not in form and "image_types" not in form
    answer = submit(
        client,
        "/channels",
        kind="mastodon",
        name="Notre Mastodon",
        **{
            "settings.instance": mastodon_server.base_url,
            "settings.access_token": mastodon_org.token,
            "settings.visibility": "unlisted",
        },
    )
    assert answer.status_code in (302, 303)
    with rt.db.transaction() as s:
        channel = s.scalars(select(Channel).where(Channel.workspace_id == ws.id)).one()
        assert channel.kind == "mastodon" and "access_token" not in channel.settings
        adapter = channels.adapter_for(channel, box=rt.box, db=None)
    adapter.config.net = LOCAL
    assert adapter.verify().id == mastodon_org.id


def test_a_reply_names_its_author_and_an_answer_to_a_private_message_stays_private(
    mastodon_server: MastodonServer, mastodon_adapter: MastodonAdapter, friend: str
) -> None:
    name = mastodon_server.accounts[friend]["username"]
    public = mastodon_server.post(friend, "Quand ouvrez-vous ?")
    answer = mastodon_adapter.reply(RemoteRef(public["id"]), "À 19 h !", key())
    status = mastodon_server.statuses[answer.remote_id]
    assert status["content"] == f"<p>@{name} À 19 h !</p>" and status["visibility"] == "public"
    named = mastodon_adapter.reply(RemoteRef(public["id"]), f"Merci @{name} !", key())
    assert mastodon_server.statuses[named.remote_id]["content"] == f"<p>Merci @{name} !</p>"
    # The author is notified of the answer (Mastodon notifies those named).
    assert mastodon_server.notifications[friend][-1]["status"]["id"] == named.remote_id
    secret = mastodon_server.direct_message(friend, mastodon_adapter.verify().id, "Entre nous")
    private = mastodon_adapter.reply(RemoteRef(secret["id"]), "Bien reçu", key())
    assert mastodon_server.statuses[private.remote_id]["visibility"] == "direct"


def test_a_reply_retried_on_a_server_ignoring_keys_is_made_once(
    mastodon_server: MastodonServer, mastodon_org: Org, friend: str
) -> None:
    mastodon_server.ignore_idempotency = True
    theirs = mastodon_server.post(friend, "Une question")
    request = PublishRequest("Une réponse", key(), reply_to=RemoteRef(theirs["id"]))
    first = make_mastodon_adapter(mastodon_server, mastodon_org.token).publish(request)
    again = worker_retry(make_mastodon_adapter(mastodon_server, mastodon_org.token), request)
    assert again == first.remote_id
    assert len(mastodon_server.statuses_of(mastodon_org.id)) == 1


def test_answering_a_deleted_post_is_refused_for_good(
    mastodon_server: MastodonServer, mastodon_adapter: MastodonAdapter, friend: str
) -> None:
    theirs = mastodon_server.post(friend, "Bientôt effacé")
    mastodon_server.deleted.add(theirs["id"])
    with pytest.raises(PermanentError, match="no longer on"):
        mastodon_adapter.reply(RemoteRef(theirs["id"]), "Trop tard", key())


def test_a_timeout_is_transient_and_the_retry_finds_the_post_it_made(
    mastodon_server: MastodonServer, mastodon_org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("palabre.channels.mastodon.client.TIMEOUT", httpx.Timeout(0.3))
    mastodon_server.ignore_idempotency = True
    mastodon_server.delay = 0.8
    request = PublishRequest("Publié malgré tout", key())
    with pytest.raises(TransientError, match="did not answer in time"):
        make_mastodon_adapter(mastodon_server, mastodon_org.token).publish(request)
    with pytest.raises(ConnectError, match="did not answer in time"):
        make_mastodon_adapter(mastodon_server, mastodon_org.token).verify()
    mastodon_server.delay = 0.0
    deadline = time.monotonic() + 5
    while not mastodon_server.statuses_of(mastodon_org.id) and time.monotonic() < deadline:
        time.sleep(0.05)  # the server finishes the request it was given
    adapter = make_mastodon_adapter(mastodon_server, mastodon_org.token)
    made = mastodon_server.statuses_of(mastodon_org.id)
    assert worker_retry(adapter, request) == made[0]["id"]
    assert len(mastodon_server.statuses_of(mastodon_org.id)) == 1


def test_a_token_revoked_before_a_retry_asks_for_reconnection(
    mastodon_server: MastodonServer, mastodon_org: Org, friend: str
) -> None:
    theirs = mastodon_server.post(friend, "Allô ?")
    mastodon_server.revoke_token(mastodon_org.token)
    adapter = make_mastodon_adapter(mastodon_server, mastodon_org.token)
    request = PublishRequest("Oui", key(), reply_to=RemoteRef(theirs["id"]))
    with pytest.raises(AuthError):
        adapter.find_published(request)
