"""A thread says which treatments it is about: set by its author or a moderator, shown as
links to each treatment's page."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.moderation.models import ModerationAction
from forum.outcomes.models import Treatment, thread_treatments
from support import csrf_from, sign_in, submit


@pytest.fixture
def author(make):
    return make.user("heron")


@pytest.fixture
def thread(make, author):
    make.treatments()
    return make.thread(author=author, title="Natalizumab or a stent?")


def linked(db, thread) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(
        select(Treatment.slug).join(thread_treatments,
                                    thread_treatments.c.treatment_id == Treatment.id)
        .where(thread_treatments.c.thread_id == thread.id).order_by(Treatment.position)))


def link_as(client, user, thread, slugs):
    sign_in(client, user)
    return submit(client, f"/t/{thread.id}/treatments", {"treatments": slugs},
                  form_page=f"/t/{thread.id}")


def test_the_author_links_their_thread_to_treatments(db, client, author, thread):
    response = link_as(client, author, thread, ["dmt-natalizumab", "ccsvi-stent"])

    assert response.status_code == 302
    assert linked(db, thread) == ["ccsvi-stent", "dmt-natalizumab"]


def test_the_thread_page_shows_its_treatments_as_links(db, client, author, thread):
    link_as(client, author, thread, ["dmt-natalizumab"])

    page = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert '<a href="/outcomes/t/dmt-natalizumab">Natalizumab</a>' in page


def test_a_visitor_sees_the_links_without_a_form(db, make, browser, author, thread):
    link_as(browser(), author, thread, ["dmt-natalizumab"])

    response = browser().get(f"/t/{thread.id}")

    page = response.get_data(as_text=True)
    assert 'href="/outcomes/t/dmt-natalizumab"' in page
    assert f'action="/t/{thread.id}/treatments"' not in page
    assert "Set-Cookie" not in response.headers


def test_linking_again_replaces_the_treatments(db, client, author, thread):
    link_as(client, author, thread, ["dmt-natalizumab", "ccsvi-stent"])

    submit(client, f"/t/{thread.id}/treatments", {"treatments": ["diet"]},
           form_page=f"/t/{thread.id}")

    assert linked(db, thread) == ["diet"]


def test_a_moderator_links_someone_elses_thread_and_it_is_logged(db, make, client, thread):
    warden = make.user("warden", role="moderator")

    link_as(client, warden, thread, ["ccsvi-angioplasty"])

    assert linked(db, thread) == ["ccsvi-angioplasty"]
    entry = db.session.scalars(select(ModerationAction)).one()
    assert (entry.action, entry.target_type, entry.actor_id) == (
        "thread.treatments", "thread", warden.id)


def test_another_member_cannot_link_a_thread(db, make, client, thread):
    other = make.user("curious")
    sign_in(client, other)
    token_page = client.get("/outcomes/mine").get_data(as_text=True)

    response = client.post(f"/t/{thread.id}/treatments",
                           data={"treatments": ["diet"], "csrf_token": csrf_from(token_page)})

    assert response.status_code == 403
    assert linked(db, thread) == []


def test_an_unknown_treatment_is_refused(db, client, author, thread):
    response = link_as(client, author, thread, ["dmt-natalizumab", "snake-oil"])

    assert response.status_code == 422
    assert linked(db, thread) == []


def test_a_treatment_off_the_list_is_not_newly_linked(db, client, author, thread):
    stent = db.session.scalar(select(Treatment).where(Treatment.slug == "ccsvi-stent"))
    stent.active = False
    db.session.commit()

    response = link_as(client, author, thread, ["ccsvi-stent"])

    assert response.status_code == 422
    assert linked(db, thread) == []
