"""Background work. Runs inline for now, so a laptop and the tests need nothing more.

Jobs must be idempotent: when a queue arrives, a retry after a crash does no harm.
"""
from __future__ import annotations

from typing import Any, Callable


def enqueue(job: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return job(*args, **kwargs)
