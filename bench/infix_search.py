"""The infix-search case of `bench/quote_bench.py`: pieces from inside product names
("ornil") and the last 3-5 digits of SKUs, searched on the device; baseline in the same run:
the words search with the word index only (the search as it was before the infix index).
Also the size of both product indexes, and what m0013 costs a device that already holds the
catalogue (rebuilding the infix index)."""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from bench.report import summary, timed_ms
from client.services import products as product_search
from client.services.products import search_products
from client.services.search_terms import SearchTerms, search_terms
from client.services.session import Session
from client.store import Store


@contextmanager
def _word_index_only() -> Iterator[None]:
    """`search_products` as it was before the infix index: its terms without the infix part."""

    def words_only(text: str) -> SearchTerms | None:
        terms = search_terms(text)
        return replace(terms, infix=None, short=None) if terms else None

    product_search.search_terms = words_only
    try:
        yield
    finally:
        product_search.search_terms = search_terms


def _index_mib(db, index: str) -> float:
    return round(db.execute(f"SELECT sum(length(block)) FROM {index}_data").fetchone()[0] / 2**20, 1)


def run_case(
    session: Session, store: Store, words: list[str], pieces: list[str], products: int, rng: random.Random
) -> dict:
    """p95 of infix searches and of the words-only baseline; index sizes; the rebuild's cost."""
    infixes = [
        rng.choice(pieces)[: rng.randint(3, 5)] if n % 2 else f"{rng.randrange(products):06d}"[-rng.randint(3, 5) :]
        for n in range(200)
    ]
    inside = summary(timed_ms(lambda it=iter(infixes): search_products(session, next(it)), 200))
    found = sum(1 for text in infixes[:20] if search_products(session, text))
    with _word_index_only():
        word_index_only = summary(timed_ms(lambda it=iter(words): search_products(session, next(it)), 200))
        assert not search_products(session, "ornil")  # the baseline really is without the infix index
    assert search_products(session, "ornil") and found == 20
    with store.read() as db:
        sizes = {index: _index_mib(db, index) for index in ("products_fts", "products_infix")}
    with store.write() as db:
        rebuild = summary(
            timed_ms(lambda: db.execute("INSERT INTO products_infix (products_infix) VALUES ('rebuild')"))
        )
    return {"inside": inside, "word_index_only": word_index_only, "sizes": sizes, "rebuild": rebuild}


__all__ = ["run_case"]
