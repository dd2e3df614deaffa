"""Members' treatment reports: filing, pages, follow-ups, corrections, hiding, thread links."""
from __future__ import annotations

from flask import (
    Blueprint, abort, current_app, flash, g, has_request_context, redirect, render_template,
    request, url_for,
)
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from forum.boards import queries as board_queries
from forum.boards.views import thread_url
from forum.extensions import limiter
from forum.forms import ReasonForm, carry_out, render_form
from forum.outcomes import queries, schedule, services, summary, treatments
from forum.outcomes.forms import (
    ANOTHER_CLINIC, FollowUpForm, ReportForm, ThreadTreatmentsForm, options, symptom_fields,
)
from forum.outcomes.models import TREATMENT_KINDS, Treatment, TreatmentReport
from forum.permissions import can, require
from forum.resources import queries as resource_queries

bp = Blueprint("outcomes", __name__)

# Reports, follow-ups and corrections share one budget per member.
outcome_limit = limiter.shared_limit(lambda: current_app.config["RATELIMIT_OUTCOMES"],
                                     scope="outcomes", key_func=lambda: f"user:{current_user.id}",
                                     methods=["POST"])


def _report_or_404(report_id: int) -> TreatmentReport:
    """The report, for those who may see it; to anyone else it does not exist."""
    report = queries.report(report_id)
    if report is None or not can(current_user, "outcome.view", report):
        abort(404)
    return report


def _report_page(report: TreatmentReport) -> str:
    return url_for("outcomes.report", report_id=report.id)


def _report_form(report: TreatmentReport | None = None) -> ReportForm:
    """The report form, its lists filled: treatments grouped by kind, and the clinics."""
    form = ReportForm(obj=report)
    keep = report.treatment if report is not None else None
    groups: dict[str, list] = {}
    for item in queries.treatments(keep=keep):
        groups.setdefault(TREATMENT_KINDS.get(item.kind, item.kind), []).append(
            SelectChoice(item.slug, item.name))
    form.treatment.choices = {"": [SelectChoice("", "Choose…")], **groups}
    form.clinic.choices = [SelectChoice("", "Not saying, or not a CCSVI procedure")] + [
        SelectChoice(str(clinic.id), clinic.name) for clinic in resource_queries.clinics()
    ] + [SelectChoice(ANOTHER_CLINIC, "Another clinic (name it below)")]
    if report is not None and not form.is_submitted():
        form.treatment.data = report.treatment.slug
        form.clinic.data = (str(report.clinic_id) if report.clinic_id
                            else ANOTHER_CLINIC if report.clinic_other else "")
    return form


@bp.route("/outcomes/new", methods=["GET", "POST"])
@login_required
@outcome_limit
def new():
    require(current_user, "outcome.file")
    form = _report_form()
    done = carry_out(form, lambda: services.file_report(current_user, form.values()),
                     _filed_message, _report_page)
    if done:
        return done
    return render_form("outcomes/new.html", form, report=None,
                       symptoms=symptom_fields(form))


def _filed_message(report: TreatmentReport) -> str:
    if report.is_public:
        return ("Your report is filed, and its discussion thread is open. Thank you: every "
                "report, good or bad, helps the next person deciding.")
    return ("Your report is filed. It counts in the figures and is never shown with your "
            "name. Thank you.")


@bp.get("/outcomes/<int:report_id>")
def report(report_id: int):
    shown = _report_or_404(report_id)
    given = [follow_up.months for follow_up in shown.follow_ups]
    follow_ups = list(shown.follow_ups)
    context = {
        "report": shown,
        "heads": summary.column_heads(follow_ups),
        "rows": summary.measure_rows(shown, follow_ups),
        "due": schedule.due_months(shown.treated_on, given),
        "upcoming": schedule.upcoming(shown.treated_on, given),
        "edit_until": schedule.edit_until,
        "is_author": current_user.is_authenticated and shown.author_id == current_user.id,
    }
    return render_template("outcomes/report.html", **context)


@bp.route("/outcomes/<int:report_id>/edit", methods=["GET", "POST"])
@login_required
@outcome_limit
def edit(report_id: int):
    report = _report_or_404(report_id)
    services.check_editable(current_user, report)
    form = _report_form(report)
    done = carry_out(form, lambda: services.edit_report(current_user, report, form.values()),
                     lambda changed: "Your changes are saved; the earlier values are kept."
                     if changed else "Nothing was changed.",
                     _report_page(report))
    if done:
        return done
    return render_form("outcomes/new.html", form, report=report,
                       symptoms=symptom_fields(form),
                       until=schedule.edit_until(report.created_at))


@bp.post("/outcomes/<int:report_id>/consent-off")
@login_required
def consent_off(report_id: int):
    report = _report_or_404(report_id)
    services.withdraw_consent(current_user, report)
    flash("The report is left out of the open data file from now on.", "success")
    return redirect(_report_page(report))


@bp.route("/outcomes/<int:report_id>/follow-up", methods=["GET", "POST"])
@login_required
@outcome_limit
def follow_up(report_id: int):
    report = _report_or_404(report_id)
    given = [item.months for item in report.follow_ups]
    due = schedule.due_months(report.treated_on, given)
    if request.method == "GET":
        due = services.intervals_open(current_user, report)
    form = FollowUpForm()
    form.months.choices = options((months, f"{schedule.months_text(months)} after the "
                                           "treatment") for months in due)
    if len(due) == 1 and not form.is_submitted():
        form.months.data = str(due[0])
    done = carry_out(form, lambda: services.give_follow_up(current_user, report, form.values()),
                     lambda item: f"Thank you: your {item.months}-month follow-up is saved.",
                     _report_page(report))
    if done:
        return done
    return render_form("outcomes/follow_up.html", form, report=report, follow_up=None,
                       due=due, symptoms=symptom_fields(form))


@bp.route("/outcomes/<int:report_id>/follow-up/<int:months>/edit", methods=["GET", "POST"])
@login_required
@outcome_limit
def edit_follow_up(report_id: int, months: int):
    report = _report_or_404(report_id)
    item = queries.follow_up(report, months) or abort(404)
    services.check_follow_up_editable(current_user, item)
    form = FollowUpForm(obj=item)
    del form.months
    done = carry_out(
        form, lambda: services.edit_follow_up(current_user, item, form.values(item.months)),
        lambda changed: "Your changes are saved; the earlier answers are kept."
        if changed else "Nothing was changed.",
        _report_page(report))
    if done:
        return done
    return render_form("outcomes/follow_up.html", form, report=report, follow_up=item,
                       due=[], symptoms=symptom_fields(form))


@bp.get("/outcomes/mine")
@login_required
def mine():
    reports = queries.reports_of(current_user)
    rows = []
    for item in reports:
        given = [follow_up.months for follow_up in item.follow_ups]
        rows.append((item, schedule.due_months(item.treated_on, given),
                     schedule.upcoming(item.treated_on, given)))
    return render_template("outcomes/mine.html", rows=rows)


@bp.route("/outcomes/<int:report_id>/hide", methods=["GET", "POST"])
@login_required
def hide(report_id: int):
    report = _report_or_404(report_id)
    require(current_user, "outcome.hide", report)
    form = ReasonForm()
    done = carry_out(form, lambda: services.hide_report(current_user, report, form.reason.data),
                     "The report is hidden: out of the figures, and shown only to its author "
                     "and the moderators. Its author is told.", _report_page(report))
    if done:
        return done
    return render_form("outcomes/hide.html", form, report=report)


@bp.post("/outcomes/<int:report_id>/restore")
@login_required
def restore(report_id: int):
    report = _report_or_404(report_id)
    services.restore_report(current_user, report, request.form.get("reason", ""))
    flash("The report is shown again and counts in the figures.", "success")
    return redirect(_report_page(report))


@bp.post("/t/<int:thread_id>/treatments")
@login_required
def thread_treatments(thread_id: int):
    thread = board_queries.visible_thread(thread_id, current_user) or abort(404)
    require(current_user, "thread.link_treatment", thread)
    form = ThreadTreatmentsForm()
    form.validate_on_submit()
    chosen = treatments.set_thread_treatments(current_user, thread, form.treatments.data or [])
    flash("The thread is linked to " + ", ".join(item.name for item in chosen) + "."
          if chosen else "The thread is linked to no treatment.", "success")
    return redirect(thread_url(thread) + "#treatments")


@bp.get("/t/<int:thread_id>/treatments")
def thread_treatments_get(thread_id: int):
    # Linked from the thread page's form only; without this rule a GET would fall through
    # to /t/<id>/<slug> and show the thread as if "treatments" were its slug.
    abort(405, valid_methods=["POST"])


# The site banner -----------------------------------------------------------------------

@bp.app_context_processor
def follow_ups_due() -> dict:
    """The signed-in member's reports with a follow-up due: looked up once a request, like
    the unread notices, so an error page rendered after the page does not ask again."""
    # Only members who can act on it: a suspended or unconfirmed one cannot give it now.
    if not has_request_context() or not can(current_user, "outcome.file"):
        return {"due_follow_ups": []}
    if "due_follow_ups" not in g:
        g.due_follow_ups = queries.due_for(current_user)
    return {"due_follow_ups": g.due_follow_ups}


def _treatment_link(item: Treatment) -> str:
    # The treatment pages belong to the figures; their address is the public contract.
    return f"/outcomes/t/{item.slug}"


bp.add_app_template_global(_treatment_link, "treatment_url")
bp.add_app_template_filter(schedule.months_text, "months")
