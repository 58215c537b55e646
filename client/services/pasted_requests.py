"""Quoting from a pasted request: the customer's WhatsApp message or e-mail, matched line by
line to products on the device, offline; the seller confirms or fixes each before it goes
into the draft.

Scoring every one of 80,000 products against every line would take seconds; the rule
(`shared.rules.request_matching`) only scores a few dozen candidates per line, found here:
- by code: the line's references as SKUs (the index on products.sku), a number as the end
  of a SKU (one pass over the catalogue for the whole request, only when a number was not
  a SKU as written), and as phrases in the search index (a SKU's start, a maker's
  reference in a description);
- by words: the search index (products_fts) with every word of the line as a prefix, best
  ranked first, and when that finds few, with the words shortened or one left out (see
  `_word_queries`);
- by history: the active products the customer has bought (her invoice lines) that share a
  word, or a word's first three letters, with the line, so her usual product is offered
  even when it is written differently, with the "bought before" boost. (One that shares
  none could only match through a typo in the first three letters, which the search index
  misses in the catalogue too.)
"""

import re
from collections import defaultdict
from collections.abc import Sequence

from sqlite_utils import Database

from client.services.quote_pricing import DraftLine, PricedQuote
from client.services.quoting import add_line
from client.services.session import Session
from shared.rules.request_matching import Candidate, LineMatch, match_line, search_words
from shared.rules.request_reading import RequestLine, read_request
from shared.rules.request_words import compact_code, fold, key_words

HITS_PER_QUERY = 40
"""Products the search index gives per line and query, best ranked first."""
FEW_HITS = 10
"""Under this many products found, a line's words are searched again, less strictly."""
HISTORY_LIMIT = 500
"""The customer's most bought products considered (for a line, those sharing a word with it)."""
MAX_LINES = 200
"""A pasted text longer than this many lines is matched in its first lines only."""
_RANK = "bm25(products_fts, 10.0, 4.0, 1.0)"  # as client/services/products.py: a code hit is the product meant
_PRODUCT = "p.sku, p.name, p.description"
_TOKEN = re.compile(r"[^\W_]+")
"""A token as the search index splits text (unicode61: letters and digits)."""


def match_pasted_request(session: Session, customer_code: str, text: str) -> tuple[LineMatch, ...]:
    """Each line of `text` with the products it may mean for this customer, best first."""
    lines = read_request(text)[:MAX_LINES]
    if not lines:
        return ()
    with session.store.read() as db:
        bought = _History(_bought(db, customer_code))
        by_code = _by_code(db, [ref for line in lines for ref in line.references])
        return tuple(
            match_line(line, [*_by_words(db, line), *_coded(line, by_code), *bought.like(line)]) for line in lines
        )


def add_matched_lines(session: Session, priced: PricedQuote, lines: Sequence[DraftLine]) -> PricedQuote:
    """The quote with the confirmed lines (product and quantity; a DraftLine refuses a quantity
    that is not positive before anything is added) added in order, as `add_line` does."""
    for line in lines:
        priced = add_line(session, priced, line.sku, line.quantity)
    return priced


def _candidate(row: tuple, bought: bool = False) -> Candidate:
    return Candidate(sku=row[0], name=row[1] or "", description=row[2] or "", bought_before=bought)


def _keys(text: str) -> set[str]:
    """A text's words and their first three letters: a product of her history is scored for a
    line only when they share one (a typo after the third letter still shares it)."""
    words = key_words(text)
    return {*words, *(word[:3] for word in words if len(word) > 3)}


class _History:
    """The products she has bought, found by the words they share with a line."""

    def __init__(self, candidates: list[Candidate]) -> None:
        self.by_key: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in candidates:
            for key in _keys(candidate.name):
                self.by_key[key].append(candidate)

    def like(self, line: RequestLine) -> list[Candidate]:
        """Her products sharing a word, or a word's first three letters, with the line."""
        return [candidate for key in _keys(line.words) for candidate in self.by_key.get(key, ())]


def _bought(db: Database, customer_code: str) -> list[Candidate]:
    rows = db.execute(
        f"SELECT {_PRODUCT} FROM (SELECT l.sku, count(*) AS times FROM invoices i "
        "JOIN invoice_lines l ON l.invoice_number = i.number WHERE i.customer_code = ? "
        "GROUP BY l.sku ORDER BY times DESC, l.sku LIMIT ?) AS b "
        "JOIN products p ON p.sku = b.sku WHERE p.active = 1",
        [customer_code, HISTORY_LIMIT],
    ).fetchall()
    return [_candidate(row, bought=True) for row in rows]


def _by_code(db: Database, references: list[str]) -> dict[str, list[Candidate]]:
    """Products per compacted reference: the SKU as written, else (for a number of four
    digits or more) the SKUs ending with it."""
    wanted = {compact_code(ref): ref for ref in references if compact_code(ref)}
    if not wanted:
        return {}
    found: dict[str, list[Candidate]] = {code: [] for code in wanted}
    written = sorted({ref.upper() for ref in wanted.values()} | set(wanted))
    marks = ", ".join("?" for _ in written)
    for row in db.execute(f"SELECT {_PRODUCT} FROM products p WHERE p.active = 1 AND p.sku IN ({marks})", written):
        found.setdefault(compact_code(row[0]), []).append(_candidate(row))
    # "ref 4471" for TOR-004471: the last digits of a SKU, which no index holds (the search
    # index has the token "004471"), so one pass over the catalogue for all of the request's
    # numbers (about 25 ms on 80,000 products), and none when every one was a SKU. A SKU's
    # start ("GUA-NIT") the search index finds as a phrase (`_by_words`).
    numbers = [code for code in wanted if code.isdigit() and len(code) >= 4 and not found.get(code)]
    if numbers:
        likes = " OR ".join("p.sku LIKE ?" for _ in numbers)
        for row in db.execute(
            f"SELECT {_PRODUCT} FROM products p WHERE p.active = 1 AND ({likes}) LIMIT ?",
            [*(f"%{number}" for number in numbers), HITS_PER_QUERY * len(numbers)],
        ):
            for number in numbers:
                if row[0].endswith(number):
                    found[number].append(_candidate(row))
    return found


def _coded(line: RequestLine, by_code: dict[str, list[Candidate]]) -> list[Candidate]:
    return [candidate for ref in line.references for candidate in by_code.get(compact_code(ref), [])]


def _quoted(words: Sequence[str]) -> str:
    """One FTS5 phrase of the words, its last one a prefix (words are letters and digits only)."""
    return '"' + " ".join(words) + '"*'


def _word_queries(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The searches for a line's words, each with every word as a prefix, tried in turn until
    one finds enough: all the words; each word cut to its first three letters (a typo after
    them: "pinttura"); all but one word, each in turn (a word the name does not have:
    "guantes nitrilo desechables"). An "any of the words" search would rank half the
    catalogue for a common word and costs ten times as much."""
    if not words:
        return []
    queries = [words]
    cut = tuple(dict.fromkeys(word[:3] if len(word) > 3 and not word.isdigit() else word for word in words))
    if cut != words:
        queries.append(cut)
    if len(words) > 1:
        queries += [words[:n] + words[n + 1 :] for n in range(len(words))]
    return queries


def _by_words(db: Database, line: RequestLine) -> list[Candidate]:
    """Active products the search index finds for the line's words, and for its references
    as phrases (the index holds the SKU and a maker's reference in the description)."""
    sql = (
        f"SELECT {_PRODUCT} FROM (SELECT rowid, {_RANK} AS rank FROM products_fts WHERE products_fts MATCH ? "
        "ORDER BY rank LIMIT ?) AS hit JOIN products p ON p.rowid = hit.rowid WHERE p.active = 1 ORDER BY hit.rank"
    )
    rows: list[tuple] = []
    words = search_words(line)
    for query in _word_queries(words):
        rows += db.execute(sql, [" ".join(_quoted([w]) for w in query), HITS_PER_QUERY]).fetchall()
        if len({row[0] for row in rows}) >= FEW_HITS:
            break
    phrases = [_quoted(tokens) for tokens in (_TOKEN.findall(fold(ref)) for ref in line.references) if tokens]
    if phrases:
        rows += db.execute(sql, [" OR ".join(phrases), HITS_PER_QUERY]).fetchall()
    return [_candidate(row) for row in rows]


__all__ = ["add_matched_lines", "match_pasted_request"]
