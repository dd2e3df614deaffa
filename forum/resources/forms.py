"""Resource link and evidence note forms; field names follow DESIGN.md."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, DateField, SelectMultipleField, StringField, TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forum.resources.services import DESCRIPTION_MAX, NOTE_MAX, TITLE_MAX, URL_MAX


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ResourceForm(FlaskForm):
    title = StringField("Title", validators=[
        DataRequired("Give the link a title."),
        Length(max=TITLE_MAX, message=f"Keep the title under {TITLE_MAX} characters.")])
    url = StringField("Address (URL)", validators=[
        DataRequired("Enter the address of the page."),
        Length(max=URL_MAX, message=f"Keep the address under {URL_MAX:,} characters.")],
                      description="The full address, starting with https://.",
                      render_kw={"inputmode": "url", "autocapitalize": "none",
                                 "spellcheck": "false"})
    description = TextAreaField("Short description", validators=[
        Length(max=DESCRIPTION_MAX,
               message=f"Keep the description under {DESCRIPTION_MAX} characters.")],
                                render_kw={"rows": 3},
                                description="What a patient will find there, in a sentence or two.")
    site_wide = BooleanField("Pin on the home page (site-wide)")
    categories = CheckboxList("Pin in these categories", coerce=str, validate_choice=False)
    expires_on = DateField("Unpin automatically after (optional)", validators=[Optional()],
                           description="A date as YYYY-MM-DD; leave empty to keep it pinned.")


class NoteForm(FlaskForm):
    note = TextAreaField("Evidence note", validators=[DataRequired("Write the note."),
                                                      Length(max=NOTE_MAX)],
                         render_kw={"rows": 6},
                         description="Markdown. Shown beside the link, always visible.")
