"""The inbox against the real local Bluesky network: people reply to the organisation's
post, reply to each other in its thread and mention it; the inbox shows them threaded
under our post; a reply from Palabre lands under the right message, in the right
thread, once."""

from __future__ import annotations

from collections.abc import Callable

from atproto import models
from sqlalchemy import select

from palabre.channels import services as channels
from palabre.core.runtime import Runtime
from palabre.inbox import replies
from palabre.inbox import services as inbox
from palabre.publishing.models import Delivery
from tests import factories as f
from tests.bsky_net import BskyAccount, eventually, login
from tests.inbox_support import conversations, person, read_now, run


def test_bluesky_replies_and_mentions_are_threaded_and_answered_once(
    rt: Runtime, bsky_pds: str, bsky_account: Callable[[str], BskyAccount]
) -> None:
    org = bsky_account("musee")
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        manager = f.user(s, ws, "manager")
        channel = channels.create_channel(
            s,
            ws,
            kind="bluesky",
            name="Bluesky du musée",
            settings={"service": bsky_pds, "handle": org.handle, "app_password": org.app_password},
            actor=manager,
            box=rt.box,
            net=rt.net,
        )
        f.post(s, ws, manager, [channel], text="Nocturne vendredi jusqu'à 22 h")
        ids = (ws.id, manager.id)
    run(rt)
    with rt.db.transaction(write=False) as s:
        ours = s.scalars(select(Delivery)).one()
    assert ours.state == "published" and ours.remote_id and ours.remote_cid

    bob = login(*_creds(bsky_account("bob")))
    carol = login(*_creds(bsky_account("carol")))
    root = models.ComAtprotoRepoStrongRef.Main(uri=ours.remote_id, cid=ours.remote_cid)
    eventually(lambda: bob.get_posts([ours.remote_id]).posts, what="our post indexed")
    question = bob.send_post(
        "C'est gratuit pour les étudiants ?",
        reply_to=models.AppBskyFeedPost.ReplyRef(root=root, parent=root),
    )
    bob_ref = models.ComAtprotoRepoStrongRef.Main(uri=question.uri, cid=question.cid)
    eventually(lambda: carol.get_posts([question.uri]).posts, what="bob's reply indexed")
    carol.send_post(
        "Je me demandais aussi",
        reply_to=models.AppBskyFeedPost.ReplyRef(root=root, parent=bob_ref),
    )
    text = f"Bravo @{org.handle} pour la nocturne"
    bob.send_post(text, facets=bob.detect_facets(text))

    def threaded() -> list[object] | None:
        read_now(rt, 1)
        convs = conversations(rt)
        return convs if sum(len(m) for _, m in convs) >= 3 else None

    convs = eventually(threaded, timeout=30, what="the reply, the reply to it, the mention")
    by_root = {c.root_id: (c, msgs) for c, msgs in conversations(rt)}
    thread, msgs = by_root[ours.remote_id]
    assert [m.text for m in msgs] == ["C'est gratuit pour les étudiants ?", "Je me demandais aussi"]
    assert thread.subject_post_id is not None  # our post they answer
    assert len(convs) == 2  # the thread, and the mention on its own

    # Answer Bob (not Carol): threaded under his message, in our post's thread.
    with rt.db.transaction() as s:
        conv = inbox.get_conversation(s, ids[0], thread.id)
        replies.reply(
            s,
            conv,
            "Oui, sur présentation de la carte.",
            actor=person(s, ids[1]),
            reply_to_id=msgs[0].id,
        )
    run(rt, 2)
    run(rt, 6)
    [(_, after)] = [(c, m) for c, m in conversations(rt) if c.id == thread.id]
    ours_reply = after[-1]
    assert ours_reply.direction == "out" and ours_reply.state == "sent" and ours_reply.remote_id
    org_client = login(org.handle, org.password, org.pds_url)
    record = org_client.com.atproto.repo.get_record(
        {
            "repo": org_client.me.did,
            "collection": "app.bsky.feed.post",
            "rkey": ours_reply.remote_id.rsplit("/", 1)[1],
        }
    ).value
    assert (record.reply.parent.uri, record.reply.root.uri) == (question.uri, ours.remote_id)
    feed = org_client.get_author_feed(org_client.me.did).feed
    assert sum(1 for item in feed if item.post.record.text.startswith("Oui, sur présentation")) == 1


def _creds(account: BskyAccount) -> tuple[str, str, str]:
    return account.handle, account.password, account.pds_url
