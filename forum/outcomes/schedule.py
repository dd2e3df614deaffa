"""When follow-ups fall due and how long a member may change what they gave: date rules only."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Iterable

from forum.outcomes.models import FOLLOW_UP_MONTHS
from forum.timeutil import utcnow

# A member may correct a report or a follow-up for this long after giving it; after that
# it stands as given, so the figures do not shift under a reader's eyes.
EDIT_WINDOW = timedelta(days=7)


def today() -> date:
    """The date in UTC, the clock every other time in the forum keeps."""
    return utcnow().date()


def add_months(first_of_month: date, months: int) -> date:
    """The first of the month `months` later (or earlier, when negative)."""
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def due_on(treated_on: date, months: int) -> date:
    """The day a follow-up falls due: the first of the month `months` after treatment."""
    return add_months(treated_on.replace(day=1), months)


def latest_treatment_for(months: int, on: date) -> date:
    """The latest treatment month whose `months` follow-up is due by `on`: a report is due
    exactly when its treated_on is on or before this, which SQL can compare directly."""
    return add_months(on.replace(day=1), -months)


def due_months(treated_on: date, given: Iterable[int], on: date | None = None) -> list[int]:
    """The intervals reached by `on` (default today) and not given yet, earliest first."""
    on = on or today()
    taken = set(given)
    return [months for months in FOLLOW_UP_MONTHS
            if months not in taken and due_on(treated_on, months) <= on]


def upcoming(treated_on: date, given: Iterable[int], on: date | None = None
             ) -> list[tuple[int, date]]:
    """The intervals still ahead, with the day each falls due."""
    on = on or today()
    taken = set(given)
    return [(months, due_on(treated_on, months)) for months in FOLLOW_UP_MONTHS
            if months not in taken and due_on(treated_on, months) > on]


def months_text(count: int) -> str:
    """"1 month", "3 months": how every page and summary names an interval."""
    return f"{count} month{'' if count == 1 else 's'}"


def within_edit_window(given_at: datetime, now: datetime | None = None) -> bool:
    return (now or utcnow()) - given_at <= EDIT_WINDOW


def edit_until(given_at: datetime) -> datetime:
    return given_at + EDIT_WINDOW
