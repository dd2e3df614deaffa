"""Thread and post forms; the field names are the public contract (DESIGN.md)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum.boards.services import BODY_MAX, TITLE_MAX

# The same words as the services' checks, not WTForms' "Field cannot be longer than ...".
TITLE_TOO_LONG = f"Keep the title under {TITLE_MAX} characters."
BODY_TOO_LONG = f"Posts can be at most {BODY_MAX:,} characters."

BODY_HELP = ("Markdown works: *italic*, **bold**, [a link](https://example.org), "
             "lists with - and quotes with >.")


class ThreadForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Give the thread a title."),
                                             Length(max=TITLE_MAX, message=TITLE_TOO_LONG)])
    body = TextAreaField("Your post", description=BODY_HELP,
                         validators=[DataRequired("Write something before posting."),
                                     Length(max=BODY_MAX, message=BODY_TOO_LONG)])


class PostForm(FlaskForm):
    body = TextAreaField("Your reply", description=BODY_HELP,
                         validators=[DataRequired("Write something before posting."),
                                     Length(max=BODY_MAX, message=BODY_TOO_LONG)])


class EditForm(PostForm):
    reason = TextAreaField("Reason for the edit", render_kw={"rows": 2},
                           description="Moderators: the author is told this, and the log keeps it.",
                           validators=[Length(max=1000)])
