"""Full-text search: PostgreSQL tsvector with a GIN index, SQLite FTS5

The index is kept by triggers, so that every write to a post's body or a thread's title
changes it in the same transaction, whoever makes the write. The opening post of a thread
carries the thread's title (weighted above the body) so that a title is found as its
first post. See forum/search/schema.py for why Alembic's comparison skips these objects.

Revision ID: 4d9f6a1c2e57
Revises: 7b3e0c2f9a18
Create Date: 2026-11-30 11:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '4d9f6a1c2e57'
down_revision = '7b3e0c2f9a18'
branch_labels = None
depends_on = None


# The thread's title when the post is its thread's first, else nothing. Post ids only
# grow, so "no post of the thread with a smaller id" is the opening post.
_OPENING_TITLE = """(SELECT t.title FROM threads t WHERE t.id = {post}.thread_id
    AND NOT EXISTS (SELECT 1 FROM posts o
                    WHERE o.thread_id = {post}.thread_id AND o.id < {post}.id))"""

POSTGRES_UP = [
    "ALTER TABLE posts ADD COLUMN search_vector tsvector",
    f"""CREATE FUNCTION posts_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := setweight(to_tsvector('english',
                                   coalesce({_OPENING_TITLE.format(post='NEW')}, '')), 'A')
                         || to_tsvector('english', NEW.body);
    RETURN NEW;
END $$""",
    """CREATE TRIGGER posts_search_vector BEFORE INSERT OR UPDATE OF body, thread_id
    ON posts FOR EACH ROW EXECUTE FUNCTION posts_search_vector()""",
    """CREATE FUNCTION threads_search_title() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE posts SET search_vector = setweight(to_tsvector('english', NEW.title), 'A')
                                     || to_tsvector('english', body)
    WHERE id = (SELECT min(id) FROM posts WHERE thread_id = NEW.id);
    RETURN NULL;
END $$""",
    """CREATE TRIGGER threads_search_title AFTER UPDATE OF title ON threads FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title) EXECUTE FUNCTION threads_search_title()""",
    # Fills the column for the posts already there (the trigger fires on UPDATE OF body).
    "UPDATE posts SET body = body",
    "CREATE INDEX ix_posts_search_vector ON posts USING gin (search_vector)",
]

POSTGRES_DOWN = [
    "DROP TRIGGER threads_search_title ON threads",
    "DROP FUNCTION threads_search_title()",
    "DROP TRIGGER posts_search_vector ON posts",
    "DROP FUNCTION posts_search_vector()",
    "DROP INDEX ix_posts_search_vector",
    "ALTER TABLE posts DROP COLUMN search_vector",
]

_SQLITE_INDEX_NEW = f"""INSERT INTO post_search (rowid, title, body)
        VALUES (new.id, coalesce({_OPENING_TITLE.format(post='new')}, ''), new.body);"""

SQLITE_UP = [
    """CREATE VIRTUAL TABLE post_search USING fts5(title, body,
    tokenize = 'porter unicode61')""",
    f"""CREATE TRIGGER posts_search_insert AFTER INSERT ON posts BEGIN
    {_SQLITE_INDEX_NEW}
END""",
    f"""CREATE TRIGGER posts_search_update AFTER UPDATE OF body, thread_id ON posts BEGIN
    DELETE FROM post_search WHERE rowid = old.id;
    {_SQLITE_INDEX_NEW}
END""",
    """CREATE TRIGGER posts_search_delete AFTER DELETE ON posts BEGIN
    DELETE FROM post_search WHERE rowid = old.id;
END""",
    """CREATE TRIGGER threads_search_title AFTER UPDATE OF title ON threads
WHEN old.title IS NOT new.title BEGIN
    UPDATE post_search SET title = new.title
    WHERE rowid = (SELECT min(id) FROM posts WHERE thread_id = new.id);
END""",
    f"""INSERT INTO post_search (rowid, title, body)
    SELECT p.id, coalesce({_OPENING_TITLE.format(post='p')}, ''), p.body FROM posts p""",
]

SQLITE_DOWN = [
    "DROP TRIGGER threads_search_title",
    "DROP TRIGGER posts_search_delete",
    "DROP TRIGGER posts_search_update",
    "DROP TRIGGER posts_search_insert",
    "DROP TABLE post_search",
]


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    # Search filters by date, and ranks the newest matches: both walk this index.
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posts_created_at'), ['created_at'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _run(POSTGRES_UP)
    else:
        _run(SQLITE_UP)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _run(POSTGRES_DOWN)
    else:
        _run(SQLITE_DOWN)
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posts_created_at'))
