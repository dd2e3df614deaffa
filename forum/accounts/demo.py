"""Demo profiles and account states, so a newcomer sees what members can show and hide:
health fields at each visibility, a moderator's cleared bio with its history, a mail
preference turned off, a member who reads with large text in high contrast, and a member
who left but kept their posts ("former member")."""
from __future__ import annotations

from sqlalchemy import select

from forum.accounts import deletion, mail_preferences, profiles
from forum.accounts.display import Display, save_display
from forum.accounts.models import Profile
from forum.auth import services as accounts
from forum.auth.models import User
from forum.boards import services as boards
from forum.boards.models import Thread
from forum.extensions import db
from forum.moderation import services as moderation

PROFILES = {
    "maple_walker": {
        "display_name": "Maple (demo)",
        "bio": "Demo member. Diagnosed in 2019, mostly **fatigue** and heat trouble. "
               "I walk a little every day and write down what helps.",
        "location": "Somewhere cold (demo)", "location_visibility": "members",
        "ms_type": "rrms", "ms_type_visibility": "everyone",
        "diagnosis_year": 2019, "diagnosis_year_visibility": "everyone",
        "posts_visible_to_visitors": True,
    },
    "river_fern": {
        "display_name": "Fern (demo)",
        "bio": "Demo member. On natalizumab for two years; I keep a simple log.",
        "ms_type": "rrms", "ms_type_visibility": "members",
        "diagnosis_year": 2014, "diagnosis_year_visibility": "private",
    },
    "slow_tortoise": {
        "bio": "Demo member. Had venous angioplasty in 2011 and wrote up the whole story.",
        "ms_type": "spms", "ms_type_visibility": "everyone",
        "posts_visible_to_visitors": True,
    },
}
SELLER = "miracle_seller_demo"
SELLER_BIO = "Demo spam: message me for the protocol that cured my MS in 30 days."
LEAVER = "willow_leaving_demo"
LEAVER_REPLY = ("Demo: pacing helped me too. I am leaving the forum for a while, but I keep "
                "this reply here for whoever needs it.")


def _user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username_key == username.lower()))


def seed_accounts(moderator: User, password: str) -> str:
    """Add the demo profiles and account states once; returns a short report."""
    if db.session.get(Profile, _user("maple_walker").id) is not None:
        return "demo profiles already present"
    for username, values in PROFILES.items():
        member = _user(username)
        profiles.update_profile(member, member, values)
    mail_preferences.set_choice(_user("river_fern"), "notices", "off")
    save_display(_user("slow_tortoise"), Display(text_size=150, theme="high-contrast"))

    seller = accounts.create_user(SELLER, f"{SELLER}@example.org", password, verified=True)
    profiles.update_profile(seller, seller, {"bio": SELLER_BIO})
    profiles.clear_field(moderator, seller, "bio",
                         "Selling a cure breaks the community guidelines (demo).")

    leaver = accounts.create_user(LEAVER, f"{LEAVER}@example.org", password, verified=True)
    thread = db.session.scalar(select(Thread).where(Thread.title.like("Hello from a new member%")))
    reply = boards.reply(leaver, thread, LEAVER_REPLY)
    if reply.pending:
        moderation.approve_post(moderator, reply, "Demo content")
    deletion.delete_account(leaver, keep_posts=True)
    return ("3 profiles, a member's display settings, a cleared bio and a former member's "
            "kept reply")
