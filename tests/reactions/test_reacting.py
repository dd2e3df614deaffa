"""Reacting to a post: toggled by POST, one of each kind per member, only to others' live
posts, and the counts and names everyone can see."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.boards.models import Reaction
from forum.moderation import services as moderation
from support import submit


def react(client, post, kind: str):
    return submit(client, f"/p/{post.id}/react", {"kind": kind}, form_page=f"/t/{post.thread_id}")


def reactions_of(db, post) -> list[tuple[int, str]]:
    db.session.expire_all()
    return sorted(db.session.execute(
        select(Reaction.user_id, Reaction.kind).where(Reaction.post_id == post.id)).all())


def test_reacting_adds_the_reaction_and_returns_to_the_post(client, login, make, db, opening):
    reader = make.user("heron")
    login(reader)

    response = react(client, opening, "helpful")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/p/{opening.id}")
    assert reactions_of(db, opening) == [(reader.id, "helpful")]


def test_reacting_again_takes_the_reaction_back(client, login, make, db, opening):
    login(make.user("heron"))
    react(client, opening, "hugs")

    react(client, opening, "hugs")

    assert reactions_of(db, opening) == []


def test_a_member_has_one_reaction_of_each_kind_per_post(client, login, make, db, opening):
    reader = make.user("heron")
    login(reader)
    for kind in ("helpful", "thanks", "metoo", "hugs", "helpful", "helpful"):
        react(client, opening, kind)

    assert reactions_of(db, opening) == sorted(
        (reader.id, kind) for kind in ("helpful", "thanks", "metoo", "hugs"))


def test_a_member_cannot_react_to_their_own_post(client, login, db, author, opening):
    login(author)

    response = react(client, opening, "helpful")

    assert response.status_code == 403
    assert reactions_of(db, opening) == []


def test_a_hidden_post_takes_no_reactions(client, login, make, db, opening, moderator):
    moderation.hide_post(moderator, opening, "Off topic")
    db.session.commit()
    login(make.user("heron"))

    response = react(client, opening, "helpful")

    assert response.status_code == 409
    assert reactions_of(db, opening) == []


def test_an_unknown_kind_is_refused_with_a_message(client, login, make, db, opening):
    login(make.user("heron"))

    response = react(client, opening, "angry")

    assert response.status_code == 422
    assert "helpful, thank you, me too or hugs" in response.get_data(as_text=True)
    assert reactions_of(db, opening) == []


def test_a_visitor_cannot_react(client, db, opening):
    response = client.post(f"/p/{opening.id}/react", data={"kind": "helpful"})

    assert response.status_code in (400, 401)
    assert reactions_of(db, opening) == []


def test_thread_page_shows_counts_and_which_reactions_are_yours(
        client, login, make, db, thread, opening):
    from forum.boards import reactions

    for name in ("heron", "otter", "wren"):
        reactions.toggle(make.user(name), opening, "helpful")
    reader = make.user("kestrel")
    reactions.toggle(reader, opening, "hugs")
    db.session.commit()
    login(reader)

    html = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert 'aria-pressed="false" class="button-secondary reaction">Helpful ' \
           '<span class="reaction-count">3</span>' in html
    assert 'aria-pressed="true" class="button-primary reaction">✓ Hugs ' \
           '<span class="reaction-count">1</span> <span class="reaction-state">(yours)</span>' \
           in html


def test_a_visitors_thread_page_shows_counts_and_stays_shareable(
        client, make, db, thread, opening):
    from forum.boards import reactions

    reactions.toggle(make.user("heron"), opening, "thanks")
    db.session.commit()

    response = client.get(f"/t/{thread.id}")

    html = response.get_data(as_text=True)
    assert "Thank you: 1" in html
    assert f'/p/{opening.id}/reactions' in html
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"].startswith("public")


@pytest.fixture(params=["anonymous", "member"])
def reader(request, login, make):
    if request.param == "member":
        login(make.user("reader"))
    return request.param


def test_thread_page_statements_do_not_grow_with_reactions(
        client, make, db, count_queries, thread, opening, reader):
    from forum.boards import reactions, services

    def measure() -> list[str]:
        with count_queries() as statements:
            assert client.get(f"/t/{thread.id}").status_code == 200
        return list(statements)

    members = [make.user() for _ in range(3)]
    reactions.toggle(members[0], opening, "helpful")
    db.session.commit()
    few = measure()

    for index in range(12):
        post = services.reply(members[index % 3], thread, f"Reply {index}")
        for member in members:
            if member.id != post.author_id:
                for kind in ("helpful", "hugs", "metoo"):
                    reactions.toggle(member, post, kind)
    db.session.commit()
    many = measure()

    assert len(many) == len(few), many


def test_who_reacted_names_the_members_of_each_kind(client, make, db, opening):
    from forum.boards import reactions

    reactions.toggle(make.user("heron"), opening, "helpful")
    reactions.toggle(make.user("otter"), opening, "helpful")
    reactions.toggle(make.user("wren"), opening, "hugs")
    db.session.commit()

    response = client.get(f"/p/{opening.id}/reactions")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Helpful: 2" in html and "Hugs: 1" in html
    helpful = html.index("Helpful: 2")
    assert helpful < html.index(">heron<") < html.index(">otter<") < html.index("Hugs: 1") \
        < html.index(">wren<")


def test_who_reacted_is_not_found_for_a_post_the_viewer_may_not_read(
        client, make, db, opening, moderator):
    from forum.boards import reactions

    reactions.toggle(make.user("heron"), opening, "helpful")
    moderation.hide_post(moderator, opening, "Off topic")
    db.session.commit()

    assert client.get(f"/p/{opening.id}/reactions").status_code == 404


def test_a_reaction_tells_the_posts_author(client, login, make, db, author, opening):
    from forum.notify.models import GroupedNotification

    login(make.user("heron"))

    react(client, opening, "helpful")

    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(GroupedNotification)
                             .where(GroupedNotification.user_id == author.id)) == 1


@pytest.mark.parametrize("config_overrides",
                         [{"RATELIMIT_ENABLED": True, "RATELIMIT_REACT": "2 per minute"}],
                         indirect=True)
def test_reacting_in_a_burst_is_slowed_down(client, login, make, db, opening):
    login(make.user("heron"))
    react(client, opening, "helpful")
    react(client, opening, "thanks")

    response = react(client, opening, "hugs")

    assert response.status_code == 429
    assert sorted(kind for _, kind in reactions_of(db, opening)) == ["helpful", "thanks"]
