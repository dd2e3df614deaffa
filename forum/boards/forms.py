"""Thread and post forms; the field names are the public contract (DESIGN.md)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum.boards.services import BODY_MAX, TITLE_MAX

BODY_HELP = ("Markdown works: *italic*, **bold**, [a link](https://example.org), "
             "lists with - and quotes with >.")


class ThreadForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Give the thread a title."),
                                             Length(max=TITLE_MAX)])
    body = TextAreaField("Your post", description=BODY_HELP,
                         validators=[DataRequired("Write something before posting."),
                                     Length(max=BODY_MAX)])


class PostForm(FlaskForm):
    body = TextAreaField("Your reply", description=BODY_HELP,
                         validators=[DataRequired("Write something before posting."),
                                     Length(max=BODY_MAX)])
