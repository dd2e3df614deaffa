"""Time the main pages of a generated forum, in process, and count their queries.

    DATABASE_URL=sqlite:////tmp/big.sqlite3 python bench/pages.py --rounds 50

Prints a Markdown table (median and 95th percentile in milliseconds, SQL
statements per request, peak Python memory per request) for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, select  # noqa: E402

from forum import create_app  # noqa: E402
from forum.accounts.models import Profile  # noqa: E402
from forum.accounts.profile_queries import POSTS_PER_PAGE  # noqa: E402
from forum.auth.models import User  # noqa: E402
from forum.boards.models import Category, Thread  # noqa: E402
from forum.extensions import db  # noqa: E402


def _busiest_member_shown_to_visitors() -> User:
    """The member with the most posts, with a profile that shows them to visitors (the
    generator writes no profiles, and the default keeps posts from visitors)."""
    member = db.session.scalar(select(User).order_by(User.post_count.desc(), User.id))
    profile = db.session.get(Profile, member.id)
    if profile is None:
        db.session.add(Profile(user_id=member.id, bio="Benchmark member.",
                               bio_html="<p>Benchmark member.</p>", ms_type="rrms",
                               ms_type_visibility="everyone", posts_visible_to_visitors=True))
        db.session.commit()
    return member


def pages_to_measure() -> list[tuple[str, str]]:
    member = _busiest_member_shown_to_visitors()
    category = db.session.scalar(select(Category).order_by(Category.thread_count.desc()))
    thread = db.session.scalar(select(Thread).order_by(Thread.post_count.desc(), Thread.id))
    last_category_page = max(1, -(-category.thread_count // 30))
    last_thread_page = max(1, -(-thread.post_count // 25))
    return [
        ("home", "/"),
        ("category, first page", f"/c/{category.slug}"),
        ("category, last page", f"/c/{category.slug}?page={last_category_page}"),
        ("thread, first page", f"/t/{thread.id}/{thread.slug}"),
        ("thread, last page", f"/t/{thread.id}/{thread.slug}?page={last_thread_page}"),
        ("permalink redirect", f"/p/{thread.last_post_id}"),
        ("clinic resources", "/resources"),
        ("profile, first page", f"/u/{member.username}"),
        ("profile, last page",
         f"/u/{member.username}?page={max(1, -(-member.post_count // POSTS_PER_PAGE))}"),
    ]


def measure(client, engine, path: str, rounds: int) -> dict:
    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    client.get(path)  # warm caches and templates
    timings = []
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for _ in range(rounds):
            began = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code in (200, 302), (path, response.status_code)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    tracemalloc.start()
    client.get(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    timings.sort()
    return {
        "median": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "queries": len(statements) / rounds,
        "peak_kib": peak / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        threads = db.session.scalar(select(func.count()).select_from(Thread))
        engine = db.engine
        targets = pages_to_measure()
    client = app.test_client()
    print(f"{engine.dialect.name}, {threads} threads, {args.rounds} rounds each\n")
    print("| page | median ms | p95 ms | queries | peak KiB |")
    print("|---|---:|---:|---:|---:|")
    for name, path in targets:
        result = measure(client, engine, path, args.rounds)
        print(f"| {name} | {result['median']:.1f} | {result['p95']:.1f} | "
              f"{result['queries']:.0f} | {result['peak_kib']:.0f} |")


if __name__ == "__main__":
    main()
