"""The search index's database objects that no model describes, and how Alembic skips them.

The index lives in the database and is kept by triggers (migration 0009), so every write
to a post or a thread title — by any service, the command line or a bulk UPDATE — changes
it in the same transaction:

- PostgreSQL: `posts.search_vector`, a tsvector (the thread's title, weighted A, on the
  opening post; the body on every post), set by the trigger `posts_search_vector` and
  re-set for the opening post by `threads_search_title` when a title changes; indexed by
  the GIN index `ix_posts_search_vector`.
- SQLite: the FTS5 table `post_search` (rowid = posts.id, columns title and body, with its
  shadow tables `post_search_*`), kept by the triggers `posts_search_*` and
  `threads_search_title`. It keeps its own copy of the text: the FTS5 "delete" of an
  external-content table needs the exact old values, which a thread's title changing
  under its opening post would make easy to get wrong, silently.

The models cannot describe a tsvector column on both databases nor a virtual table, so
autogenerate and tests/test_schema.py are told to leave these names alone (else they would
propose dropping them). A batch migration that rebuilds `posts` or `threads` on SQLite
drops their triggers with the old table: such a migration must create them again.
"""
from __future__ import annotations

SQLITE_TABLE = "post_search"
POSTGRES_COLUMN = "search_vector"
POSTGRES_INDEX = "ix_posts_search_vector"


def _search_table(name: str) -> bool:
    return name == SQLITE_TABLE or name.startswith(SQLITE_TABLE + "_")


def include_name(name, type_, parent_names) -> bool:
    """Alembic's `include_name`: reflect nothing of the SQLite full-text tables."""
    if type_ == "table" and name is not None:
        return not _search_table(name)
    return True


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's `include_object`: the PostgreSQL search column and its index exist in the
    database only (reflected, with no model counterpart)."""
    if not reflected or compare_to is not None:
        return True
    if type_ == "column" and name == POSTGRES_COLUMN and obj.table.name == "posts":
        return False
    if type_ == "index" and name == POSTGRES_INDEX:
        return False
    return not (type_ == "table" and _search_table(name))


ALEMBIC_OPTIONS = {"include_name": include_name, "include_object": include_object}
