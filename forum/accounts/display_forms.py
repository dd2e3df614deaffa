"""The display form, shared by /settings/display and /display, with DESIGN.md's field names."""
from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from wtforms import BooleanField

from forum.accounts.display import Display
from forum.outcomes.forms import Choice

TEXT_SIZE_LABELS = {100: "Standard (100%)", 125: "Large (125%)", 150: "Larger (150%)",
                    175: "Largest (175%)"}
THEME_LABELS = {"system": "Follow my device", "light": "Light", "dark": "Dark",
                "high-contrast": "High contrast"}


class DisplayForm(FlaskForm):
    text_size = Choice(
        "Text size", TEXT_SIZE_LABELS.items(), missing="Choose a text size.",
        description="Everything grows together: text, buttons and the space around them.")
    theme = Choice(
        "Colours", THEME_LABELS.items(), missing="Choose the colours.",
        description="“Follow my device” is light, or dark when your phone or computer is "
                    "set to dark. High contrast makes text, links and outlines as strong as "
                    "they can be.")
    reduce_motion = BooleanField(
        "Reduce motion",
        description="No animations or smooth scrolling. Left unticked, Outflow follows your "
                    "device's own setting for motion.")
    readable_font = BooleanField(
        "Reading-friendly text",
        description="More space between letters, words and lines, and no italics. Many "
                    "people with dyslexia or tired eyes find it easier to read.")

    @classmethod
    def showing(cls, display: Display) -> DisplayForm:
        """The form with `display` chosen. A submitted form is read on its own, so that a
        missing answer is refused rather than quietly kept as it was."""
        if request.method == "POST":
            return cls()
        return cls(data={**display.record(), "text_size": str(display.text_size)})

    def chosen(self) -> Display:
        """What was chosen; call after validation (the choices are the only values left)."""
        return Display(int(self.text_size.data), self.theme.data,
                       bool(self.reduce_motion.data), bool(self.readable_font.data))
