"""Time the outcomes pages of a generated registry, in process, and count their queries.

    DATABASE_URL=sqlite:////tmp/big.sqlite3 python bench/generate.py --threads 0 --reports 100000
    DATABASE_URL=sqlite:////tmp/big.sqlite3 python bench/outcomes.py --rounds 30

Prints a Markdown table for docs/benchmarks.md: the figures page, filtered, a treatment
page (each computed afresh, as after a change to a report, and from the figures' cache),
the open data file's first bytes, and (a few rounds) the whole file.
"""
from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, select  # noqa: E402

from forum import create_app  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.outcomes.models import FollowUp, TreatmentReport  # noqa: E402

PAGES = [
    ("figures", "/outcomes"),
    ("figures, RRMS only", "/outcomes?ms_type=rrms"),
    ("treatment page", "/outcomes/t/ccsvi-angioplasty"),
]
CSV = "/outcomes.csv"


def _percentile_95(timings: list[float]) -> float:
    """Nearest rank: of 30 rounds the 29th fastest, of 2 the slower."""
    return sorted(timings)[math.ceil(len(timings) * 0.95) - 1]


def _forget_figures() -> None:
    """Empty the figures' cache, as a change to a report would: the next request computes."""
    try:
        from forum.outcomes import figures_cache
    except ImportError:  # no cache: every request computes anyway
        return
    figures_cache.clear()


def measure(client, engine, path: str, rounds: int, cold: bool = False,
            stream: bool = False, whole: bool = False) -> dict:
    """Median and p95 ms and statements per request. `cold`: the figures' cache emptied
    before each round; `stream`: time to the first chunk (to the last with `whole`)."""
    statements: list[int] = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    client.get(path).close()  # warm templates (and, unless cold, the cache)
    timings, size = [], 0
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for _ in range(rounds):
            if cold:
                _forget_figures()
            began = time.perf_counter()
            response = client.get(path, buffered=not stream)
            assert response.status_code == 200, (path, response.status_code)
            if stream:
                chunks = iter(response.response)
                size = len(next(chunks)) + (sum(map(len, chunks)) if whole else 0)
            else:
                size = len(response.get_data())
            timings.append((time.perf_counter() - began) * 1000)
            response.close()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return {"median": statistics.median(timings), "p95": _percentile_95(timings),
            "queries": len(statements) / rounds, "bytes": size}


def _row(name: str, result: dict, extra: str = "") -> str:
    return (f"| {name} | {result['median']:.1f} | {result['p95']:.1f} | "
            f"{result['queries']:.0f} | {extra} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--csv-rounds", type=int, default=3,
                        help="rounds of downloading the whole open data file")
    args = parser.parse_args()
    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        reports = db.session.scalar(select(func.count()).select_from(TreatmentReport))
        follow_ups = db.session.scalar(select(func.count()).select_from(FollowUp))
        engine = db.engine
    client = app.test_client()
    print(f"{engine.dialect.name}, {reports} reports, {follow_ups} follow-ups, "
          f"{args.rounds} rounds each\n")
    print("| page | median ms | p95 ms | queries | |")
    print("|---|---:|---:|---:|---|")
    for name, path in PAGES:
        for cold in (True, False):
            result = measure(client, engine, path, args.rounds, cold=cold)
            print(_row(name, result, "computed (cache emptied)" if cold else "from the cache"))
    first = measure(client, engine, CSV, args.rounds, stream=True)
    print(_row("open data file, first bytes", first, f"{first['bytes']} bytes"))
    whole = measure(client, engine, CSV, args.csv_rounds, stream=True, whole=True)
    print(_row(f"open data file, whole ({args.csv_rounds} rounds)", whole,
               f"{whole['bytes'] / 1024 / 1024:.1f} MiB"))


if __name__ == "__main__":
    main()
