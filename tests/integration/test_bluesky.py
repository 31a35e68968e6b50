"""The Bluesky adapter against the real local network (PLC + PDS + AppView, dev-env)."""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from atproto import Client, models

from palabre.channels.base import (
    AuthError,
    ConnectError,
    Media,
    NotificationKind,
    PublishRequest,
    RemoteRef,
    ThreadPart,
)
from palabre.channels.bluesky import BlueskyAdapter
from palabre.channels.bluesky.tid import tid_for
from palabre.core.runtime import Runtime
from palabre.inbox.ingest import store_notifications
from tests import factories as f
from tests.bsky_net import BskyAccount, eventually, login
from tests.fixtures.bluesky import SavedSecrets, make_adapter

# A 2x1 PNG (red, blue).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAEElEQVR4nGP4z8DAwMDAAAAHAAFAnQ4VAAAAAElFTkSuQmCC"
)
Account = Callable[..., BskyAccount]


@pytest.fixture
def page_server() -> Iterator[str]:
    """A local web page with Open Graph tags and a small picture."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.startswith("/image.png"):
                body, kind = PNG, "image/png"
            elif self.path.startswith("/moved"):
                self.send_response(302)
                self.send_header("Location", "/page")
                self.end_headers()
                return
            else:
                body = (
                    b"<html><head><title>Fallback</title>"
                    b'<meta property="og:title" content="Nuit des mus\xc3\xa9es">'
                    b'<meta property="og:description" content="Entr\xc3\xa9e libre">'
                    b'<meta property="og:image" content="/image.png"></head></html>'
                )
                kind = "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def record(adapter: BlueskyAdapter, uri: str) -> models.ComAtprotoRepoGetRecord.Response:
    at = uri.split("/")
    return adapter.client.com.atproto.repo.get_record(
        {"repo": at[2], "collection": at[3], "rkey": at[4]}
    )


def other(account: BskyAccount) -> Client:
    return login(account.handle, account.password, account.pds_url)


def key() -> str:
    return uuid.uuid4().hex


def test_a_post_carries_mention_link_card_tags_accents_and_emoji(
    bluesky_adapter: BlueskyAdapter, bsky_account: Account, page_server: str
) -> None:
    bob = bsky_account("bob")
    bob_adapter = make_adapter(bob)
    text = f"Été 🌞 👩‍👩‍👧‍👦 avec @{bob.handle} et @inconnu.test #fête {page_server}/moved. Merci !"
    result = bluesky_adapter.publish(PublishRequest(text, key(), language="fr"))
    value = record(bluesky_adapter, result.remote_id).value
    data = text.encode()
    found = {}
    for facet in value.facets:
        feature = facet.features[0]
        found[feature.py_type] = data[facet.index.byte_start : facet.index.byte_end].decode()
        if feature.py_type.endswith("#mention"):
            assert feature.did == bob.did
    assert found == {
        "app.bsky.richtext.facet#mention": f"@{bob.handle}",
        "app.bsky.richtext.facet#tag": "#fête",
        "app.bsky.richtext.facet#link": f"{page_server}/moved",
    }
    card = value.embed.external
    assert (card.title, card.description) == ("Nuit des musées", "Entrée libre")
    assert card.thumb is not None and card.thumb.mime_type == "image/png"
    assert value.langs == ["fr"]
    assert result.remote_url and result.remote_url.startswith("https://bsky.app/profile/")

    def mentioned() -> list[object]:
        page = bob_adapter.fetch_notifications(None)
        return [n for n in page.notifications if n.kind == NotificationKind.mention]

    (mention,) = eventually(mentioned, what="bob's mention notification")
    assert mention.text == text and mention.post and mention.post.id == result.remote_id


def test_a_link_the_policy_refuses_gets_no_card_and_the_post_still_goes(
    bsky_account: Account, page_server: str
) -> None:
    adapter = make_adapter(bsky_account("strict"))
    adapter.config.net = adapter.config.net.parse("localhost")  # 127.0.0.1 not allowed
    result = adapter.publish(PublishRequest(f"Voir {page_server}/page", key()))
    value = record(adapter, result.remote_id).value
    assert value.embed is None and value.facets[0].features[0].uri == f"{page_server}/page"


def test_images_go_with_their_alt_text_and_aspect_ratio(
    bluesky_adapter: BlueskyAdapter, tmp_path: Path
) -> None:
    path = tmp_path / "affiche.png"
    path.write_bytes(PNG)
    media = [Media(path, "image/png", "Affiche de l'été"), Media(path, "image/png", "Deux")]
    result = bluesky_adapter.publish(PublishRequest("Deux images", key(), media=media))
    images = record(bluesky_adapter, result.remote_id).value.embed.images
    assert [i.alt for i in images] == ["Affiche de l'été", "Deux"]
    assert (images[0].aspect_ratio.width, images[0].aspect_ratio.height) == (2, 1)


def test_a_thread_has_its_root_and_parents(bluesky_adapter: BlueskyAdapter) -> None:
    request = PublishRequest("1/3 Fil", key(), thread=[ThreadPart("2/3"), ThreadPart("3/3")])
    parts = bluesky_adapter.publish(request).parts
    second = record(bluesky_adapter, parts[1].id).value.reply
    third = record(bluesky_adapter, parts[2].id).value.reply
    assert (second.root.uri, second.parent.uri) == (parts[0].id, parts[0].id)
    assert (third.root.uri, third.parent.uri) == (parts[0].id, parts[1].id)
    assert third.root.cid == parts[0].cid


def test_a_reply_to_someone_elses_post_joins_its_thread(
    bluesky_adapter: BlueskyAdapter, bsky_account: Account
) -> None:
    bob = other(bsky_account("bob"))
    root = bob.send_post("Quelle heure ?")
    parent = bob.send_post(
        "Précision : samedi",
        reply_to=models.AppBskyFeedPost.ReplyRef(
            root=models.create_strong_ref(root), parent=models.create_strong_ref(root)
        ),
    )
    result = bluesky_adapter.reply(RemoteRef(parent.uri, cid=parent.cid), "À 19 h !", key())
    reply = record(bluesky_adapter, result.remote_id).value.reply
    assert (reply.root.uri, reply.parent.uri) == (root.uri, parent.uri)


def test_delete_removes_and_a_second_delete_is_fine(bluesky_adapter: BlueskyAdapter) -> None:
    request = PublishRequest("Éphémère", key())
    result = bluesky_adapter.publish(request)
    bluesky_adapter.delete(result.remote_id)
    assert bluesky_adapter.find_published(request) is None
    bluesky_adapter.delete(result.remote_id)


def test_a_retry_after_a_crash_makes_no_second_post(bluesky_adapter: BlueskyAdapter) -> None:
    request = PublishRequest("Une seule fois", key())
    first = bluesky_adapter.publish(request)
    assert first.remote_id.endswith("/" + tid_for(request.idempotency_key))
    again = bluesky_adapter.publish(request)
    assert again.remote_id == first.remote_id and again.cid == first.cid
    did = bluesky_adapter.session.did
    listed = bluesky_adapter.client.com.atproto.repo.list_records(
        {"repo": did, "collection": "app.bsky.feed.post"}
    )
    assert [r.value.text for r in listed.records].count("Une seule fois") == 1


def test_notifications_of_each_kind_arrive_once_with_the_cursor(
    bluesky_adapter: BlueskyAdapter, bsky_account: Account, rt: Runtime
) -> None:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        channel = f.preview_channel(rt, s, ws, f.user(s, ws, "owner"))
        ids = (ws.id, channel.id)
    stored = 0
    me = bluesky_adapter.verify()
    post = bluesky_adapter.publish(PublishRequest("Venez nombreux", key()))
    page = bluesky_adapter.fetch_notifications(None)
    cursor, seen = page.cursor, [n.remote_id for n in page.notifications]
    bob_account = bsky_account("bob")
    bob = other(bob_account)
    strong = models.ComAtprotoRepoStrongRef.Main(uri=post.remote_id, cid=post.cid or "")
    eventually(lambda: bob.get_posts([post.remote_id]).posts, what="post indexed")
    bob.like(post.remote_id, post.cid)
    bob.repost(post.remote_id, post.cid)
    bob.follow(me.id)
    bob.send_post("J'y serai", reply_to=models.AppBskyFeedPost.ReplyRef(root=strong, parent=strong))
    bob.send_post("À voir", embed=models.AppBskyEmbedRecord.Main(record=strong))
    mention = f"Salut @{me.handle} !"
    bob.send_post(mention, facets=bob.detect_facets(mention))

    got: dict[NotificationKind, object] = {}

    def all_kinds() -> bool:
        nonlocal cursor, stored
        page = bluesky_adapter.fetch_notifications(cursor)
        cursor = page.cursor
        with rt.db.write_engine.begin() as conn:  # ingested as the worker does
            stored += store_notifications(conn, *ids, page.notifications)
        times = [n.created_at for n in page.notifications]
        assert times == sorted(times)  # oldest first
        for n in page.notifications:
            seen.append(n.remote_id)
            got[n.kind] = n
        return len(got) == 6

    eventually(all_kinds, timeout=30, what="like, repost, follow, reply, quote, mention")
    # read again just before the cursor (late indexing), stored once
    assert len(set(seen)) == stored
    assert got[NotificationKind.reply].subject.id == post.remote_id  # type: ignore[attr-defined]
    assert got[NotificationKind.reply].root.id == post.remote_id  # type: ignore[attr-defined]
    assert got[NotificationKind.like].subject.id == post.remote_id  # type: ignore[attr-defined]
    assert got[NotificationKind.quote].text == "À voir"  # type: ignore[attr-defined]
    assert got[NotificationKind.follow].author.handle == bob_account.handle  # type: ignore[attr-defined]
    again = bluesky_adapter.fetch_notifications(cursor).notifications  # nothing new
    assert {n.remote_id for n in again} <= set(seen)

    def metrics() -> object:
        m = bluesky_adapter.fetch_metrics([RemoteRef(post.remote_id, cid=post.cid)])
        found = m.get(post.remote_id)
        return (
            found
            if found and (found.likes, found.reposts, found.replies, found.quotes) == (1, 1, 1, 1)
            else None
        )

    eventually(metrics, what="likes, reposts, replies and quotes counted")


def test_a_reply_listed_below_notifications_already_read_is_not_lost(
    bluesky_adapter: BlueskyAdapter, bsky_account: Account
) -> None:
    """The AppView lists a notification at the earlier of its creation and its indexing: a
    reply written on a slow server (created minutes ago, indexed now) comes below ones
    already read. The next reading still brings it."""
    post = bluesky_adapter.publish(PublishRequest("Ouverture des portes à 18 h", key()))
    cursor = bluesky_adapter.fetch_notifications(None).cursor
    bob = other(bsky_account("bob"))
    strong = {"uri": post.remote_id, "cid": post.cid or ""}
    eventually(lambda: bob.get_posts([post.remote_id]).posts, what="post indexed")
    bob.send_post(
        "On arrive !",
        reply_to=models.AppBskyFeedPost.ReplyRef(
            root=models.ComAtprotoRepoStrongRef.Main(**strong),
            parent=models.ComAtprotoRepoStrongRef.Main(**strong),
        ),
    )
    read: list[str] = []

    def texts(expected: str) -> bool:
        nonlocal cursor
        page = bluesky_adapter.fetch_notifications(cursor)
        cursor = page.cursor
        read.extend(n.text for n in page.notifications)
        return expected in read

    eventually(lambda: texts("On arrive !"), timeout=30, what="the reply on time")
    written = datetime.now(UTC) - timedelta(minutes=5)  # before the one already read
    bob.com.atproto.repo.create_record(
        {
            "repo": bob.me.did,  # type: ignore[union-attr]
            "collection": "app.bsky.feed.post",
            "record": {
                "$type": "app.bsky.feed.post",
                "text": "Écrit dans le train, sans réseau",
                "createdAt": written.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "reply": {"root": strong, "parent": strong},
            },
        }
    )
    eventually(lambda: texts("Écrit dans le train, sans réseau"), timeout=30, what="late reply")


def test_the_session_survives_a_restart_without_a_new_login(bsky_account: Account) -> None:
    account = bsky_account("restart")
    saved = SavedSecrets({"app_password": account.app_password})
    first = make_adapter(account, saved)
    first.verify()
    assert first.session.logins == 1 and "session" in saved.current
    restarted = make_adapter(account, saved)
    restarted.publish(PublishRequest("Après redémarrage", key()))
    assert restarted.session.logins == 0


def test_a_revoked_app_password_needs_reconnection(bsky_account: Account) -> None:
    account = bsky_account("revoked")
    saved = SavedSecrets({"app_password": account.app_password})
    make_adapter(account, saved).verify()
    other(account).com.atproto.server.revoke_app_password({"name": "palabre"})
    # Access tokens live 2 hours; this one has expired, as it would have by then.
    handle, did, access, refresh, pds = saved.current["session"].split(":::")
    header, payload, signature = access.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["exp"] = int(time.time()) - 60
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    expired = f"{header}.{payload}.{signature}"
    saved.current["session"] = ":::".join([handle, did, expired, refresh, pds])
    with pytest.raises(AuthError):
        make_adapter(account, saved).fetch_notifications(None)


def test_a_wrong_app_password_or_the_main_password_is_refused_at_connect(
    bsky_account: Account,
) -> None:
    account = bsky_account("wrong")
    with pytest.raises(ConnectError, match="Wrong handle or app password"):
        make_adapter(account, password="aaaa-bbbb-cccc-dddd").verify()
    with pytest.raises(ConnectError, match="main password"):
        make_adapter(account, password=account.password).verify()
