"""Display settings: /settings/display for members, /display for everyone.

A member's choice is saved to their account wherever they make it, so that it follows them
to every device; a visitor's is kept in a cookie on their browser.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from forum.accounts.display import display_context, display_for, remember_in_cookie, save_display
from forum.accounts.display_forms import DisplayForm
from forum.accounts.views import bp
from forum.forms import carry_out, render_form
from forum.navigation import is_local, safe_next
from forum.permissions import require

SAVED = "Display settings saved."
SAVED_HERE = "Display settings saved for this browser."

bp.app_context_processor(display_context)


@bp.route("/settings/display", methods=["GET", "POST"])
@login_required
def display():
    member = current_user._get_current_object()
    require(member, "display.change", member)
    form = DisplayForm.showing(display_for(member))
    done = carry_out(form, lambda: save_display(member, form.chosen()), SAVED,
                     url_for("accounts.display"))
    return done or render_form("accounts/display.html", form)


@bp.route("/display", methods=["GET", "POST"])
def display_public():
    """The small page linked from every page. It never writes for a visitor's GET: the
    form's token lives in the session cookie."""
    reader = current_user._get_current_object()
    form = DisplayForm.showing(display_for(reader, request))
    back = safe_next("accounts.display_public")
    if reader.is_authenticated:
        require(reader, "display.change", reader)
        done = carry_out(form, lambda: save_display(reader, form.chosen()), SAVED, back)
        return done or _public_page(form)
    if not form.validate_on_submit():
        return _public_page(form)
    flash(SAVED_HERE, "success")
    response = redirect(back)
    remember_in_cookie(response, form.chosen())
    return response


def _public_page(form: DisplayForm):
    return render_form("accounts/display_public.html", form, next_path=_came_from())


def _came_from() -> str:
    """Where to go back to after saving: a `next` the link or form carried, else the page
    of this site whose link was followed. Pages link here without their own address, so
    that a page's body never depends on its path."""
    wanted = request.values.get("next", "")
    if not wanted:
        try:
            referrer = urlsplit(request.referrer or "")
        except ValueError:  # not an address at all ("http://[::1")
            return ""
        if f"{referrer.scheme}://{referrer.netloc}/" == request.host_url:
            wanted = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return wanted if is_local(wanted) and wanted != request.path else ""
