"""The moderators' pages (/mod) and their actions, and members' reports."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice
from sqlalchemy import select

from forum.admin import services as site_settings
from forum.auth.models import User
from forum.boards import queries as board_queries
from forum.boards.models import Category, Thread
from forum.errors import ValidationError
from forum.extensions import db, limiter
from forum.forms import attach_error, render_form
from forum.moderation import queries, services
from forum.moderation.forms import LogFilterForm, MoveForm, ReasonForm, ReportForm, SuspendForm
from forum.moderation.models import Report
from forum.navigation import safe_next
from forum.permissions import PermissionDenied, can, require

bp = Blueprint("moderation", __name__)


@bp.before_request
def _moderators_only():
    # Reports are filed by members; everything under /mod is for moderators.
    if not request.path.startswith("/mod"):
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    require(current_user, "moderation.view")
    return None


def _page_arg() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        abort(404)
    return int(raw)


@bp.get("/mod")
def dashboard():
    return render_template("moderation/dashboard.html", sizes=queries.queue_sizes())


@bp.get("/mod/reports")
def reports():
    return render_template("moderation/reports.html", groups=queries.open_report_groups(),
                           form=ReasonForm(formdata=None))


@bp.get("/mod/queue")
def queue():
    return render_template("moderation/queue.html", posts=queries.pending_posts(),
                           form=ReasonForm(formdata=None))


@bp.get("/mod/log")
def log():
    form = LogFilterForm(request.args)
    form.action.choices = [SelectChoice("", "Any action")] + [
        SelectChoice(action, action) for action in queries.logged_actions()]
    page = _page_arg()
    entries, has_next = queries.log_entries(form.actor.data or "", form.action.data or "",
                                            form.target.data or "", page)
    return render_template("moderation/log.html", form=form, entries=entries, page=page,
                           has_next=has_next)


@bp.get("/mod/users/<username>")
def member(username: str):
    member = _member_or_404(username)
    return render_template("moderation/member.html", member=member,
                           overview=queries.member_overview(member),
                           suspend_form=SuspendForm(formdata=None),
                           reason_form=ReasonForm(formdata=None))


def _member_or_404(username: str) -> User:
    member = db.session.scalar(select(User).where(User.username_key == username.lower()))
    if member is None:
        abort(404)
    return member


# Actions -----------------------------------------------------------------------------

POST_ACTIONS = {
    "hide": (services.hide_post, "Hide this post", "The post is hidden."),
    "restore": (services.restore_post, "Restore this post", "The post is visible again."),
    "approve": (services.approve_post, "Approve this post", "The post is approved."),
    "reject": (services.reject_post, "Reject this post", "The post is rejected."),
}
THREAD_ACTIONS = {
    "lock": "Lock this thread", "unlock": "Unlock this thread",
    "pin": "Pin this thread", "unpin": "Unpin this thread",
    "move": "Move this thread", "delete": "Delete this thread",
    "restore": "Restore this thread",
}


def _perform(action: str, target, form, run, done: str, template_context: dict):
    """Run a moderator action from its form; re-show the form with the error on bad input."""
    if form.validate_on_submit():
        try:
            run()
        except ValidationError as error:
            attach_error(form, error)
        except PermissionDenied:
            # A moderator may do this kind of thing, just not to this target now
            # (already hidden, already locked): a conflict, not a lack of rights.
            abort(409)
        else:
            flash(done, "success")
            return redirect(safe_next("moderation.dashboard"))
    elif request.method == "POST" and not can(current_user, action, target):
        abort(409)
    return render_form("moderation/action.html", form, **template_context)


@bp.route("/mod/posts/<int:post_id>/<verb>", methods=["GET", "POST"])
def post_action(post_id: int, verb: str):
    if verb not in POST_ACTIONS:
        abort(404)
    post = board_queries.post_with_thread(post_id) or abort(404)
    service, title, done = POST_ACTIONS[verb]
    form = ReasonForm()
    return _perform(f"post.{verb}", post, form,
                    lambda: service(current_user, post, form.reason.data or ""), done,
                    {"title": title, "post": post, "action_url": request.full_path})


@bp.route("/mod/threads/<int:thread_id>/<verb>", methods=["GET", "POST"])
def thread_action(thread_id: int, verb: str):
    if verb not in THREAD_ACTIONS:
        abort(404)
    thread = board_queries.thread_with_category(thread_id) or abort(404)
    form = MoveForm() if verb == "move" else ReasonForm()
    if verb == "move":
        categories = db.session.scalars(select(Category).order_by(Category.position)).all()
        form.category.choices = [SelectChoice(c.slug, c.name) for c in categories]
    run = lambda: _thread_service(verb, thread, form)  # noqa: E731
    return _perform(f"thread.{verb}", thread, form, run, f"Done: {THREAD_ACTIONS[verb].lower()}.",
                    {"title": THREAD_ACTIONS[verb], "thread": thread,
                     "action_url": request.full_path})


def _thread_service(verb: str, thread: Thread, form) -> None:
    reason = form.reason.data or ""
    if verb in services.THREAD_FLAGS:
        services.set_thread_flag(current_user, thread, verb, reason)
    elif verb == "move":
        category = db.session.scalar(select(Category).where(Category.slug == form.category.data))
        if category is None:
            raise ValidationError("Choose a category.", "category")
        services.move_thread(current_user, thread, category, reason)
    elif verb == "delete":
        services.delete_thread(current_user, thread, reason)
    else:
        services.restore_thread(current_user, thread, reason)


@bp.route("/mod/users/<username>/<verb>", methods=["GET", "POST"])
def member_action(username: str, verb: str):
    if verb not in ("suspend", "unsuspend"):
        abort(404)
    member = _member_or_404(username)
    # Whom a moderator may act on at all (not themselves, not their peers or admins) is
    # a matter of rights, so 403; only "not suspended right now" is a 409 conflict.
    require(current_user, "user.suspend", member)
    if verb == "suspend":
        form = SuspendForm()
        run = lambda: services.suspend(current_user, member, form.days.data,  # noqa: E731
                                       form.reason.data or "")
    else:
        form = ReasonForm()
        run = lambda: services.unsuspend(current_user, member, form.reason.data or "")  # noqa: E731
    title = f"{'Suspend' if verb == 'suspend' else 'Lift the suspension of'} {member.username}"
    return _perform(f"user.{verb}", member, form, run, "Done.",
                    {"title": title, "member": member, "action_url": request.full_path})


@bp.route("/mod/reports/<int:report_id>/dismiss", methods=["GET", "POST"])
def dismiss(report_id: int):
    report = db.session.get(Report, report_id) or abort(404)
    form = ReasonForm()
    return _perform("report.resolve", report, form,
                    lambda: services.dismiss_reports(current_user, report, form.reason.data or ""),
                    "The reports on that post are dismissed.",
                    {"title": "Dismiss the reports on this post", "post": report.post,
                     "action_url": request.full_path})


# Members' side -----------------------------------------------------------------------

def _report_limit() -> str:
    return current_app.config["RATELIMIT_REPORT"]


@bp.route("/p/<int:post_id>/report", methods=["GET", "POST"])
@login_required
@limiter.limit(_report_limit, key_func=lambda: f"user:{current_user.id}", methods=["POST"])
def report(post_id: int):
    post = board_queries.post_with_thread(post_id)
    if post is None or not can(current_user, "thread.view", post.thread):
        abort(404)
    if post.pending and not can(current_user, "post.read", post):
        abort(404)  # as at /p/<id>: a waiting post does not exist for other readers
    require(current_user, "post.report", post)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            filed = services.report_post(current_user, post, form.reason.data, form.note.data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            if filed.is_crisis:
                return redirect(url_for("moderation.crisis", reported=1))
            flash("Thank you. Moderators will look at the post.", "success")
            return redirect(url_for("boards.permalink", post_id=post.id))
    return render_form("moderation/report.html", form, post=post)


@bp.get("/crisis")
def crisis():
    return render_template("moderation/crisis.html", crisis_html=site_settings.html("crisis_text"),
                           reported=request.args.get("reported") == "1")
