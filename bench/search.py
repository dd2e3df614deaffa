"""Time /search on a generated forum, in process: median and p95 per kind of query.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/outflow_bench_search \\
        python bench/search.py --rounds 30

The forum comes from bench/generate.py (its five post bodies make common words match
a fifth to two fifths of all posts: the worst case for ranking). Prints a Markdown table
for docs/benchmarks.md: milliseconds per whole request (parsing, the search's queries,
snippets, template), SQL statements per request, and how many results were found.
"""
from __future__ import annotations

import argparse
import re
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pages import measure  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from forum import create_app  # noqa: E402
from forum.boards.models import Category, Post  # noqa: E402
from forum.extensions import db  # noqa: E402

RESULTS = re.compile(r'id="search-results-heading">\s*([^<]*?)\s*</h2>')


def searches(category_slug: str, thread_number: int, day: str) -> list[tuple[str, dict]]:
    return [
        ("one common word", {"q": "fatigue"}),
        ("one rarer word", {"q": "neurologist"}),
        ("a title word and number", {"q": f"generated thread {thread_number}"}),
        ("two words", {"q": "walking fatigue"}),
        ("a phrase", {"q": '"no relapses this year"'}),
        ("or", {"q": "complications or honesty"}),
        ("minus", {"q": "fatigue -walking"}),
        ("word, one category", {"q": "complications", "category": category_slug}),
        ("word, one day", {"q": "neurologist", "from": day, "to": day}),
        ("no match", {"q": "natalizumab"}),
        ("page 10", {"q": "fatigue", "page": "10"}),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        posts = db.session.scalar(select(func.count()).select_from(Post))
        category = db.session.scalar(select(Category).order_by(Category.id).offset(3).limit(1))
        # The generated posts span about a week: its second day.
        day = (db.session.scalar(select(func.min(Post.created_at))) + timedelta(days=1))
        engine = db.engine
    client = app.test_client()
    print(f"{engine.dialect.name}, {posts} posts, {args.rounds} rounds each\n")
    print("| search | median ms | p95 ms | queries | results |")
    print("|---|---:|---:|---:|---|")
    for name, params in searches(category.slug, 12345, day.date().isoformat()):
        path = "/search?" + urlencode(params)
        result = measure(client, engine, path, args.rounds)
        found = RESULTS.search(client.get(path).get_data(as_text=True))
        print(f"| {name}: `{params['q']}` | {result['median']:.1f} | {result['p95']:.1f} | "
              f"{result['queries']:.0f} | {found.group(1) if found else '-'} |", flush=True)


if __name__ == "__main__":
    main()
