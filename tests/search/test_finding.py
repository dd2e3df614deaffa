"""What a search finds: words, titles, phrases, `or`, minus and stemming, on both engines."""
from __future__ import annotations

import pytest


@pytest.fixture
def posts(make, category, member):
    thread = make.thread(category=category, author=member, title="Balance after angioplasty",
                         body="My neurologist suggested physiotherapy for the heat.")
    return {
        "opening": thread,
        "walk": make.reply(thread, member, "Walking is slower in the summer heat."),
        "fatigue": make.reply(thread, member, "Fatigue hit hard after the procedure."),
        "both": make.reply(thread, member, "Fatigue and walking both improved with rest."),
        "phrase": make.reply(thread, member, "The procedure was not a cure, sadly."),
        "apart": make.reply(thread, member, "In summer the heat was worse, and sadly so."),
    }


def test_a_word_finds_the_posts_that_contain_it(found, posts):
    assert set(found("fatigue")) == {posts["fatigue"].id, posts["both"].id}


def test_a_title_word_finds_the_opening_post_of_the_thread(found, posts, opening):
    assert found("angioplasty") == [opening(posts["opening"]).id]


def test_all_plain_words_must_be_there(found, posts):
    assert found("fatigue walking") == [posts["both"].id]


def test_a_quoted_phrase_finds_only_the_words_together_in_order(found, posts):
    assert set(found("summer heat")) == {posts["apart"].id, posts["walk"].id}
    assert found('"summer heat"') == [posts["walk"].id]


def test_or_accepts_either_word(found, posts, opening):
    assert set(found("physiotherapy or cure")) == {
        posts["phrase"].id, opening(posts["opening"]).id}


def test_a_leading_minus_leaves_posts_with_that_word_out(found, posts):
    assert found("fatigue -walking") == [posts["fatigue"].id]


def test_english_stemming_finds_other_forms_of_a_word(found, posts):
    assert set(found("walk")) == {posts["walk"].id, posts["both"].id}
    assert posts["both"].id in found("improving")


def test_a_title_match_ranks_above_a_body_match(make, found, category, member, opening):
    title_thread = make.thread(category=category, author=member, title="Relapses this year",
                               body="Nothing more to say.")
    body_thread = make.thread(category=category, author=member, title="Another thread",
                              body="Mentioning relapses once in a longer body of text.")

    assert found("relapses") == [opening(title_thread).id, opening(body_thread).id]


def test_fts5_syntax_in_a_search_is_read_as_words(search, posts):
    for typed in ['"', '*', 'fatigue*', 'body:fatigue', '^fatigue', 'NEAR(fatigue walking)',
                  '(fatigue', 'fatigue)', 'fatigue AND', 'NOT fatigue', 'fatigue OR',
                  '- -', '-"', '"fatigue', "'fatigue'", '{title}: x', 'a + b', '\\"x']:
        response = search(typed)
        assert response.status_code in (200, 422), (typed, response.status_code)
