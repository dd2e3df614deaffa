"""The kinds of activity a member is told of, the mail switch each answers to, and the
sentence each line reads as (composed when shown, since a group's count keeps changing)."""
from __future__ import annotations

REPLY = "thread.reply"
NEW_THREAD = "category.thread"
MENTION = "post.mention"
QUOTE = "post.quote"
REACTION_PREFIX = "post.reaction."

# Notification kind (or prefix) -> the kind of mail in forum.accounts.mail_preferences.
MAIL_KINDS = {REPLY: "replies", NEW_THREAD: "new_threads", MENTION: "mentions",
              QUOTE: "quotes", REACTION_PREFIX: "reactions"}

REACTION_PHRASES = {
    "helpful": "found your post in “{title}” helpful",
    "thanks": "thanked you for your post in “{title}”",
    "metoo": "said “me too” to your post in “{title}”",
    "hugs": "sent you hugs for your post in “{title}”",
}


def reaction_kind(kind: str) -> str:
    return REACTION_PREFIX + kind


def mail_kind(kind: str) -> str | None:
    if kind.startswith(REACTION_PREFIX):
        return MAIL_KINDS[REACTION_PREFIX]
    return MAIL_KINDS.get(kind)


def _actor(notification) -> str:
    actor = notification.last_actor
    if actor is None:
        return "Someone"
    return "A former member" if actor.is_former else actor.username


def describe(notification) -> str:
    """The line as a member reads it, e.g. "12 new replies in “Cooling vests”"."""
    kind = notification.kind
    thread = notification.thread
    title = thread.title
    actor, count = _actor(notification), notification.count
    if kind == REPLY:
        if count == 1:
            return f"{actor} replied in “{title}”"
        return f"{count} new replies in “{title}”, the latest by {actor}"
    if kind == NEW_THREAD:
        return f"{actor} started a new thread in {thread.category.name}: “{title}”"
    if kind == MENTION:
        return f"{actor} mentioned you in “{title}”"
    if kind == QUOTE:
        return f"{actor} quoted your post in “{title}”"
    phrase = REACTION_PHRASES.get(kind[len(REACTION_PREFIX):], "reacted to your post in “{title}”")
    who = actor if count == 1 else f"{count} people"
    return f"{who} {phrase.format(title=title)}"
