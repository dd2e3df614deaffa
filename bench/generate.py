"""Fill a database with a large forum, fast, for benchmarks.

    DATABASE_URL=sqlite:////tmp/big.sqlite3 python bench/generate.py --threads 20000 --posts 25
    ... --reports 100000      # and treatment reports with their follow-ups (generate_outcomes.py)

The schema is migrated first. Rows go in with bulk inserts; counters and
"latest post" pointers are set exactly as the services would leave them.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, select, update  # noqa: E402

from forum import create_app, markup  # noqa: E402
from forum.auth.models import User  # noqa: E402
from forum.auth.passwords import hash_password  # noqa: E402
from forum.boards.models import Category, Post, Thread  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.timeutil import utcnow  # noqa: E402

BODIES = [
    "Had my **follow-up** today. Walking about the same, fatigue a bit better.",
    "Thank you for posting this. Did you have any *complications* afterwards?",
    "My neurologist said the same. See https://example.org/trial-summary for the trial.",
    "- fatigue: 3/4\n- heat: 2/4\n- balance: 2/4\n\nNo relapses this year.",
    "> I only ever read the good stories back then.\n\nSame here. Thanks for the honesty.",
]


def generate(categories: int, threads: int, posts: int, users: int, seed: int,
             links: int = 0, reports: int = 0) -> None:
    rng = random.Random(seed)
    rendered = [(body, markup.render(body)) for body in BODIES]
    start = utcnow() - timedelta(days=365)
    password = hash_password("bench-password-not-for-use")

    db.session.execute(insert(User), [
        {"username": f"bench{n}", "username_key": f"bench{n}", "email": f"bench{n}@example.org",
         "password_hash": password, "role": "member", "email_verified_at": start,
         "created_at": start, "post_count": 0}
        for n in range(users)
    ])
    user_ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    db.session.execute(insert(Category), [
        {"slug": f"bench-{n}", "name": f"Bench category {n}", "description": "Generated.",
         "position": n, "created_at": start, "thread_count": 0, "post_count": 0}
        for n in range(categories)
    ])
    category_ids = list(db.session.scalars(select(Category.id).order_by(Category.id)))

    moment = start
    for batch_start in range(0, threads, 500):
        batch = range(batch_start, min(batch_start + 500, threads))
        thread_rows = []
        for n in batch:
            moment += timedelta(seconds=30)
            thread_rows.append({
                "category_id": category_ids[n % len(category_ids)],
                "author_id": rng.choice(user_ids), "title": f"Generated thread {n}",
                "slug": f"generated-thread-{n}", "created_at": moment, "last_post_at": moment,
                "post_count": posts, "is_pinned": n % 97 == 0, "is_locked": False,
            })
        db.session.execute(insert(Thread), thread_rows)
        thread_ids = list(db.session.scalars(
            select(Thread.id).order_by(Thread.id.desc()).limit(len(thread_rows))))[::-1]
        post_rows = []
        for thread_id, row in zip(thread_ids, thread_rows):
            for index in range(posts):
                body, html = rendered[(thread_id + index) % len(rendered)]
                post_rows.append({
                    "thread_id": thread_id, "author_id": rng.choice(user_ids), "body": body,
                    "body_html": html, "created_at": row["created_at"] + timedelta(seconds=index),
                })
        db.session.execute(insert(Post), post_rows)
        db.session.commit()
        print(f"  {batch.stop} threads", flush=True)
    _set_counters()
    db.session.commit()
    _pin_links(links, category_ids, user_ids[0], rendered[0][1], start)
    if reports:
        from generate_outcomes import generate_reports

        follow_ups, complications = generate_reports(reports, user_ids, seed)
        print(f"  {reports} treatment reports, {follow_ups} follow-ups, "
              f"{complications} complication rows")


def _pin_links(count: int, category_ids: list[int], staff_id: int, note_html: str,
               moment) -> None:
    """Clinic links spread over two clinics, site-wide and per category, each with a note."""
    from forum.resources.models import (
        Clinic, EvidenceNote, ResourceLink, resource_link_categories,
    )

    if not count:
        return
    db.session.execute(insert(Clinic), [{"name": f"Bench clinic {n}", "website": "",
                                         "description": "", "created_at": moment}
                                        for n in range(2)])
    clinic_ids = list(db.session.scalars(select(Clinic.id).order_by(Clinic.id)))
    db.session.execute(insert(ResourceLink), [
        {"clinic_id": clinic_ids[n % 2], "title": f"Bench resource {n}",
         "url": f"https://example.org/resource/{n}", "description": "A generated link.",
         "site_wide": n % 3 == 0, "position": n, "created_by_id": staff_id,
         "created_at": moment, "updated_at": moment, "hidden_reason": "",
         "link_status": "unknown", "check_detail": ""}
        for n in range(count)])
    link_ids = list(db.session.scalars(select(ResourceLink.id).order_by(ResourceLink.id)))
    db.session.execute(insert(resource_link_categories), [
        {"link_id": link_id, "category_id": category_ids[n % len(category_ids)]}
        for n, link_id in enumerate(link_ids)])
    db.session.execute(insert(EvidenceNote), [
        {"link_id": link_id, "body": "A note.", "body_html": note_html, "author_id": staff_id,
         "created_at": moment, "updated_at": moment} for link_id in link_ids])
    db.session.commit()


def _set_counters() -> None:
    from sqlalchemy import func

    last_post = (select(func.max(Post.id)).where(Post.thread_id == Thread.id)
                 .correlate(Thread).scalar_subquery())
    last_at = (select(func.max(Post.created_at)).where(Post.thread_id == Thread.id)
               .correlate(Thread).scalar_subquery())
    db.session.execute(update(Thread).values(last_post_id=last_post, last_post_at=last_at))
    for column, expression in (
        (Category.thread_count, select(func.count()).where(Thread.category_id == Category.id)),
        (Category.post_count, select(func.coalesce(func.sum(Thread.post_count), 0))
            .where(Thread.category_id == Category.id)),
        (Category.last_post_id, select(func.max(Thread.last_post_id))
            .where(Thread.category_id == Category.id)),
    ):
        db.session.execute(update(Category).values(
            {column.key: expression.correlate(Category).scalar_subquery()}))
    db.session.execute(update(User).values(post_count=select(func.count())
                       .where(Post.author_id == User.id).correlate(User).scalar_subquery()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--categories", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2000)
    parser.add_argument("--posts", type=int, default=25, help="posts per thread")
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--links", type=int, default=24, help="clinic resource links")
    parser.add_argument("--reports", type=int, default=0,
                        help="treatment reports, with their follow-ups and complications")
    args = parser.parse_args()
    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        if db.session.scalar(select(Thread.id).limit(1)) is not None:
            sys.exit("The database already has threads; point DATABASE_URL at an empty one.")
        began = time.perf_counter()
        generate(args.categories, args.threads, args.posts, args.users, args.seed, args.links,
                 args.reports)
        print(f"generated {args.threads} threads x {args.posts} posts "
              f"in {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
