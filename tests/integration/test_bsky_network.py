"""The local Bluesky network answers like Bluesky: mentions and replies reach the people
concerned as notifications. Talks to the network only, not to Palabre's database."""

from __future__ import annotations

from atproto import client_utils, models

from tests.bsky_net import create_account, eventually, login


def notification(client, reason: str, uri: str):
    """The notification of `reason` about the record `uri`, or None (not there yet)."""
    listed = client.app.bsky.notification.list_notifications({"limit": 50})
    return next((n for n in listed.notifications if n.reason == reason and n.uri == uri), None)


def test_a_mention_and_its_reply_reach_each_other_as_notifications(bsky_pds: str) -> None:
    a = create_account(bsky_pds, name="alice")
    b = create_account(bsky_pds, name="bob")
    alice = login(a.handle, a.app_password, bsky_pds)  # as a Palabre user connects
    bob = login(b.handle, b.app_password, bsky_pds)

    text = client_utils.TextBuilder().text("Hello ").mention(f"@{b.handle}", b.did).text(" !")
    post = alice.send_post(text)

    mention = eventually(
        lambda: notification(bob, "mention", post.uri), what=f"{b.handle} notified of the mention"
    )
    assert mention.author.did == a.did
    assert mention.record.text == f"Hello @{b.handle} !"
    facet = mention.record.facets[0]
    assert facet.features[0].did == b.did
    assert text.build_text().encode()[facet.index.byte_start : facet.index.byte_end] == (
        f"@{b.handle}".encode()
    )

    parent = models.create_strong_ref(post)
    reply = bob.send_post(
        "Hello to you", reply_to=models.AppBskyFeedPost.ReplyRef(parent=parent, root=parent)
    )

    seen = eventually(
        lambda: notification(alice, "reply", reply.uri), what=f"{a.handle} notified of the reply"
    )
    assert seen.author.handle == b.handle
    assert seen.record.text == "Hello to you"
    assert seen.record.reply.parent.uri == post.uri
