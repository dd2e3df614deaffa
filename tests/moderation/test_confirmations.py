"""Staff actions nothing can undo ask first, on a page of their own that works without
JavaScript: rejecting a waiting post, dismissing reports, unpinning a clinic's link and
clearing a field of a member's profile. Reversible actions (hide, lock, suspend...) do not.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable

import pytest
from sqlalchemy import select

from forum.accounts.models import Profile
from forum.boards import services as boards
from forum.boards.models import Post
from forum.moderation.models import ModerationAction
from support import csrf_from, database_snapshot, submit

SPAM_BIO = "Buy cheap stents at https://spam.example.org"


@dataclass(frozen=True)
class Case:
    # Builds the world: who acts, who may not, the target; returns a namespace.
    build: Callable
    list_page: Callable[[SimpleNamespace], str]     # where the action is offered
    confirm_url: Callable[[SimpleNamespace], str]   # the link it offers
    post_url: Callable[[SimpleNamespace], str]      # where the confirm page posts
    data: dict                                      # the confirm page's form, unconfirmed
    question: str
    consequence: str
    done: Callable[[SimpleNamespace, object], bool]
    logged: str


def _rejecting(make, db):
    thread = make.thread(title="Heat and fatigue")
    make.setting("approval_posts", "2")  # after the thread, which everyone sees
    post = make.reply(thread, make.user("newbie", new=True), "Buy supplements here")
    return SimpleNamespace(actor=make.user("warden", role="moderator"),
                           outsider=make.user("heron"), target=post)


def _dismissing(make, db):
    thread = make.thread(author=make.user("lark"), title="Stents and cures")
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    return SimpleNamespace(actor=make.user("warden", role="moderator"),
                           outsider=make.user("heron"), target=make.report(post, make.user("wren")))


def _unpinning(make, db):
    staff = make.staff("vein_anna", make.clinic("Vein Clinic of Example"))
    return SimpleNamespace(actor=staff, outsider=make.staff("harbour_ben"),
                           target=make.link(staff, "Understanding CCSVI"))


def _clearing(make, db):
    river = make.user("river")
    db.session.add(Profile(user_id=river.id, bio=SPAM_BIO, bio_html=f"<p>{SPAM_BIO}</p>",
                           location="Leeds", location_visibility="private"))
    db.session.commit()
    return SimpleNamespace(actor=make.user("warden", role="moderator"),
                           outsider=make.user("heron"), target=river)


def _fresh(db, row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


CASES = {
    "reject a post": Case(
        _rejecting, lambda w: "/mod/queue",
        lambda w: f"/mod/posts/{w.target.id}/reject?next=/mod/queue",
        lambda w: f"/mod/posts/{w.target.id}/reject", {"reason": "Advertising"},
        "Reject this post by newbie?",
        "A rejected post cannot be restored or sent back to the queue",
        lambda w, db: _fresh(db, w.target).deleted_at is not None, "post.reject"),
    "dismiss reports": Case(
        _dismissing, lambda w: "/mod/reports",
        lambda w: f"/mod/reports/{w.target.id}/dismiss?next=/mod/reports",
        lambda w: f"/mod/reports/{w.target.id}/dismiss", {"reason": "Fair comment"},
        "Dismiss the reports on this post?", "Dismissed reports cannot be reopened",
        lambda w, db: _fresh(db, w.target).status == "dismissed", "report.dismiss"),
    "unpin a link": Case(
        _unpinning, lambda w: f"/resources/{w.target.id}/edit",
        lambda w: f"/resources/{w.target.id}/unpin",
        lambda w: f"/resources/{w.target.id}/unpin", {"reason": "Out of date"},
        "Unpin “Understanding CCSVI”?", "An unpinned link cannot be pinned again",
        lambda w, db: _fresh(db, w.target).unpinned_at is not None, "resource.unpin"),
    "clear a profile field": Case(
        _clearing, lambda w: "/mod/users/river/profile",
        lambda w: "/mod/users/river/profile/clear?field=bio",
        lambda w: "/mod/users/river/profile/clear", {"field": "bio", "reason": "Advertising"},
        "Clear the bio on river&#39;s profile?",
        "nothing puts the old text back on the profile",
        lambda w, db: db.session.get(Profile, w.target.id).bio == "", "profile.clear"),
}


@pytest.fixture(params=list(CASES))
def case(request, make, db):
    spec = CASES[request.param]
    return spec, spec.build(make, db)


def test_the_list_offers_a_link_to_the_confirm_page_not_a_form(case, login, client):
    spec, world = case
    login(world.actor)

    page = client.get(spec.list_page(world)).get_data(as_text=True)

    assert f'href="{spec.confirm_url(world)}"' in page
    assert f'action="{spec.post_url(world)}' not in page


def test_the_confirm_page_spells_out_the_consequence(case, login, client):
    spec, world = case
    login(world.actor)

    response = client.get(spec.confirm_url(world))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"<h1>{spec.question}</h1>" in page
    assert spec.consequence in page
    assert "This cannot be undone." in page
    assert '<input type="hidden" name="confirm" value="yes">' in page
    assert 'class="button-danger"' in page and ">Cancel</a>" in page


def test_the_confirm_page_has_a_title_saying_it_confirms(case, login, client):
    spec, world = case
    login(world.actor)

    page = client.get(spec.confirm_url(world)).get_data(as_text=True)

    assert "<title>Confirm: " in page


def test_posting_without_confirmation_changes_nothing_and_shows_the_confirm_page(
        case, login, client, db):
    spec, world = case
    login(world.actor)
    before = database_snapshot(db)

    response = submit(client, spec.post_url(world), spec.data,
                      form_page=spec.list_page(world))

    assert response.status_code == 200
    assert f"<h1>{spec.question}</h1>" in response.get_data(as_text=True)
    assert database_snapshot(db) == before


def test_posting_with_confirmation_acts_and_logs_it(case, login, client, db):
    spec, world = case
    login(world.actor)

    response = submit(client, spec.post_url(world), {**spec.data, "confirm": "yes"},
                      form_page=spec.confirm_url(world))

    assert response.status_code == 302
    assert spec.done(world, db)
    entry = db.session.scalar(select(ModerationAction).order_by(ModerationAction.id.desc()))
    assert (entry.action, entry.actor_id) == (spec.logged, world.actor.id)
    assert entry.reason == spec.data["reason"]


def test_someone_without_the_permission_gets_403_on_the_confirm_page(case, login, client):
    spec, world = case
    login(world.outsider)

    assert client.get(spec.confirm_url(world)).status_code == 403


def test_someone_without_the_permission_gets_403_when_posting_the_confirmation(
        case, login, client, db):
    spec, world = case
    login(world.outsider)
    before = database_snapshot(db)
    token = csrf_from(client.get("/").get_data(as_text=True))

    response = client.post(spec.post_url(world),
                           data={**spec.data, "confirm": "yes", "csrf_token": token})

    assert response.status_code == 403
    assert database_snapshot(db) == before


# Beyond the table -------------------------------------------------------------------------

def test_an_unconfirmed_post_keeps_the_reason_typed(login, client, make, db):
    world = _rejecting(make, db)
    login(world.actor)

    response = submit(client, f"/mod/posts/{world.target.id}/reject",
                      {"reason": "Advertises a clinic"}, form_page="/mod/queue")

    assert "Advertises a clinic</textarea>" in response.get_data(as_text=True)


def test_a_confirmed_post_refused_comes_back_as_the_confirm_page_with_the_error(
        login, client, make, db):
    world = _rejecting(make, db)
    login(world.actor)

    response = submit(client, f"/mod/posts/{world.target.id}/reject",
                      {"reason": " ", "confirm": "yes"}, form_page="/mod/queue")

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Say why" in page and "This cannot be undone." in page
    assert _fresh(db, world.target).deleted_at is None


def test_cancel_goes_back_to_where_the_moderator_came_from(login, client, make, db):
    world = _rejecting(make, db)
    login(world.actor)

    page = client.get(f"/mod/posts/{world.target.id}/reject?next=/mod/queue").get_data(
        as_text=True)

    assert '<a class="button-secondary" href="/mod/queue">Cancel</a>' in page


def test_rejecting_the_opening_post_says_the_thread_goes_too(login, client, make, db,
                                                              category):
    make.setting("approval_posts", "2")
    thread = boards.start_thread(make.user("newbie", new=True), category, "Hello", "Hi all")
    db.session.commit()
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    login(make.user("warden", role="moderator"))

    page = client.get(f"/mod/posts/{opening.id}/reject").get_data(as_text=True)

    assert "the thread never appears" in page


def test_the_confirm_page_quotes_the_text_that_will_be_cleared(login, client, make, db):
    world = _clearing(make, db)
    login(world.actor)

    page = client.get("/mod/users/river/profile/clear?field=bio").get_data(as_text=True)

    assert f'<blockquote class="confirm-quote">{SPAM_BIO}</blockquote>' in page


def test_a_location_kept_from_moderators_is_not_shown_on_the_confirm_page(
        login, client, make, db):
    world = _clearing(make, db)
    login(world.actor)

    page = client.get("/mod/users/river/profile/clear?field=location").get_data(as_text=True)

    assert "Leeds" not in page
    assert "river keeps their location from moderators" in page


def test_the_field_to_clear_is_carried_to_the_confirmation(login, client, make, db):
    world = _clearing(make, db)
    login(world.actor)

    page = client.get("/mod/users/river/profile/clear?field=location").get_data(as_text=True)

    assert '<input type="hidden" name="field" value="location">' in page


def test_confirming_the_clearing_of_an_empty_field_is_a_conflict(login, client, make, db):
    world = _clearing(make, db)
    login(world.actor)

    assert client.get("/mod/users/river/profile/clear?field=display_name").status_code == 409


def test_a_field_moderators_may_not_clear_is_refused_on_the_confirm_page(
        login, client, make, db):
    world = _clearing(make, db)
    login(world.actor)

    assert client.get("/mod/users/river/profile/clear?field=ms_type").status_code == 422


def test_the_queue_still_approves_with_one_press(login, client, make, db):
    world = _rejecting(make, db)
    login(world.actor)

    page = client.get("/mod/queue").get_data(as_text=True)

    # Approving is undone by hiding the post, so it does not ask first.
    assert f'action="/mod/posts/{world.target.id}/approve' in page


def test_reversible_actions_keep_their_form_without_a_confirm_step(login, client, make, db):
    world = _dismissing(make, db)
    login(world.actor)

    page = client.get("/mod/reports").get_data(as_text=True)

    post_id = _fresh(db, world.target).post_id
    assert f'action="/mod/posts/{post_id}/hide' in page
    assert "This cannot be undone." not in page


def test_the_role_page_says_what_a_new_role_does_and_how_to_undo_it(login, client, make):
    make.user("river")
    login(make.user("steward", role="admin"))

    page = client.get("/admin/users/river/role").get_data(as_text=True)

    assert "A new role takes effect at once" in page
    assert "to undo it, choose the earlier role here again" in page


def test_dismissed_reports_stay_dismissed_after_confirming(login, client, make, db):
    world = _dismissing(make, db)
    login(world.actor)
    submit(client, f"/mod/reports/{world.target.id}/dismiss",
           {"reason": "Fair comment", "confirm": "yes"})

    again = client.get(f"/mod/reports/{world.target.id}/dismiss")

    assert again.status_code == 409
    assert _fresh(db, world.target).status == "dismissed"


def test_an_unpinned_link_has_no_confirm_page_any_more(login, client, make, db):
    world = _unpinning(make, db)
    login(world.actor)
    submit(client, f"/resources/{world.target.id}/unpin", {"reason": "", "confirm": "yes"})

    assert client.get(f"/resources/{world.target.id}/unpin").status_code == 404
    assert _fresh(db, world.target).unpinned_at is not None
