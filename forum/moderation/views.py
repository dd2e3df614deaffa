"""The moderators' pages under /mod and their actions; members' reports and /crisis."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from forum.admin import services as site_settings
from forum.arguments import page_arg
from forum.boards import queries as board_queries
from forum.confirming import Confirmation, ask_first
from forum.errors import ValidationError
from forum.extensions import limiter
from forum.forms import ReasonForm, carry_out, render_form
from forum.moderation import queries, services
from forum.moderation.forms import LogFilterForm, MoveForm, ReportForm, SuspendForm
from forum.navigation import safe_next
from forum.permissions import require

bp = Blueprint("moderation", __name__, url_prefix="/mod")
reports_bp = Blueprint("reports", __name__)


@bp.before_request
def _moderators_only():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    require(current_user, "moderation.view")
    return None


@bp.get("")
def dashboard():
    return render_template("moderation/dashboard.html", sizes=queries.queue_sizes())


@bp.get("/reports")
def reports():
    return render_template("moderation/reports.html", groups=queries.open_report_groups(),
                           form=ReasonForm(formdata=None))


@bp.get("/queue")
def queue():
    return render_template("moderation/queue.html", posts=queries.pending_posts(),
                           form=ReasonForm(formdata=None))


@bp.get("/log")
def log():
    form = LogFilterForm(request.args)
    form.action.choices = [SelectChoice("", "Any action")] + [
        SelectChoice(action, action) for action in queries.logged_actions()]
    page = page_arg()
    if request.args and not form.validate():
        # A filter past its length would reach the database as a LIKE pattern (SQLite
        # refuses long ones); the form says what to correct instead.
        return render_template("moderation/log.html", form=form, entries=[], page=page,
                               has_next=False), 422
    entries, has_next = queries.log_entries(form.actor.data or "", form.action.data or "",
                                            form.target.data or "", page)
    return render_template("moderation/log.html", form=form, entries=entries, page=page,
                           has_next=has_next)


@bp.get("/users/<username>")
def member(username: str):
    member = queries.member_named(username) or abort(404)
    return render_template("moderation/member.html", member=member,
                           overview=queries.member_overview(member),
                           suspend_form=SuspendForm(formdata=None),
                           reason_form=ReasonForm(formdata=None))


# Actions -----------------------------------------------------------------------------
# Each checks the actor's rights (403) and the target's state (409) before showing or
# taking its form, so a second moderator arriving late gets a 409, never a duplicate.

POST_ACTIONS = {
    "hide": (services.hide_post, "Hide this post", "The post is hidden."),
    "restore": (services.restore_post, "Restore this post", "The post is visible again."),
    "approve": (services.approve_post, "Approve this post", "The post is approved."),
    "reject": (services.reject_post, "Reject this post", "The post is rejected."),
    "delete": (services.remove_post, "Remove this post", "The post is removed."),
}
POST_RULES = {"delete": "post.remove"}
THREAD_ACTIONS = {
    "lock": "Lock this thread", "unlock": "Unlock this thread",
    "pin": "Pin this thread", "unpin": "Unpin this thread",
    "move": "Move this thread", "delete": "Delete this thread",
    "restore": "Restore this thread",
}


def _perform(action: str, target, form, run, done: str, template_context: dict,
             confirmation: Confirmation | None = None):
    require(current_user, action, target)
    then = lambda _: safe_next("moderation.dashboard")  # noqa: E731
    if confirmation is not None:
        return ask_first(confirmation, form, run, done, then, **template_context)
    finished = carry_out(form, run, done, then)
    return finished or render_form("moderation/action.html", form, **template_context)


# Nothing undoes these two: a rejected post never comes back to the queue (restoring is
# for hidden and removed posts), and a dismissed report is never reopened. So their page
# is a confirm page, and a form posting straight to them only shows it.

def _rejecting(post) -> Confirmation:
    author = "a former member" if post.author.is_former else post.author.username
    opens_thread = (post.thread.pending
                    and services.thread_opening_post_id(post.thread) == post.id)
    return Confirmation(
        title=f"Confirm: Reject post — {post.thread.title}",
        question=f"Reject this post by {author}?",
        consequences=(
            "It is never published: it leaves the queue, and nobody but its author will "
            "see it.",
            *(("It opens a thread that is waiting too: the thread never appears, with any "
               "replies waiting in it.",) if opens_thread else ()),
            "Its author is told, by notice and by mail, with your reason; the rejection "
            "goes into the moderation log.",
            "A rejected post cannot be restored or sent back to the queue: its author would "
            "have to write it again.",
        ),
        button="Reject the post", cancel_url=safe_next("moderation.queue"),
        action_url=request.full_path, subject="moderation/_post_excerpt.html")


def _dismissing() -> Confirmation:
    return Confirmation(
        title="Confirm: Dismiss the reports on a post",
        question="Dismiss the reports on this post?",
        consequences=(
            "Every open report on this post is closed, and the post stays as it is.",
            "The members who reported it are not told; the dismissal, with your reason if "
            "you give one, goes into the moderation log.",
            "Dismissed reports cannot be reopened: if the post needs action later, it has to "
            "be reported again or handled from its thread.",
        ),
        button="Dismiss the reports", cancel_url=safe_next("moderation.reports"),
        action_url=request.full_path, subject="moderation/_post_excerpt.html")


@bp.route("/posts/<int:post_id>/<verb>", methods=["GET", "POST"])
def post_action(post_id: int, verb: str):
    if verb not in POST_ACTIONS:
        abort(404)
    post = board_queries.post_with_thread(post_id) or abort(404)
    service, title, done = POST_ACTIONS[verb]
    form = ReasonForm()
    if verb == "reject":
        form.reason.description = "Required. Shown to its author, and kept in the log."
    return _perform(POST_RULES.get(verb, f"post.{verb}"), post, form,
                    lambda: service(current_user, post, form.reason.data or ""), done,
                    {"title": title, "post": post, "action_url": request.full_path},
                    _rejecting(post) if verb == "reject" else None)


@bp.route("/threads/<int:thread_id>/<verb>", methods=["GET", "POST"])
def thread_action(thread_id: int, verb: str):
    if verb not in THREAD_ACTIONS:
        abort(404)
    thread = board_queries.thread_with_category(thread_id) or abort(404)
    form = MoveForm() if verb == "move" else ReasonForm()
    if verb == "move":
        form.category.choices = [SelectChoice(c.slug, c.name)
                                 for c in board_queries.categories()]
    return _perform(f"thread.{verb}", thread, form, lambda: _thread_service(verb, thread, form),
                    f"Done: {THREAD_ACTIONS[verb].lower()}.",
                    {"title": THREAD_ACTIONS[verb], "thread": thread,
                     "action_url": request.full_path})


def _thread_service(verb: str, thread, form) -> None:
    reason = form.reason.data or ""
    if verb in services.THREAD_FLAGS:
        services.set_thread_flag(current_user, thread, verb, reason)
    elif verb == "move":
        category = board_queries.category_by_slug(form.category.data or "")
        if category is None:
            raise ValidationError("Choose a category.", "category")
        services.move_thread(current_user, thread, category, reason)
    elif verb == "delete":
        services.delete_thread(current_user, thread, reason)
    else:
        services.restore_thread(current_user, thread, reason)


@bp.route("/users/<username>/<verb>", methods=["GET", "POST"])
def member_action(username: str, verb: str):
    if verb not in ("suspend", "unsuspend"):
        abort(404)
    member = queries.member_named(username) or abort(404)
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


@bp.route("/reports/<int:report_id>/dismiss", methods=["GET", "POST"])
def dismiss(report_id: int):
    report = queries.report_with_post(report_id) or abort(404)
    form = ReasonForm()
    form.reason.description = "Optional. Kept in the moderation log."
    return _perform("report.resolve", report, form,
                    lambda: services.dismiss_reports(current_user, report, form.reason.data or ""),
                    "The reports on that post are dismissed.",
                    {"title": "Dismiss the reports on this post", "post": report.post,
                     "action_url": request.full_path}, _dismissing())


# Members' side -----------------------------------------------------------------------

def _report_limit() -> str:
    return current_app.config["RATELIMIT_REPORT"]


@reports_bp.route("/p/<int:post_id>/report", methods=["GET", "POST"])
@login_required
@limiter.limit(_report_limit, key_func=lambda: f"user:{current_user.id}", methods=["POST"])
def report(post_id: int):
    post = board_queries.visible_post(post_id, current_user) or abort(404)
    require(current_user, "post.report", post)
    form = ReportForm()
    done = carry_out(
        form, lambda: services.report_post(current_user, post, form.reason.data, form.note.data),
        "Thank you. Moderators will look at the post.",
        lambda filed: (url_for("reports.crisis", reported=1) if filed.is_crisis
                       else url_for("boards.permalink", post_id=post.id)))
    return done or render_form("moderation/report.html", form, post=post)


@reports_bp.get("/crisis")
def crisis():
    return render_template("moderation/crisis.html", crisis_html=site_settings.html("crisis_text"),
                           reported=request.args.get("reported") == "1")
