"""The figures' pages: the outcomes dashboard, a page per treatment, and the open data file."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask_login import current_user

from forum.arguments import whole_number
from forum.outcomes import charts, evidence, export, figures
from forum.outcomes.figures import Filters
from forum.outcomes.models import MS_TYPES
from forum.outcomes.schedule import today

bp = Blueprint("figures", __name__)

# The liberation procedure was first described in 2009; the list starts well before.
FIRST_YEAR = 1990


def _filters() -> tuple[Filters, list[str]]:
    """The filters asked for; a value that makes no sense is dropped, with a message."""
    problems = []
    ms_type = request.args.get("ms_type") or None
    if ms_type is not None and ms_type not in MS_TYPES:
        problems.append("There is no MS type by that name, so every MS type is counted.")
        ms_type = None
    raw_year = request.args.get("year") or None
    year = None
    if raw_year is not None:
        year = whole_number(raw_year, FIRST_YEAR, today().year)
        if year is None:
            problems.append(f"The treatment year must be from {FIRST_YEAR} to "
                            f"{today().year}, so every year is counted.")
    return Filters(ms_type, year), problems


def _choices() -> dict:
    return {"ms_types": MS_TYPES, "years": list(range(today().year, FIRST_YEAR - 1, -1))}


def _page(template: str, problems: list[str], **context):
    # A filter that made no sense is a bad request, answered with the page as it would be
    # without it, so the reader still gets figures and sees why.
    body = render_template(template, problems=problems, choices=_choices(), **context)
    return body, 400 if problems else 200


@bp.get("/outcomes")
def dashboard():
    filters, problems = _filters()
    summaries = figures.dashboard_figures(filters)
    return _page("outcomes/dashboard.html", problems, filters=filters, summaries=summaries,
                 reports_chart=charts.reports_chart(summaries))


@bp.get("/outcomes/t/<slug>")
def treatment(slug: str):
    shown = evidence.shown_treatment(slug)
    if shown is None:
        abort(404)
    filters, problems = _filters()
    result = figures.treatment_figures(shown, filters)
    links = evidence.links_about(shown, today())
    return _page("outcomes/treatment.html", problems, filters=filters, figures=result,
                 links=links, notes=evidence.notes_on(links),
                 threads=evidence.threads_about(shown, current_user),
                 retention_chart=charts.retention_chart(result),
                 pgic_chart=charts.pgic_chart(result))


@bp.get("/outcomes.csv")
def open_data():
    return Response(stream_with_context(export.csv_chunks()), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="{export.FILENAME}"'})
