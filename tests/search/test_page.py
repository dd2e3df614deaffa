"""The search page: snippets, filters, pages, messages, the header box, caching."""
from __future__ import annotations

from datetime import datetime

import pytest

from forum.search.parsing import EMPTY, MAX_QUERY_LENGTH, NOTHING_TO_FIND, TOO_LONG
from support import database_snapshot


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def thread(make, category, member):
    return make.thread(category=category, author=member, title="Sleep and spasticity",
                       body="Baclofen helped my spasticity at night.")


def test_the_bare_page_shows_the_form_without_complaint(search):
    response = search()

    assert response.status_code == 200
    assert 'name="q"' in text_of(response)
    assert "could not be run" not in text_of(response)


def test_the_snippet_marks_the_words_and_escapes_the_post(make, search, thread, member):
    make.reply(thread, member, "<script>alert(1)</script> and <b>bold</b> about insomnia")

    page = text_of(search("insomnia"))

    assert "<mark>insomnia</mark>" in page
    assert "<script>alert" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_result_shows_its_author_category_and_links_to_the_post(search, thread, opening):
    page = text_of(search("baclofen"))

    assert f'href="/p/{opening(thread).id}"' in page
    assert 'href="/u/river"' in page and "Living with MS" in page


def test_an_empty_search_is_refused_with_the_form(search):
    response = search("   ")

    assert response.status_code == 422
    assert EMPTY in text_of(response) and 'name="q"' in text_of(response)


def test_a_too_long_search_is_refused_and_kept(search):
    typed = "fatigue " * (MAX_QUERY_LENGTH // 8 + 1)

    response = search(typed)

    assert response.status_code == 422
    assert TOO_LONG in text_of(response) and typed.strip() in text_of(response)


def test_a_search_of_exclusions_alone_is_refused(search):
    response = search("-fatigue or -*")

    assert response.status_code == 422
    assert NOTHING_TO_FIND in text_of(response)


def test_a_malformed_date_is_refused(search):
    response = search("baclofen", **{"from": "31/12/2024"})

    assert response.status_code == 422
    assert "YYYY-MM-DD" in text_of(response) and 'value="31/12/2024"' in text_of(response)


def test_dates_the_wrong_way_round_are_refused(search):
    assert search("baclofen", **{"from": "2025-02-01", "to": "2025-01-01"}).status_code == 422


def test_an_unknown_author_is_refused(search):
    response = search("baclofen", author="nobody-here")

    assert response.status_code == 422
    assert "No member has that username" in text_of(response)


def test_an_unknown_category_is_refused(search):
    assert search("baclofen", category="no-such-place").status_code == 422


def test_the_category_filter_keeps_to_that_category(make, found, thread, member, opening):
    elsewhere = make.thread(category=make.category(slug="diet"), author=member,
                            title="Diet and drugs", body="Baclofen and diet.")

    assert found("baclofen", category="diet") == [opening(elsewhere).id]
    assert len(found("baclofen")) == 2


def test_the_author_filter_keeps_to_that_member(make, found, thread):
    other = make.user("heron")
    reply = make.reply(thread, other, "Baclofen made me drowsy.")

    assert found("baclofen", author="Heron") == [reply.id]


def test_the_date_filters_keep_to_those_days(db, make, found, thread, member):
    old = make.reply(thread, member, "Baclofen in the old days.")
    old.created_at = datetime(2024, 3, 10, 23, 59)
    db.session.commit()

    assert found("baclofen", **{"from": "2024-03-10", "to": "2024-03-10"}) == [old.id]
    assert old.id not in found("baclofen", **{"from": "2024-03-11"})


def test_results_come_in_pages_of_twenty(make, search, found, thread, member):
    for number in range(24):
        make.reply(thread, member, f"Gabapentin note {number}.")

    assert len(found("gabapentin")) == 20
    assert len(found("gabapentin", page="2")) == 4
    assert 'href="/search?page=2&amp;q=gabapentin"' in text_of(search("gabapentin"))
    assert search("gabapentin", page="3").status_code == 404


def test_the_header_has_a_search_box_on_the_home_page(client):
    page = text_of(client.get("/"))

    assert 'role="search"' in page and 'action="/search"' in page
    assert '<label class="visually-hidden" for="header-search-q">' in page


def test_a_visitor_search_writes_nothing_and_is_cacheable(db, search, thread):
    before = database_snapshot(db)

    response = search("baclofen")

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"].startswith("public")
    assert database_snapshot(db) == before
