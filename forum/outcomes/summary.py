"""A public report's thread, whose opening post is the report's summary, kept up to date."""
# The summary is Markdown built here from the values and rendered by forum.markup when
# written, like every post, and rewritten whenever the report or a follow-up changes. The
# member's own words (a treatment's or clinic's name) are escaped, so they read as typed
# and never become links or formatting.
from __future__ import annotations

import re

from sqlalchemy import select

from forum import markup
from forum.boards import services as boards
from forum.boards.models import Category, Post, PostRevision
from forum.extensions import db
from forum.outcomes import schedule, treatments
from forum.outcomes.models import SYMPTOM_LABELS, FollowUp, TreatmentReport
from forum.timeutil import utcnow

CATEGORY_SLUG = "treatments-outcomes"
CATEGORY_NAME = "Treatments & outcomes"
CATEGORY_DESCRIPTION = ("Members' treatment reports and what followed, each with its "
                        "discussion. Self-reports, not medical advice.")
REVISION_REASON = "Updated from the treatment report"
WITHDRAWN_TITLE = "A treatment report, now private"
WITHDRAWN = ("*The member made this report private: it now counts in the figures only, "
             "without their name. The discussion below stays.*")
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def escape(text: str) -> str:
    """A member's text as Markdown that shows exactly that text (no links, no markup)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def month_name(day) -> str:
    return day.strftime("%B %Y")


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _edss(value) -> str:
    return "" if value is None else f"{value:.1f}"


def measure_rows(report: TreatmentReport, follow_ups: list[FollowUp]
                 ) -> list[tuple[str, list[str]]]:
    """Each measure: its label, the baseline cell, then one cell per follow-up (the summary
    post and the report page show the same table)."""
    rows = [
        ("Overall change (PGIC)", [""] + [f.pgic_label for f in follow_ups]),
        ("Disability (PDDS, 0-8)", [str(report.pdds)] + [str(f.pdds) for f in follow_ups]),
        ("EDSS", [_edss(report.edss)] + [_edss(f.edss) for f in follow_ups]),
        ("Relapses", [f"{report.relapses_12m} in the year before"]
         + [f"{f.relapses} since the last report" for f in follow_ups]),
    ]
    for name, label in SYMPTOM_LABELS.items():
        cells = [getattr(item, f"symptom_{name}") for item in (report, *follow_ups)]
        rows.append((f"{label} (0-4)", ["" if cell is None else str(cell) for cell in cells]))
    rows += [
        ("Complications", [""] + [", ".join(f.complication_names) for f in follow_ups]),
        ("Had it again", [""] + [_yes_no(f.repeated) for f in follow_ups]),
        ("Stopped it", [""] + [_yes_no(f.stopped) for f in follow_ups]),
    ]
    return rows


def column_heads(follow_ups: list[FollowUp]) -> list[str]:
    return ["Before"] + [schedule.months_text(f.months) for f in follow_ups]


def _table(report: TreatmentReport, follow_ups: list[FollowUp]) -> list[str]:
    heads = column_heads(follow_ups)
    lines = ["| Measure | " + " | ".join(heads) + " |", "|---" * (len(heads) + 1) + "|"]
    lines += [f"| {label} | " + " | ".join(cells) + " |"
              for label, cells in measure_rows(report, follow_ups)]
    return lines


def _facts(report: TreatmentReport) -> list[str]:
    name = escape(report.treatment.name)
    if report.treatment_other:
        name = f"{escape(report.treatment_other)} ({name})"
    facts = [f"- **Treatment:** {name}, {month_name(report.treated_on)}"]
    if report.veins:
        facts.append("- **Veins treated:** " + ", ".join(report.vein_names))
    clinic = report.clinic_name
    if clinic:
        facts.append(f"- **Clinic:** {escape(clinic)}")
    facts.append(f"- **MS:** {report.ms_type_label}, diagnosed in {report.diagnosis_year}")
    return facts


def _intervals(report: TreatmentReport, follow_ups: list[FollowUp]) -> str:
    given = [f.months for f in follow_ups]
    ahead = schedule.upcoming(report.treated_on, given)
    parts = ["Follow-ups given: " + ", ".join(schedule.months_text(m) for m in given) + "."
             if given else "No follow-up given yet."]
    if ahead:
        months, due = ahead[0]
        parts.append(f"Next: {schedule.months_text(months)} after, due from {due:%d %B %Y}.")
    return " ".join(parts)


def summary_markdown(report: TreatmentReport) -> str:
    follow_ups = sorted(report.follow_ups, key=lambda f: f.months)
    lines = ["*One member's own report of a treatment and what followed, updated as they "
             "give follow-ups. Not medical advice.*", "", *_facts(report), "",
             *_table(report, follow_ups), "", _intervals(report, follow_ups)]
    return "\n".join(lines)


def thread_title(report: TreatmentReport) -> str:
    return f"Treatment report: {report.treatment_label}, {month_name(report.treated_on)}"[:200]


def outcomes_category() -> Category:
    """The category reports' threads open in, made the first time one is needed."""
    category = db.session.scalar(select(Category).where(Category.slug == CATEGORY_SLUG))
    if category is None:
        category = Category(slug=CATEGORY_SLUG, name=CATEGORY_NAME,
                            description=CATEGORY_DESCRIPTION)
        db.session.add(category)
        db.session.flush()
    return category


def _opening_post(thread_id: int) -> Post | None:
    return db.session.scalar(select(Post).where(Post.thread_id == thread_id)
                             .order_by(Post.id).limit(1))


def _rewrite(post: Post, body: str, actor) -> None:
    """Replace the opening post's text, keeping the version it replaces (as edits do)."""
    if post.body == body:
        return
    now = utcnow()
    db.session.add(PostRevision(
        post_id=post.id, body=post.body, body_html=post.body_html, reason=REVISION_REASON,
        written_at=post.edited_at or post.created_at, replaced_at=now, replaced_by=actor))
    post.body, post.body_html, post.edited_at = body, markup.render(body), now


def open_thread(actor, report: TreatmentReport) -> None:
    thread = boards.start_thread(actor, outcomes_category(), thread_title(report),
                                 summary_markdown(report))
    report.thread_id = thread.id
    treatments.link(thread.id, report.treatment_id)


def refresh(actor, report: TreatmentReport, previous_treatment_id: int | None = None) -> None:
    """Bring the report's thread in line with it: open one for a report made public, rewrite
    the summary, or withdraw it when the member made the report private."""
    db.session.flush()
    db.session.refresh(report, ["follow_ups", "treatment", "clinic"])
    if report.thread_id is None:
        if report.is_public:
            open_thread(actor, report)
        return
    post = _opening_post(report.thread_id)
    if not report.is_public:
        if post is not None:
            _rewrite(post, WITHDRAWN, actor)
            # The title named the treatment and its month beside the member's name.
            post.thread.title = WITHDRAWN_TITLE
        for treatment_id in {report.treatment_id, previous_treatment_id} - {None}:
            treatments.unlink(report.thread_id, treatment_id)
        report.thread_id = None
        return
    if post is not None:
        _rewrite(post, summary_markdown(report), actor)
        post.thread.title = thread_title(report)
    if previous_treatment_id not in (None, report.treatment_id):
        treatments.unlink(report.thread_id, previous_treatment_id)
    treatments.link(report.thread_id, report.treatment_id)
