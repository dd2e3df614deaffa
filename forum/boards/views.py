"""Home, categories, threads and posts."""
from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from forum.arguments import page_arg
from forum.boards import extras, queries, quoting, services
from forum.boards.forms import EditForm, PostForm, ThreadForm
from forum.boards.models import Category
from forum.errors import ValidationError
from forum.extensions import limiter
from forum.forms import ButtonForm, attach_error, carry_out, render_form
from forum.moderation import services as moderation
from forum.outcomes import queries as outcome_queries
from forum.permissions import can, require
from forum.resources import queries as resource_queries

bp = Blueprint("boards", __name__)

def _posting_limit() -> str:
    # Members in their first day get the tighter limit: that is when spammers post.
    if current_user.is_authenticated and services.is_new_member(current_user):
        return current_app.config["RATELIMIT_POST_NEW_MEMBER"]
    return current_app.config["RATELIMIT_POST"]


# One budget for new threads and replies together (a shared scope), counted per member.
post_limit = limiter.shared_limit(_posting_limit, scope="post",
                                  key_func=lambda: f"user:{current_user.id}", methods=["POST"])


def _category_or_404(slug: str) -> Category:
    return queries.category_by_slug(slug) or abort(404)


def _thread_or_404(thread_id: int):
    return queries.visible_thread(thread_id, current_user) or abort(404)


def _post_or_404(post_id: int):
    return queries.visible_post(post_id, current_user) or abort(404)


def thread_url(thread, page: int = 1, anchor: str | None = None) -> str:
    return url_for("boards.thread", thread_id=thread.id, slug=thread.slug,
                   page=page if page > 1 else None, _anchor=anchor)


@bp.get("/")
def home():
    categories = queries.categories_with_latest()
    return render_template("boards/home.html", categories=categories,
                           resources=resource_queries.site_wide_links(date.today()),
                           **extras.home_page(current_user, categories))


@bp.get("/guidelines")
def guidelines():
    return render_template("boards/guidelines.html")


@bp.get("/c/<slug>")
def category(slug: str):
    category = _category_or_404(slug)
    page, per_page = page_arg(), current_app.config["THREADS_PER_PAGE"]
    pages = services.page_count(category.thread_count, per_page)
    if page > pages:
        abort(404)
    threads = queries.category_threads(category, page, per_page, current_user)
    return render_template("boards/category.html", category=category, threads=threads,
                           page=page, pages=pages,
                           resources=resource_queries.category_links(category.id, date.today()),
                           **extras.category_page(current_user, category, threads))


@bp.route("/c/<slug>/new", methods=["GET", "POST"])
@login_required
@post_limit
def new_thread(slug: str):
    category = _category_or_404(slug)
    require(current_user, "thread.create", category)
    form = ThreadForm()
    done = carry_out(
        form,
        lambda: services.start_thread(current_user, category, form.title.data, form.body.data),
        "Your thread is posted.", thread_url)
    if done:
        return done
    return render_form("boards/new_thread.html", form, category=category)


def _render_thread(thread, page: int, form: PostForm | None, status: int = 200):
    per_page = current_app.config["POSTS_PER_PAGE"]
    pages = services.page_count(queries.thread_post_total(thread, current_user), per_page)
    if page > pages:
        abort(404)
    posts = queries.thread_posts(thread, page, per_page, current_user)
    return render_template("boards/thread.html", thread=thread, posts=posts, page=page,
                           pages=pages, form=form,
                           outcomes=outcome_queries.thread_outcomes(thread, current_user),
                           **extras.thread_page(current_user, thread, posts)), status


@bp.get("/t/<int:thread_id>")
@bp.get("/t/<int:thread_id>/<slug>")
def thread(thread_id: int, slug: str | None = None):
    shown = _thread_or_404(thread_id)
    # Built only for those who may reply: a form puts a CSRF token in the session, and
    # the cookie that carries it would keep a visitor's page out of shared caches.
    form = None
    if can(current_user, "thread.reply", shown):
        # ?quote=<post id>: "Quote" without JavaScript starts the reply with that post.
        quote = quoting.quote_for(current_user, shown, request.args.get("quote"))
        form = PostForm(formdata=None, data={"body": quote} if quote else None)
    return _render_thread(shown, page_arg(), form)


@bp.post("/t/<int:thread_id>/reply")
@login_required
@post_limit
def reply(thread_id: int):
    thread = _thread_or_404(thread_id)
    require(current_user, "thread.reply", thread)
    form = PostForm()
    if form.validate_on_submit():
        try:
            post = services.reply(current_user, thread, form.body.data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect(url_for("boards.permalink", post_id=post.id))
    last_page = services.page_count(queries.thread_post_total(thread, current_user),
                                    current_app.config["POSTS_PER_PAGE"])
    return _render_thread(thread, last_page, form, status=422)


@bp.get("/t/<int:thread_id>/reply")
def reply_get(thread_id: int):
    # Replies are POSTed from the thread page; without this rule a GET would fall
    # through to /t/<id>/<slug> and show the thread as if "reply" were its slug.
    abort(405, valid_methods=["POST"])


@bp.get("/p/<int:post_id>")
def permalink(post_id: int):
    post = _post_or_404(post_id)
    per_page = current_app.config["POSTS_PER_PAGE"]
    page = queries.post_position(post, current_user) // per_page + 1
    return redirect(thread_url(post.thread, page, anchor=f"p{post.id}"))


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    post = _post_or_404(post_id)
    require(current_user, "post.edit", post)
    form = EditForm(obj=post)
    form.body.label.text = "Your post"
    on_behalf = post.author_id != current_user.id
    if not on_behalf:
        del form.reason
    if form.validate_on_submit():
        try:
            if on_behalf:
                moderation.edit_post(current_user, post, form.body.data, form.reason.data)
            else:
                services.edit_post(current_user, post, form.body.data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            flash("Your changes are saved.", "success")
            return redirect(url_for("boards.permalink", post_id=post.id))
    return render_form("boards/edit_post.html", form, post=post)


@bp.route("/p/<int:post_id>/delete", methods=["GET", "POST"])
@login_required
def delete_post(post_id: int):
    post = _post_or_404(post_id)
    if post.author_id != current_user.id and can(current_user, "post.remove", post):
        # Someone else's post: a moderator action, with a reason, logged and restorable.
        return redirect(url_for("moderation.post_action", post_id=post.id, verb="delete"), 307)
    require(current_user, "post.delete", post)
    form = ButtonForm()
    if form.validate_on_submit():
        thread = post.thread
        services.delete_post(current_user, post)
        flash("The post is removed.", "success")
        if thread.deleted_at is not None:
            return redirect(url_for("boards.category", slug=thread.category.slug))
        return redirect(url_for("boards.permalink", post_id=post.id))
    return render_form("boards/delete_post.html", form, post=post)


@bp.get("/p/<int:post_id>/revisions")
@login_required
def post_revisions(post_id: int):
    post = _post_or_404(post_id)
    require(current_user, "post.revisions", post)
    return render_template("boards/revisions.html", post=post,
                           revisions=queries.post_revisions(post))


# What's new, reactions and bookmarks, and feeds add their routes to bp when imported.
from forum.boards import feed_views, reaction_views, reading_views  # noqa: E402,F401
