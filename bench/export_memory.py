"""Time one member's data export and measure its peak Python memory.

    python bench/export_memory.py --posts 50000
    python bench/export_memory.py --posts 50000 --database-url postgresql+psycopg://.../scratch

Builds a member with that many posts (in threads of 100, one in ten edited once), then
runs the export job as a worker would: once for the wall time, once under tracemalloc for
the peak. Memory must stay flat as posts grow (the job streams in batches): compare
--posts 5000 with --posts 50000. SQLite by default, in a temporary instance folder;
a PostgreSQL URL must point at a scratch database (the schema is migrated into it).
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

POSTS_PER_THREAD = 100


def _member_with_posts(posts: int) -> int:
    from sqlalchemy import insert, select

    from forum import markup
    from forum.auth.models import User
    from forum.auth.passwords import hash_password
    from forum.boards.models import Category, Post, PostRevision, Thread
    from forum.extensions import db
    from forum.timeutil import utcnow
    from generate import BODIES

    rendered = [(body, markup.render(body)) for body in BODIES]
    start = utcnow() - timedelta(days=365)
    name = f"exporter{secrets.token_hex(3)}"
    member = User(username=name, username_key=name, email=f"{name}@example.org",
                  password_hash=hash_password("bench-password-not-for-use"),
                  email_verified_at=start, created_at=start, post_count=posts)
    category = Category(slug=f"export-bench-{name}", name="Export bench")
    db.session.add_all([member, category])
    db.session.flush()
    for first in range(0, posts, POSTS_PER_THREAD):
        count = min(POSTS_PER_THREAD, posts - first)
        thread = Thread(category_id=category.id, author_id=member.id,
                        title=f"Thread {first // POSTS_PER_THREAD}", slug="thread",
                        created_at=start, last_post_at=start, post_count=count)
        db.session.add(thread)
        db.session.flush()
        db.session.execute(insert(Post), [
            {"thread_id": thread.id, "author_id": member.id,
             "body": rendered[n % len(rendered)][0] + f" ({first + n})",
             "body_html": rendered[n % len(rendered)][1],
             "created_at": start + timedelta(seconds=first + n)} for n in range(count)])
        edited = db.session.scalars(
            select(Post.id).where(Post.thread_id == thread.id).order_by(Post.id)).all()[::10]
        db.session.execute(insert(PostRevision), [
            {"post_id": post_id, "body": "An earlier version.", "body_html": "<p>An earlier "
             "version.</p>", "reason": "", "written_at": start, "replaced_at": start,
             "replaced_by_id": member.id} for post_id in edited])
    db.session.commit()
    return member.id


def _export(member_id: int) -> int:
    """Run the job once on a fresh export row; returns the ZIP's size in bytes."""
    from forum.accounts import export as exports
    from forum.accounts.models import DataExport
    from forum.extensions import db

    export = DataExport(user_id=member_id, status="pending",
                        file_name=f"{secrets.token_urlsafe(24)}.zip")
    db.session.add(export)
    db.session.commit()
    exports.build_export(export.id)
    db.session.commit()
    db.session.refresh(export)
    assert export.status == "ready", export.status
    return export.size_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=50000)
    parser.add_argument("--database-url", default="",
                        help="a scratch PostgreSQL database (default: SQLite in a temp folder)")
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="outflow-export-bench-")
    os.environ["INSTANCE_PATH"] = instance
    overrides = {"RATELIMIT_ENABLED": False, "MAIL_BACKEND": "file",
                 "MAIL_OUTBOX": str(Path(instance) / "outbox")}
    if args.database_url:
        overrides["SQLALCHEMY_DATABASE_URI"] = args.database_url

    from forum import create_app

    app = create_app(overrides)
    try:
        _run(app, args.posts)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


def _run(app, posts: int) -> None:
    from flask_migrate import upgrade

    from forum.extensions import db

    with app.app_context():
        upgrade()
        began = time.perf_counter()
        member_id = _member_with_posts(posts)
        print(f"{db.engine.dialect.name}: made a member with {posts} posts "
              f"in {time.perf_counter() - began:.1f} s", flush=True)
        began = time.perf_counter()
        size = _export(member_id)
        wall = time.perf_counter() - began
        db.session.remove()
        tracemalloc.start()
        _export(member_id)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        dialect = db.engine.dialect.name
        db.engine.dispose()
    print(f"| {dialect} | {posts:,} posts | {wall:.1f} s | "
          f"{peak / 2**20:.1f} MiB peak (tracemalloc) | {size / 2**20:.1f} MiB ZIP |")


if __name__ == "__main__":
    main()
