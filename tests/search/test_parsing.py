"""Reading what was typed: websearch syntax, the same for both engines, never raw FTS5."""
from __future__ import annotations

import re

import pytest

from forum.errors import ValidationError
from forum.search.parsing import parse


def test_or_separates_alternatives_as_websearch_reads_them():
    query = parse("walking fatigue or heat -summer")

    assert query.websearch() == '"walking" "fatigue" or "heat" -"summer"'
    assert query.fts5() == '(("walking" AND "fatigue")) OR (("heat") NOT "summer")'


def test_an_unbalanced_quote_is_read_as_a_phrase_to_the_end():
    assert parse('fatigue "after the procedure').fts5() == \
        '(("fatigue" AND "after the procedure"))'


def test_fts5_operators_and_punctuation_become_quoted_words():
    expression = parse('NEAR(a b) title:x ^y z* AND "q" -(w)').fts5()

    # Outside the quotes: only brackets, spaces and FTS5's own AND, OR and NOT.
    assert re.fullmatch(r'(?:"[^\W_]+(?: [^\W_]+)*"|[() ]|AND|OR|NOT)+', expression)


def test_a_search_of_operators_alone_cannot_be_run():
    with pytest.raises(ValidationError):
        parse('or - "" * ^ :')
