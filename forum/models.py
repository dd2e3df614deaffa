"""Every model, imported in one place so that relationships resolve and Alembic sees them all."""
from forum.accounts.models import DataExport, HeldName, MailPreference, Profile, ProfileRevision
from forum.auth.models import LoginSession, User
from forum.boards.models import (
    Bookmark, Category, CategoryRead, Post, PostRevision, Reaction, Thread, ThreadRead,
)
from forum.admin.models import SiteSetting
from forum.moderation.models import ModerationAction, Report
from forum.notify.models import Notification
from forum.outcomes.models import (
    FollowUp, FollowUpComplication, OutcomeRevision, ReminderSent, Treatment, TreatmentReport,
)
from forum.resources.models import Clinic, EvidenceNote, ResourceClick, ResourceLink

__all__ = [
    "DataExport", "HeldName", "MailPreference", "Profile", "ProfileRevision",
    "Bookmark", "Category", "CategoryRead", "Reaction", "ThreadRead", "Clinic", "EvidenceNote", "FollowUp", "FollowUpComplication", "LoginSession",
    "ModerationAction", "Notification", "OutcomeRevision", "Post", "PostRevision",
    "ReminderSent", "Report", "ResourceClick", "ResourceLink", "SiteSetting", "Thread",
    "Treatment", "TreatmentReport", "User",
]
