"""Full-text search over the inbox's messages (their text, who wrote them).

SQLite: an FTS5 table ``inbox_messages_fts`` with external content (the messages
themselves), tokenizer ``unicode61 remove_diacritics 2``, kept in sync by triggers.
PostgreSQL: a generated ``search_vector`` column (``to_tsvector('simple', …)`` of the
lower-cased text with accents translated away; no extension needed) and a GIN index.
Both are created by migration 0008 (see ``SQLITE_DDL`` / ``POSTGRES_DDL``); 0012 gave the GIN
index its blocks (``pg_indexed``).

The person's text never reaches the query syntax: it is cut into words (letters and
digits), each quoted for FTS5, given to ``plainto_tsquery`` on PostgreSQL.
"""

# ruff: noqa: S608 -- only this module's constants are put into SQL text; the person's
# words and every value are bound parameters.
from __future__ import annotations

import re
import time
from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, text

FTS_TABLE = "inbox_messages_fts"
MAX_TERMS = 16

# Accented letters → their base letter, for PostgreSQL (``translate`` is immutable and
# built in, unlike the ``unaccent`` extension). Same length, letter for letter.
ACCENTED = (
    "àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőœŕŗřśŝşšţťŧùúûüũūŭůűųŵýÿŷźżž"
)
PLAIN = "aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnoooooooooorrrsssstttuuuuuuuuuuwyyyzzz"
assert len(ACCENTED) == len(PLAIN)
_FOLD = str.maketrans(ACCENTED, PLAIN)  # what _pg_normal does, in Python

_WORD = re.compile(r"[^\W_]+")


def terms(q: str) -> list[str]:
    """The words of a query, lower-cased (accents are folded by the index)."""
    return _WORD.findall(q.lower())[:MAX_TERMS]


def fts5_query(words: Sequence[str]) -> str:
    """Every word, quoted (a phrase of one word): FTS5 operators stay plain words."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def _pg_normal(expr: str) -> str:
    return f"translate(lower({expr}), '{ACCENTED}', '{PLAIN}')"


# What PostgreSQL indexes: the text, the author's handle (its "@" and "." as spaces, so
# "marie" finds "@marie@mastodon.social") and name.
PG_DOCUMENT = _pg_normal(
    "coalesce(text, '') || ' ' || translate(coalesce(author_handle, ''), '@.', '  ')"
    " || ' ' || coalesce(author_name, '')"
)
PG_QUERY = f"plainto_tsquery('simple', {_pg_normal(':q')})"

# PostgreSQL's GIN index holds, besides each message's words, a word naming its block of
# 16,384 message ids ("é" and the block's number: no query can contain it, queries are
# folded to plain letters). Words that rarely meet are then found newest first block by
# block (their intersection within one block), not over every message at once.
BLOCK_BITS = 14


def pg_indexed(alias: str) -> str:
    """What the GIN index holds for a message of table (alias) ``alias``: queries that
    should use the index match this expression, not the column."""
    return (
        f"({alias}.search_vector || "
        f"array_to_tsvector(ARRAY['é' || ({alias}.id >> {BLOCK_BITS})::text]))"
    )


def pg_blocks(blocks: Sequence[int]) -> str:
    """Any of these blocks (``message id >> BLOCK_BITS``), as a ``tsquery`` text."""
    return " | ".join(f"é{block}" for block in blocks)


SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(text, author_handle, author_name, "
    "content='inbox_messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON inbox_messages BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, text, author_handle, author_name) "
    "VALUES (new.id, new.text, new.author_handle, new.author_name); END",
    f"CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON inbox_messages BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text, author_handle, author_name) "
    "VALUES ('delete', old.id, old.text, old.author_handle, old.author_name); END",
    f"CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF text, author_handle, author_name "
    "ON inbox_messages BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text, author_handle, author_name) "
    "VALUES ('delete', old.id, old.text, old.author_handle, old.author_name); "
    f"INSERT INTO {FTS_TABLE}(rowid, text, author_handle, author_name) "
    "VALUES (new.id, new.text, new.author_handle, new.author_name); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",  # the messages already there
)
SQLITE_DROP = (
    *(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{t}" for t in ("ai", "ad", "au")),
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)
PG_INDEX = (
    "CREATE INDEX ix_inbox_messages_search ON inbox_messages "
    f"USING gin ({pg_indexed('inbox_messages')})"
)
POSTGRES_DDL = (
    "ALTER TABLE inbox_messages ADD COLUMN search_vector tsvector "
    f"GENERATED ALWAYS AS (to_tsvector('simple', {PG_DOCUMENT})) STORED",
    PG_INDEX,
)
POSTGRES_DROP = (
    "DROP INDEX IF EXISTS ix_inbox_messages_search",
    "ALTER TABLE inbox_messages DROP COLUMN IF EXISTS search_vector",
)


def is_search_object(name: str | None, type_: str) -> bool:
    """Built by hand in the migration, not described by the models (Alembic skips them)."""
    if not name:
        return False
    search = {"search_vector", "ix_inbox_messages_search", "search_todo"}
    return name.startswith(FTS_TABLE) or name in search | {"ix_inbox_messages_search_todo"}


_PG_SETTINGS = text(
    "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
    "set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true), "
    "set_config('enable_bitmapscan', :bitmaps, true), "
    "(SELECT coalesce(max(id), 0) + 1 FROM inbox_messages)"
)


def plan(conn: Connection, *, walk: bool) -> int:
    """PostgreSQL, for this transaction: plans made with the values (a generic plan
    guesses a word's frequency), no parallel workers and no JIT compilation (their start
    costs more than these queries: JIT took 15 of a rare word's 16 ms); a walk by primary
    key, or the GIN index (read only through bitmaps: without them the planner cannot
    take it; with them it prefers the words' whole lists to a walk). Returns the next
    message id (in the same round trip)."""
    row = conn.execute(_PG_SETTINGS, {"bitmaps": "off" if walk else "on"}).one()
    return int(row[-1])


COMMON = 0.02  # a word in 2 % of the messages or more: newest first by walking the table


STATS_TTL = 300.0  # seconds: the words' frequencies change slowly (ANALYZE)
_stats: dict[str, tuple[float, dict[str, float]]] = {}  # database → (read at, frequencies)


def is_common(conn: Connection, words: Sequence[str]) -> bool:
    """Whether every word is frequent, from PostgreSQL's statistics of ``search_vector``
    (its planner cannot tell from a query built from a parameter, and guesses wrong for
    rare words: a walk over millions of rows instead of the index). The statistics are
    read once every few minutes per process, not at each search."""
    freqs = _frequencies(conn)
    if not freqs:
        return False
    return all(freqs.get(w.lower().translate(_FOLD), 0.0) >= COMMON for w in words)


def together(conn: Connection, words: Sequence[str]) -> float:
    """The share of the messages in which the words would meet if they were independent
    (the product of their frequencies: "horaires" and "dimanche", each in 5 %: 0.25 %).
    Words that often go together ("musée" and "ouvert") meet more than that: the walk
    then finds that the page fills quickly (see search_pg.py)."""
    freqs = _frequencies(conn)
    share = 1.0
    for word in {w.lower().translate(_FOLD) for w in words}:
        share *= freqs.get(word, 0.0)
    return share


def _frequencies(conn: Connection) -> dict[str, float]:
    key = str(conn.engine.url)
    now = time.monotonic()
    cached = _stats.get(key)
    if cached is not None and now - cached[0] < STATS_TTL:
        return cached[1]
    stats = conn.execute(
        text(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = 'inbox_messages' AND attname = 'search_vector'"
        )
    ).first()
    freqs = {} if stats is None or stats[0] is None else dict(zip(stats[0], stats[1], strict=False))
    _stats[key] = (now, freqs)
    return freqs


def matched_since(
    conn: Connection, words: Sequence[str], conversation_ids: Sequence[int], since: int
) -> set[int]:
    """SQLite: which of these conversations have a matching message with id >= ``since``."""
    if not conversation_ids:
        return set()
    sql = (
        f"SELECT DISTINCT m.conversation_id FROM inbox_messages m "
        f"CROSS JOIN {FTS_TABLE} f ON f.rowid = m.id "
        f"WHERE m.conversation_id IN :ids AND m.id >= :since AND {FTS_TABLE} MATCH :q"
    )
    stmt = text(sql).bindparams(bindparam("ids", expanding=True))
    params = {"q": fts5_query(words), "since": since, "ids": list(conversation_ids)}
    return {r[0] for r in conn.execute(stmt, params)}


def ranked(
    conn: Connection, workspace_id: int, words: Sequence[str], window: int
) -> list[tuple[int, int, float]]:
    """(message id, conversation id, score: higher is better) of the newest ``window``
    matching messages, best first."""
    if conn.dialect.name == "sqlite":
        sql = (
            "SELECT h.mid, m.conversation_id, h.score FROM ("
            f"SELECT rowid AS mid, -bm25({FTS_TABLE}) AS score FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH :q ORDER BY rowid DESC LIMIT :n) h "
            "JOIN inbox_messages m ON m.id = h.mid WHERE m.workspace_id = :ws"
        )
        q = fts5_query(words)
    else:
        common = is_common(conn, words)
        matched = "search_vector" if common else pg_indexed("inbox_messages")
        found = (
            "SELECT id, conversation_id, search_vector FROM inbox_messages "
            f"WHERE {matched} @@ {PG_QUERY} AND workspace_id = :ws"
        )
        plan(conn, walk=common)
        if not common:
            found = f"WITH hits AS MATERIALIZED ({found}) SELECT * FROM hits"
        sql = (
            f"SELECT id, conversation_id, ts_rank(search_vector, {PG_QUERY}) "
            f"FROM ({found} ORDER BY id DESC LIMIT :n) h"
        )
        q = " ".join(words)
    rows = conn.execute(text(sql), {"q": q, "ws": workspace_id, "n": window})
    hits = [(r[0], r[1], float(r[2])) for r in rows]
    hits.sort(key=lambda h: (-h[2], -h[0]))
    return hits
