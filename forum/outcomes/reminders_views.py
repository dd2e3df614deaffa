"""The opt-out link in follow-up reminder mails: a confirm page, off, and back on."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from forum.auth.models import User
from forum.forms import ButtonForm
from forum.outcomes import reminders

bp = Blueprint("reminders", __name__, url_prefix="/outcomes/reminders")


def _member(token: str) -> User:
    member = reminders.member_for_token(token)
    if member is None:
        abort(404)
    return member


@bp.route("/off/<token>", methods=["GET", "POST"])
def off(token: str):
    # Turning off takes a button press: mail scanners open every link in a message.
    member = _member(token)
    form = ButtonForm()
    if form.validate_on_submit():
        reminders.set_reminders(member, False)
        flash("Follow-up reminders are off: we will not mail you about due follow-ups.",
              "success")
        return redirect(url_for("reminders.off", token=token))
    return render_template("outcomes/reminders.html", form=form, member=member, token=token,
                           reminders_on=reminders.reminders_on(member))


@bp.post("/on/<token>")
def on(token: str):
    member = _member(token)
    reminders.set_reminders(member, True)
    flash("Follow-up reminders are on again.", "success")
    return redirect(url_for("reminders.off", token=token))
