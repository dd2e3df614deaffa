"""What a member types in the search box, read into terms both databases understand.

The syntax is PostgreSQL's `websearch_to_tsquery`: plain words must all be there, a
"quoted phrase" must be there as written, `or` between two terms accepts either, and a
leading minus leaves out posts with that term. One parser reads it for both engines, so
that the same words mean the same search on SQLite and PostgreSQL, and so that nothing a
member types reaches FTS5's MATCH (whose own syntax has columns, prefixes, NEAR, ^ and
brackets) other than quoted runs of letters and digits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from forum.errors import ValidationError

MAX_QUERY_LENGTH = 200
MAX_TERMS = 16

EMPTY = "Type a word or a phrase to search for."
TOO_LONG = f"That search is too long: keep it under {MAX_QUERY_LENGTH} characters."
TOO_MANY = f"That search has too many words: use at most {MAX_TERMS}."
NOTHING_TO_FIND = ("That search has no word to look for. Type at least one word that "
                   "posts must contain (a word with a minus only leaves posts out).")

# Letters and digits in any script: FTS5's unicode61 tokenizer and PostgreSQL's parser both
# split words at everything else, so nothing else is worth keeping.
_WORD = re.compile(r"[^\W_]+")
# A quoted phrase (the closing quote may be missing), or a run of anything but spaces.
_TOKEN = re.compile(r'(-*)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """A word, or several that must stand together in this order (a phrase)."""

    words: tuple[str, ...]

    def fts5(self) -> str:
        # Only letters and digits are inside, so the quotes cannot be broken out of.
        return '"' + " ".join(self.words) + '"'

    def websearch(self) -> str:
        return '"' + " ".join(self.words) + '"'


@dataclass
class Alternative:
    """Terms that must all be there, and terms that must not."""

    required: list[Term] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    def fts5(self) -> str:
        expression = "(" + " AND ".join(term.fts5() for term in self.required) + ")"
        for term in self.excluded:
            expression += " NOT " + term.fts5()
        return "(" + expression + ")"

    def websearch(self) -> str:
        return " ".join([term.websearch() for term in self.required]
                        + ["-" + term.websearch() for term in self.excluded])


@dataclass
class Query:
    """Alternatives separated by `or`, as websearch_to_tsquery reads them: "a b or c -d"
    finds posts with both a and b, and posts with c but not d."""

    alternatives: list[Alternative]

    @property
    def words(self) -> list[str]:
        """The words looked for, to highlight in what is found."""
        return [word for alternative in self.alternatives
                for term in alternative.required for word in term.words]

    def fts5(self) -> str:
        """An FTS5 MATCH expression built only from quoted terms and FTS5's own operators."""
        return " OR ".join(alternative.fts5() for alternative in self.alternatives)

    def websearch(self) -> str:
        """The same search in websearch_to_tsquery's words, rebuilt from what was read."""
        return " or ".join(alternative.websearch() for alternative in self.alternatives)


def parse(text: str | None) -> Query:
    """Read a search; raises ValidationError (field "q") for one that cannot be run."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(EMPTY, "q")
    if len(text) > MAX_QUERY_LENGTH:
        raise ValidationError(TOO_LONG, "q")
    alternatives = [Alternative()]
    count = 0
    for match in _TOKEN.finditer(text):
        minuses, phrase, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            alternatives.append(Alternative())
            continue
        negated = bool(minuses) if phrase is not None else bare.startswith("-")
        source = phrase if phrase is not None else bare.lstrip("-")
        words = tuple(word.lower() for word in _WORD.findall(source))
        if not words:
            continue
        count += len(words)
        if count > MAX_TERMS:
            raise ValidationError(TOO_MANY, "q")
        side = alternatives[-1].excluded if negated else alternatives[-1].required
        side.append(Term(words))
    # An alternative of exclusions alone ("a or -b") would find nearly every post: it is
    # left out, as are the empty ones a stray "or" makes.
    kept = [alternative for alternative in alternatives if alternative.required]
    if not kept:
        raise ValidationError(NOTHING_TO_FIND, "q")
    return Query(kept)
