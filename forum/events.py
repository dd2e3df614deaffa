"""What happened to posts, told to the features that follow them.

Services send these after they flushed the change, inside the caller's unit of work:
a receiver adds rows (a notification, a read mark) to the same transaction, and
schedules slow work (mail) as a job, which runs only if that transaction commits.
Receivers connect at import; `forum.create_app` imports every feature that listens.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# A post readers can now see: posted by a trusted member, or approved by a moderator.
# Sent with the post as sender, and `new_thread=True` when it opened its thread.
post_published = _signals.signal("post-published")
# A post's text changed (by its author or a moderator); sent with the post.
post_edited = _signals.signal("post-edited")
