"""Demo content for a new forum: categories, pseudonymous members, threads and replies."""
from __future__ import annotations

from sqlalchemy import select

from forum.accounts.demo import seed_accounts
from forum.auth import services as accounts
from forum.auth.models import User
from forum.boards import services as boards
from forum.boards.models import Category, Post, Thread
from forum.extensions import db
from forum.moderation import services as moderation
from forum.notify.demo import seed_activity
from forum.notify.services import mark_all_read
from forum.outcomes.demo import seed_outcomes

DEMO_PASSWORD = "outflow-demo-password"

CATEGORIES = [
    ("introductions", "Introductions",
     "New here? Say hello, and tell us as much or as little of your story as you like."),
    ("ccsvi", "CCSVI & the liberation procedure",
     "Venous angioplasty and stenting for MS: experiences, questions and the evidence."),
    ("treatments-outcomes", "Treatments & outcomes",
     "Disease-modifying therapies, rehabilitation, diet and what followed, good or bad."),
    ("living-with-ms", "Living with MS",
     "Fatigue, heat, work, family, mobility aids: the everyday side."),
    ("caregivers", "Caregivers",
     "For partners, parents, children and friends who care for someone with MS."),
]

DEMO_CLINIC = "Chicago Vascular & Interventional (demo)"
DEMO_STAFF = "cvi_staff"

# The links the clinic page this forum grew out of asked patients to read.
RESOURCES = [
    ("Chronic Cerebrospinal Venous Insufficiency World Site", "https://example.org/ccsvi-world",
     "News and personal stories about CCSVI from around the world.", True, ["ccsvi"]),
    ("Relief for MS Patients Following Angioplasty", "https://example.org/relief-after-angioplasty",
     "An article on patients' reports after venous angioplasty.", False, ["ccsvi"]),
    ("Interventional Radiologists Advance MS Research",
     "https://example.org/interventional-radiology-ms-research",
     "A professional society's news item on CCSVI research.", False, ["ccsvi"]),
    ("Hubbard Foundation, Multi-Center Registry for CCSVI", "https://example.org/hubbard-registry",
     "A registry that follows people treated for CCSVI.", False,
     ["ccsvi", "treatments-outcomes"]),
    ("Treatment Options", "https://example.org/treatment-options",
     "The clinic's overview of the treatments it offers.", True, ["treatments-outcomes"]),
    ("Venous Angioplasty for CCSVI", "https://example.org/venous-angioplasty",
     "How the clinic performs balloon angioplasty of the neck veins.", False, ["ccsvi"]),
]

CCSVI_EVIDENCE_NOTE = (
    "The randomized, sham-controlled Brave Dreams trial "
    "(Zamboni et al., JAMA Neurology, 2018) found that venous angioplasty did not improve "
    "disability or symptoms in people with MS. In 2012 the US FDA issued a safety "
    "communication warning of serious complications of CCSVI procedures, including "
    "injury to veins, blood clots, stent migration and death, and advised that they are "
    "not proven to treat MS. Talk to your neurologist before considering them."
)

MEMBERS = [
    ("maple_walker", "member"),
    ("river_fern", "member"),
    ("slow_tortoise", "member"),
    ("quiet_heron", "moderator"),
    ("outflow_admin", "admin"),
]

THREADS = [
    ("introductions", "maple_walker", "Hello from a new member, diagnosed in 2019",
     "Hi all. RRMS since 2019, mostly fatigue and heat trouble. I've been reading here "
     "for months and finally made an account.\n\nWhat helped you most in the first year?",
     [("river_fern", "Welcome! For me it was pacing: planning rest *before* I needed it."),
      ("quiet_heron", "Welcome aboard. The **Living with MS** category has a good thread "
                      "on cooling vests.")]),
    ("ccsvi", "slow_tortoise", "Had venous angioplasty in 2011: my 12-month follow-up",
     "I had balloon angioplasty of the left IJV in 2011. For about three months I felt "
     "less foggy. By month nine everything was back where it started, and a scan showed "
     "restenosis.\n\nI'm posting because I only ever read the good stories back then.",
     [("maple_walker", "Thank you for writing the whole story, including the part that "
                       "didn't go well."),
      ("quiet_heron", "For anyone reading: the randomized Brave Dreams trial found no "
                      "benefit of venous angioplasty in MS. Please talk to your neurologist.")]),
    ("treatments-outcomes", "river_fern", "Two years on natalizumab: what I track",
     "I keep a simple log: relapses, a monthly walking test, and a fatigue score.\n\n"
     "- no relapses so far\n- walking about the same\n- fatigue a little better",
     [("slow_tortoise", "Do you get JCV tests regularly? My neurologist insists on it.")]),
    ("living-with-ms", "maple_walker", "Cooling vests that actually work in summer?",
     "Heat wipes me out. Which vests have you tried, and were they worth it?",
     [("river_fern", "Phase-change packs last longest for me, about 2 hours.")]),
    ("caregivers", "river_fern", "Looking after yourself while caring for someone",
     "My partner has SPMS. How do other carers find time to rest?", []),
]


def _member(username: str, role: str) -> User:
    user = db.session.scalar(select(User).where(User.username_key == username.lower()))
    if user is None:
        user = accounts.create_user(username, f"{username}@example.org", DEMO_PASSWORD,
                                    role=role, verified=True)
        db.session.flush()
    return user


def _opening_post(thread: Thread) -> Post:
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id).order_by(Post.id))


def _approve(moderator: User, post: Post) -> None:
    # Demo members are new, so their first posts wait for approval like anyone's.
    if post.pending:
        moderation.approve_post(moderator, post, "Demo content")


def _seed_resources(moderator: User) -> int:
    """The demo clinic, its staff member, its links, and the moderators' evidence notes."""
    from forum.admin.services import create_clinic
    from forum.resources import services as resources
    from forum.resources.models import Clinic, ResourceLink

    clinic = db.session.scalar(select(Clinic).where(Clinic.name == DEMO_CLINIC))
    if clinic is None:
        clinic = create_clinic(None, DEMO_CLINIC, "https://example.org",
                               "A demo clinic offering venous angioplasty.")
    staff = db.session.scalar(select(User).where(User.username_key == DEMO_STAFF))
    if staff is None:
        staff = accounts.create_user(DEMO_STAFF, f"{DEMO_STAFF}@example.org", DEMO_PASSWORD,
                                     role="clinic_staff", clinic=clinic, verified=True)
        db.session.flush()
    added = 0
    for title, url, description, site_wide, slugs in RESOURCES:
        if db.session.scalar(select(ResourceLink.id).where(ResourceLink.clinic_id == clinic.id,
                                                           ResourceLink.title == title)):
            continue
        categories = list(db.session.scalars(select(Category).where(Category.slug.in_(slugs))))
        link = resources.pin_link(staff, title, url, description, site_wide, categories)
        if "ccsvi" in slugs:
            resources.set_note(moderator, link, CCSVI_EVIDENCE_NOTE)
        added += 1
    return added


def seed() -> str:
    """Add whatever part of the demo content is missing; returns a short report.

    One unit of work: the command that calls it commits.
    """
    added_categories = 0
    for position, (slug, name, description) in enumerate(CATEGORIES):
        if db.session.scalar(select(Category.id).where(Category.slug == slug)) is None:
            db.session.add(Category(slug=slug, name=name, description=description,
                                    position=position))
            added_categories += 1
    members = {name: _member(name, role) for name, role in MEMBERS}
    moderator = members["quiet_heron"]
    db.session.flush()

    added_threads = 0
    for slug, author, title, body, replies in THREADS:
        category = db.session.scalar(select(Category).where(Category.slug == slug))
        exists = db.session.scalar(
            select(Thread.id).where(Thread.category_id == category.id, Thread.title == title))
        if exists is not None:
            continue
        thread = boards.start_thread(members[author], category, title, body)
        _approve(moderator, _opening_post(thread))
        for reply_author, reply_body in replies:
            _approve(moderator, boards.reply(members[reply_author], thread, reply_body))
        added_threads += 1
    for member in members.values():
        # The approvals above were the seeding, not news for the demo members.
        mark_all_read(member)
    added_links = _seed_resources(moderator)
    outcomes = seed_outcomes(moderator, DEMO_PASSWORD, DEMO_CLINIC)
    profiles = seed_accounts(moderator, DEMO_PASSWORD)
    activity = seed_activity(moderator)
    names = ", ".join([*members, DEMO_STAFF, "miracle_seller_demo",
                       "demo_patient_01 to _48"])
    return (f"Demo data: {added_categories} categories, {added_threads} threads and "
            f"{added_links} clinic links added; {outcomes}; {profiles}; {activity}. "
            f"Demo accounts ({names}) sign "
            f"in with the password {DEMO_PASSWORD!r}.")
