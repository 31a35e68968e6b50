"""Bluesky on the real local network (scripts/bsky.sh start):

(a) publishing N posts through Palabre's adapter vs the bare ``atproto`` SDK's
    ``send_post``, same texts, same network, interleaved rounds; the ratio (goal ≤ 1.2);
(b) notifications ingested per second: other accounts like, repost, reply to and mention
    the channel's account, then ``fetch_notifications`` pages through them all from the
    stored cursor and ``store_notifications`` writes them into a Palabre database
    (SQLite file; PostgreSQL too with --db postgresql) — goal ≥ 500/s.

    eval $(bash scripts/bsky.sh env)
    .venv/bin/python benchmarks/bench_bluesky.py [--posts 200] [--actors 30] [--targets 25]
        [--db sqlite postgresql]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import common
from atproto import models
from tests.bsky_net import create_account, login
from tests.fixtures.bluesky import make_adapter

from palabre.channels.base import PublishRequest
from palabre.inbox.ingest import store_notifications


def text(i: int) -> str:
    return f"Message n° {i} : l'été au musée 🌞 — entrée libre, café offert ☕ #musée"


def publishing(pds: str, posts: int) -> dict[str, float]:
    ours = make_adapter(create_account(pds, name="palabre"))
    ours.verify()
    bare_account = create_account(pds, name="sdk")
    bare = login(bare_account.handle, bare_account.app_password, pds)
    # An untimed warm-up of both, so that no timed batch is the first the network serves:
    # the AppView indexes each batch after it is created, on the same cores, and the batch
    # after it pays for that. Rounds alternate (ABBA) so each side follows the other as often.
    for i in range(10):
        bare.send_post(text(i))
        ours.publish(PublishRequest(text(i), f"warm-{i}"))
    times = {"palabre": 0.0, "sdk": 0.0}
    rounds = 8
    per = posts // rounds
    for r in range(rounds):
        for who in ("sdk", "palabre") if r % 4 in (0, 3) else ("palabre", "sdk"):
            started = time.perf_counter()
            for i in range(r * per, (r + 1) * per):
                if who == "sdk":
                    bare.send_post(text(i))
                else:
                    ours.publish(PublishRequest(text(i), f"bench-{r}-{i}"))
            times[who] += time.perf_counter() - started
    n = per * rounds
    return {
        "posts": n,
        "palabre_s": times["palabre"],
        "sdk_s": times["sdk"],
        "palabre_per_s": n / times["palabre"],
        "sdk_per_s": n / times["sdk"],
        "ratio": times["palabre"] / times["sdk"],
    }


def generate(pds: str, actors: int, targets: int) -> tuple[object, int]:
    """The channel's account, with actors x targets x 3 notifications (like, repost,
    reply) plus one mention per actor."""
    channel = make_adapter(create_account(pds, name="musee"))
    me = channel.verify()
    first = channel.fetch_notifications(None)  # the stored point: nothing yet
    posts = [channel.publish(PublishRequest(f"Post {i}", f"target-{i}")) for i in range(targets)]

    def act(n: int) -> int:
        account = create_account(pds, name=f"fan{n}")
        client = login(account.handle, account.app_password, pds)
        made = 0
        for p in posts:
            strong = models.ComAtprotoRepoStrongRef.Main(uri=p.remote_id, cid=p.cid or "")
            client.like(p.remote_id, p.cid)
            client.repost(p.remote_id, p.cid)
            ref = models.AppBskyFeedPost.ReplyRef(root=strong, parent=strong)
            client.send_post(f"Réponse de {n} 👍", reply_to=ref)
            made += 3
        mention = f"Bravo @{me.handle} !"
        client.send_post(mention, facets=client.detect_facets(mention))
        return made + 1

    with ThreadPoolExecutor(4) as pool:
        expected = sum(pool.map(act, range(actors)))
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:  # until the AppView has indexed them all
        unread = channel.client.app.bsky.notification.get_unread_count().count
        if unread >= expected:
            break
        time.sleep(1)
    return (channel, first.cursor), expected


def ingesting(state: tuple[object, str | None], expected: int, kind: str, pg: str | None) -> dict:
    channel, cursor = state
    with common.instance(kind, pg) as inst:
        team = common.seed_team(inst, 1)
        rt = inst.runtime()
        try:
            started = time.perf_counter()
            fetched = stored = 0
            fetch_s = 0.0
            more = True
            while more:
                t0 = time.perf_counter()
                page = channel.fetch_notifications(cursor)  # type: ignore[attr-defined]
                fetch_s += time.perf_counter() - t0
                with rt.db.write_engine.begin() as conn:
                    stored += store_notifications(
                        conn, team.workspace_id, team.channel_ids[0], page.notifications
                    )
                fetched += len(page.notifications)
                cursor, more = page.cursor, page.more
            total = time.perf_counter() - started
            again = channel.fetch_notifications(cursor).notifications  # type: ignore[attr-defined]
        finally:
            rt.close()
    return {
        "db": kind,
        "expected": expected,
        "fetched": fetched,
        "stored": stored,
        "repeated_next_call": len(again),
        "seconds": total,
        "fetch_seconds": fetch_s,
        "per_s": stored / total,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--actors", type=int, default=30)
    parser.add_argument("--targets", type=int, default=25)
    parser.add_argument("--db", nargs="+", default=["sqlite"])
    args = parser.parse_args()
    pds = os.environ.get("PALABRE_TEST_BSKY_PDS")
    if not pds:
        raise SystemExit(
            "start the network: bash scripts/bsky.sh start; eval $(bash scripts/bsky.sh env)"
        )
    print(
        f"machine: {common.machine()}; commit {common.git_version()}; load {common.load_average()}"
    )
    pub = publishing(pds, args.posts)
    print(
        f"publish {pub['posts']} posts: "
        f"Palabre {pub['palabre_s']:.2f} s ({pub['palabre_per_s']:.1f}/s), "
        f"bare SDK {pub['sdk_s']:.2f} s ({pub['sdk_per_s']:.1f}/s), ratio {pub['ratio']:.2f}"
    )
    t0 = time.perf_counter()
    state, expected = generate(pds, args.actors, args.targets)
    print(f"generated {expected} notifications in {time.perf_counter() - t0:.0f} s")
    with ExitStack() as stack:
        for kind in args.db:
            pg = stack.enter_context(common.postgres()) if kind == "postgresql" else None
            r = ingesting(state, expected, kind, pg)
            print(
                f"ingest ({r['db']}): {r['stored']}/{r['expected']} stored in {r['seconds']:.2f} s "
                f"= {r['per_s']:.0f}/s (fetching {r['fetch_seconds']:.2f} s); "
                f"next call returned {r['repeated_next_call']}"
            )
    print(f"load after: {common.load_average()}")


if __name__ == "__main__":
    main()
