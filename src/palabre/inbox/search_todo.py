"""A second search index over the messages of the conversations still to handle.

The inbox's default list is "to handle" (new and open conversations: about one in ten of
an inbox's messages once it has a history). A search narrowed to it, and more so to
"mine, to handle", keeps so few of all the matches that reading every match newest first
and checking its conversation costs too much for words that rarely meet ("horaires
dimanche" among 5,000,000 messages: 50 results lie 1.7 million ids deep). This index
holds only those messages, so the same search reads a tenth as much.

Each message carries ``search_todo``, a copy of its conversation's ``to_handle`` kept by
the database itself (triggers: when a conversation starts or stops being to handle, and
when a message arrives), like the full-text indexes: every writer keeps it right without
knowing about it. It is not described by the models (Alembic skips it,
``search.is_search_object``). Built by migration 0013.

- SQLite: an FTS5 table ``inbox_messages_fts_todo`` (external content, the same tokenizer
  as ``inbox_messages_fts``) holding the messages whose ``search_todo`` is set.
- PostgreSQL: a partial GIN index ``ix_inbox_messages_search_todo`` on the same expression
  as the main one (``search.pg_indexed``), ``WHERE search_todo``.
"""

# ruff: noqa: S608 -- only this module's constants are put into SQL text.
from __future__ import annotations

from palabre.inbox.search import pg_indexed

FTS_TODO = "inbox_messages_fts_todo"
_COLUMNS = "text, author_handle, author_name"
_OLD = "old.id, old.text, old.author_handle, old.author_name"
_NEW = "new.id, new.text, new.author_handle, new.author_name"

SQLITE_DDL = (
    "ALTER TABLE inbox_messages ADD COLUMN search_todo BOOLEAN NOT NULL DEFAULT 0",
    f"CREATE VIRTUAL TABLE {FTS_TODO} USING fts5({_COLUMNS}, content='inbox_messages', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    # A message arriving in a conversation to handle: marked (the next trigger indexes it).
    f"CREATE TRIGGER {FTS_TODO}_ai AFTER INSERT ON inbox_messages "
    "WHEN (SELECT to_handle FROM conversations WHERE id = new.conversation_id) BEGIN "
    "UPDATE inbox_messages SET search_todo = 1 WHERE id = new.id; END",
    f"CREATE TRIGGER {FTS_TODO}_au AFTER UPDATE OF search_todo, text, author_handle, "
    "author_name ON inbox_messages BEGIN "
    f"INSERT INTO {FTS_TODO}({FTS_TODO}, rowid, {_COLUMNS}) "
    f"SELECT 'delete', {_OLD} WHERE old.search_todo; "
    f"INSERT INTO {FTS_TODO}(rowid, {_COLUMNS}) SELECT {_NEW} WHERE new.search_todo; END",
    f"CREATE TRIGGER {FTS_TODO}_ad AFTER DELETE ON inbox_messages WHEN old.search_todo BEGIN "
    f"INSERT INTO {FTS_TODO}({FTS_TODO}, rowid, {_COLUMNS}) VALUES ('delete', {_OLD}); END",
    # A conversation that starts or stops being to handle: its messages follow.
    f"CREATE TRIGGER {FTS_TODO}_follow AFTER UPDATE OF to_handle ON conversations "
    "WHEN old.to_handle IS NOT new.to_handle BEGIN "
    "UPDATE inbox_messages SET search_todo = new.to_handle "
    "WHERE conversation_id = new.id; END",
    # The messages already stored (the triggers above index them).
    "UPDATE inbox_messages SET search_todo = 1 WHERE conversation_id IN "
    "(SELECT id FROM conversations WHERE to_handle)",
)
SQLITE_DROP = (
    *(f"DROP TRIGGER IF EXISTS {FTS_TODO}_{t}" for t in ("ai", "au", "ad", "follow")),
    f"DROP TABLE IF EXISTS {FTS_TODO}",
    "ALTER TABLE inbox_messages DROP COLUMN search_todo",
)

POSTGRES_DDL = (
    "ALTER TABLE inbox_messages ADD COLUMN search_todo boolean NOT NULL DEFAULT false",
    "CREATE FUNCTION inbox_search_todo_arrives() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN NEW.search_todo = coalesce((SELECT to_handle FROM conversations "
    "WHERE id = NEW.conversation_id), false); RETURN NEW; END $$",
    "CREATE TRIGGER inbox_messages_search_todo BEFORE INSERT ON inbox_messages "
    "FOR EACH ROW EXECUTE FUNCTION inbox_search_todo_arrives()",
    "CREATE FUNCTION inbox_search_todo_follows() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN UPDATE inbox_messages SET search_todo = NEW.to_handle "
    "WHERE conversation_id = NEW.id AND search_todo IS DISTINCT FROM NEW.to_handle; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER conversations_search_todo AFTER UPDATE OF to_handle ON conversations "
    "FOR EACH ROW WHEN (OLD.to_handle IS DISTINCT FROM NEW.to_handle) "
    "EXECUTE FUNCTION inbox_search_todo_follows()",
    "UPDATE inbox_messages m SET search_todo = true FROM conversations c "
    "WHERE c.id = m.conversation_id AND c.to_handle",
    "CREATE INDEX ix_inbox_messages_search_todo ON inbox_messages "
    f"USING gin ({pg_indexed('inbox_messages')}) WHERE search_todo",
)
POSTGRES_DROP = (
    "DROP INDEX IF EXISTS ix_inbox_messages_search_todo",
    "DROP TRIGGER IF EXISTS conversations_search_todo ON conversations",
    "DROP TRIGGER IF EXISTS inbox_messages_search_todo ON inbox_messages",
    "DROP FUNCTION IF EXISTS inbox_search_todo_follows()",
    "DROP FUNCTION IF EXISTS inbox_search_todo_arrives()",
    "ALTER TABLE inbox_messages DROP COLUMN IF EXISTS search_todo",
)
