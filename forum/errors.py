"""Domain errors that services raise and views turn into statuses."""
from __future__ import annotations

from forum.permissions import Conflict, PermissionDenied


class ValidationError(Exception):
    """Input the rules refuse; `field` names the form field to show it beside."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


__all__ = ["Conflict", "PermissionDenied", "ValidationError"]
