"""Staff actions nothing can undo ask first: a page that says what will happen, then the
POST that does it. No JavaScript is needed, and a form that skips the page only shows it.

Which actions ask, and why, is listed in docs/architecture.md ("Confirming").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from flask import render_template, request
from flask_wtf import FlaskForm

from forum.forms import carry_out

TEMPLATE = "_confirm.html"


@dataclass(frozen=True)
class Confirmation:
    """What the confirm page says; every string is plain text (the template escapes it)."""

    title: str                       # the page's <title>
    question: str                    # its heading: "Reject this post by lark?"
    consequences: tuple[str, ...]    # what will happen, a paragraph each
    button: str                      # the danger button: "Reject the post"
    cancel_url: str                  # where "Cancel" goes back to
    action_url: str                  # where the button posts
    carried: tuple[str, ...] = ()    # fields chosen before this page, sent on hidden
    subject: str = ""                # a template showing what is acted on
    quote: str = ""                  # or the text that will go, quoted


def confirmed() -> bool:
    """True for a POST sent by the confirm page's own button."""
    return request.method == "POST" and request.form.get("confirm") == "yes"


def ask_first(confirmation: Confirmation, form: FlaskForm, action: Callable[[], Any],
              done: str | Callable[[Any], str], then: str | Callable[[Any], str], **context):
    """The confirm page on a GET, or on a POST that did not come from it (what it carried
    is kept, nothing is done). A confirmed POST is the usual form round (`carry_out`);
    refused, the page comes back with the refusal beside its field (422).
    """
    status = 200
    if confirmed():
        finished = carry_out(form, action, done, then)
        if finished is not None:
            return finished
        status = 422
    return render_template(TEMPLATE, confirm=confirmation, form=form, **context), status
