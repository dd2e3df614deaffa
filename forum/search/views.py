"""/search: full-text search over thread titles and post bodies."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from forum.arguments import page_arg
from forum.extensions import limiter
from forum.permissions import can
from forum.search import queries, services
from forum.search.snippets import highlight, snippet

bp = Blueprint("search", __name__)

@bp.get("/search")
@limiter.limit(lambda: current_app.config["RATELIMIT_SEARCH"], exempt_when=lambda: not request.args.get("q"))
def search():
    page = page_arg()
    criteria = services.read_criteria(request.args, current_user)
    context = {"criteria": criteria, "categories": queries.categories(),
               "may_search_everything": can(current_user, "search.everything"),
               "highlight": highlight, "snippet": snippet}
    if "q" not in request.args:
        # The bare page: a form, no complaint about the empty box.
        criteria.errors.clear()
        return render_template("search/search.html", results=None, **context)
    if criteria.errors:
        return render_template("search/search.html", results=None, **context), 422
    results = queries.search(criteria.query, criteria.filters, current_user, page)
    if page > results.pages:
        abort(404)
    return render_template("search/search.html", results=results, page=page,
                           words=criteria.query.words, **context)
