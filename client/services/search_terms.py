"""What a seller types in a search box, as queries of the store's two kinds of search index.

Each searched table has a word index (FTS5 unicode61: every word of the text matches the
start of a word, accents ignored) and an infix index (FTS5 trigram over accent-folded
values: a word of three or more characters matches anywhere inside a code or a name, so
"alara" finds "Calara" and "487" finds "P-00487"). Trigrams need three characters: a word
of one or two narrows the infix hits as a word prefix instead.

Word hits come first (tier 0), infix-only hits after them (tier 1), each tier by its own
bm25: what a seller found before keeps its place, and an infix hit fills the list when
word starts find little. The caller puts an exact code before both.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from client.store.search_text import fold_accents

TRIGRAM = 3
"""Characters in a trigram: a shorter word cannot be searched inside a value."""


@dataclass(frozen=True, slots=True)
class SearchTerms:
    """The FTS5 queries for one search text."""

    words: str
    """Word index: every word as a prefix (the search before the infix index, unchanged)."""
    infix: str | None
    """Infix index: every word of 3+ characters, folded, anywhere; None if there is none."""
    short: str | None
    """Word index: the words of 1–2 characters as prefixes, which the infix hits must match too."""


@dataclass(frozen=True, slots=True)
class SearchIndexes:
    """A table's two search indexes and how each ranks (bm25 with column weights)."""

    words: str
    words_rank: str
    infix: str
    infix_rank: str


def match_expression(text: str) -> str | None:
    """FTS5 query for what a seller typed: every word must match as a prefix, in any column.

    Each word becomes a quoted phrase with a prefix star, so punctuation inside a word
    (codes like "C-0001", "B-12.345") is tokenized like the indexed text and FTS5
    operators typed by accident (AND, NEAR, "-", "*") lose their meaning.
    """
    return " ".join(f"{_phrase(word)}*" for word in _words(text)) or None


def search_terms(text: str) -> SearchTerms | None:
    """The queries for `text`; None when it holds no word (empty, symbols only)."""
    words = match_expression(text)
    if words is None:
        return None
    folded = [fold_accents(word) or "" for word in _words(text)]
    infix = [_phrase(word) for word in folded if len(word) >= TRIGRAM]
    short = [f"{_phrase(word)}*" for word in folded if len(word) < TRIGRAM]
    return SearchTerms(
        words=words,
        infix=" ".join(infix) if infix else None,
        short=" ".join(short) if infix and short else None,
    )


def hits_sql(
    indexes: SearchIndexes,
    terms: SearchTerms,
    *,
    per_tier: int | None = None,
    exact: tuple[str, Sequence[Any]] | None = None,
) -> tuple[str, list[Any]]:
    """A SELECT of (rowid, tier, score) per row `terms` find, with its parameters.

    `tier` is 0 for word hits, 1 for infix-only ones; `score` is bm25 within the tier
    (lower is better). `per_tier` keeps each index's best hits only (a list of the first
    few); `exact` is a SELECT of rowids and its parameters, rows to add in tier 0 (the
    row of an exact code, which a long list of word hits might otherwise leave out).
    """
    limit = " ORDER BY score LIMIT ?" if per_tier is not None else ""
    limits: Sequence[int] = [per_tier] if per_tier is not None else []
    words, infix = indexes.words, indexes.infix
    members = [
        f"SELECT * FROM (SELECT rowid, 0 AS tier, {indexes.words_rank} AS score FROM {words} "
        f"WHERE {words} MATCH ?{limit})"
    ]
    params: list[Any] = [terms.words, *limits]
    if terms.infix is not None:
        narrowed = ""
        if terms.short is not None:
            # `+rowid`: offered the rowids one by one, FTS5 would run the trigram query once
            # for each word hit ("ø" has thousands: 0.5 s); checked against the list, once.
            narrowed = f" AND +rowid IN (SELECT rowid FROM {words} WHERE {words} MATCH ?)"
        members.append(
            f"SELECT * FROM (SELECT rowid, 1 AS tier, {indexes.infix_rank} AS score FROM {infix} "
            f"WHERE {infix} MATCH ?{narrowed}{limit})"
        )
        params += [terms.infix, *([terms.short] if terms.short is not None else []), *limits]
    if exact is not None:
        members.append(f"SELECT rowid, 0 AS tier, NULL AS score FROM ({exact[0]})")
        params += exact[1]
    # MATERIALIZED: bm25() only works while FTS5 is on the row; flattened into the GROUP
    # BY below, SQLite would call it after. A row several members find keeps its best tier,
    # with that tier's score (SQLite takes the bare column from the row min() picked).
    sql = (
        f"WITH found (content_rowid, tier, score) AS MATERIALIZED ({' UNION ALL '.join(members)}) "
        "SELECT content_rowid AS rowid, min(tier) AS tier, score FROM found GROUP BY content_rowid"
    )
    return sql, params


def _words(text: str) -> list[str]:
    return [word for word in text.split() if any(c.isalnum() for c in word)]


def _phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


__all__ = ["TRIGRAM", "SearchIndexes", "SearchTerms", "hits_sql", "match_expression", "search_terms"]
