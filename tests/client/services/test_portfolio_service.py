"""Portfolio search over the local store: accents, prefixes, identifiers, filters, paging."""

from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from client.services.credit_chip import CreditChip
from client.services.portfolio import (
    CustomerFilters,
    count_customers,
    get_customer,
    list_filter_options,
    search_customers,
)
from client.services.search_terms import match_expression
from client.store import apply_pull_page
from shared.errors import NotFound
from shared.models import Payment
from shared.models.field import Quote
from tests.client.factories import (
    delete,
    make_contact,
    make_credit,
    make_customer,
    make_invoice,
    page,
    put,
)

AS_OF = date(2026, 6, 30)


class Feed:
    """Applies records to the store as consecutive pull pages."""

    def __init__(self, store):
        self.store, self.seq = store, 0

    def put(self, *records, version=1):
        changes = []
        for r in records:
            self.seq += 1
            changes.append(put(r, self.seq, version=version))
        apply_pull_page(self.store, page(changes))

    def delete(self, *records):
        changes = []
        for r in records:
            self.seq += 1
            changes.append(delete(r, self.seq))
        apply_pull_page(self.store, page(changes))


@pytest.fixture
def feed(store):
    f = Feed(store)
    f.put(
        make_customer("C-0001", legal_name="Suministros Peñalara S.L.", tax_id="B12345678", city="Segovia"),
        make_customer(
            "C-0002",
            legal_name="Álvarez Ferretería",
            trade_name="Ferrealva",
            tax_id="B87654321",
            city="Alcalá de Henares",
            segment="retail",
        ),
        make_customer("C-0003", legal_name="Zapatos Madrid S.A.", tax_id="A11111111", city="Toledo"),
        make_customer(
            "C-0004", legal_name="Bombas Norte", tax_id="B22222222", city="Madrid", seller_login="bruno.diaz"
        ),
    )
    return f


def codes(rows):
    return [r.code for r in rows]


def search(store, text="", **filters):
    return codes(search_customers(store, text, CustomerFilters(**filters), as_of=AS_OF))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("penalara", ["C-0001"]),  # ñ typed as n
        ("PEÑALARA", ["C-0001"]),
        ("peñ", ["C-0001"]),  # prefix
        ("ferreteria alv", ["C-0002"]),  # every word, each a prefix
        ("ferrealva", ["C-0002"]),  # trade name
        ("C-0003", ["C-0003"]),  # code with punctuation
        ("c-000", ["C-0001", "C-0002", "C-0003", "C-0004"]),
        ("B87654321", ["C-0002"]),  # tax id
        ("b876", ["C-0002"]),
        ("alcala", ["C-0002"]),  # city, accent-insensitive
        ("segovia suministros", ["C-0001"]),  # words in different columns
        ("penalara toledo", []),
        ("nothing-like-this", []),
    ],
)
def test_search_matches(store, feed, text, expected):
    assert sorted(search(store, text)) == sorted(expected)


@pytest.fixture
def more(feed):
    """Customers whose codes and names hold one another's pieces."""
    feed.put(
        make_customer("P-00487", legal_name="Hermanos Calara S.C.", trade_name="Calara", tax_id="B45004871"),
        make_customer("P-04870", legal_name="Penalara Riegos", tax_id="B99999999", city="Cuenca"),
        # A long name: by bm25 alone, P-04870 would rank above it for "P-0487".
        make_customer(
            "P-0487",
            legal_name="Distribuciones y Suministros Industriales del Tajo Oriental S.A.",
            trade_name="Tecalsa",
            tax_id="B33333333",
        ),
        make_customer("Q-0001", legal_name="Bombas y Riegos del Ebro", tax_id="B44444444", city="Calatayud"),
    )
    return feed


@pytest.mark.parametrize(
    ("text", "expected", "before"),
    [
        ("alara", {"P-00487", "P-04870", "C-0001"}, None),  # inside a word of a name, "Peñalara" too
        ("487", {"P-00487", "P-04870", "P-0487"}, None),  # the tail of a code
        ("5004", {"P-00487"}, None),  # inside a tax id
        ("eñalar", {"P-04870", "C-0001"}, None),  # accents ignored both ways, inside a word too
        ("ENALAR", {"P-04870", "C-0001"}, None),
        ("lvare", {"C-0002"}, None),  # "Álvarez"
        # Words that start so (even a city's) before a word inside ("Tecalsa").
        ("cal", {"P-00487", "Q-0001", "P-0487"}, ("Q-0001", "P-0487")),
        ("ca", {"P-00487", "Q-0001"}, None),  # two letters: word starts only (not "Alcalá", "Tecalsa")
        ("he alara", {"P-00487"}, None),  # a short word narrows an infix one
        ("ri alara", {"P-04870"}, None),
        ("alarx", set(), None),
        ("P-0487", {"P-0487", "P-04870"}, ("P-0487", "P-04870")),  # the exact code first
        ("p-0487", {"P-0487", "P-04870"}, ("P-0487", "P-04870")),
    ],
)
def test_search_inside_names_and_codes(store, more, text, expected, before):
    found = search(store, text)
    assert set(found) == expected and len(found) == len(expected)
    assert before is None or found.index(before[0]) < found.index(before[1])
    assert count_customers(store, text, as_of=AS_OF) == len(expected)


def test_a_name_hit_ranks_above_a_city_hit(store, feed):
    assert search(store, "madrid") == ["C-0003", "C-0004"]


def test_without_text_customers_sort_by_name_with_accents_in_place(store, feed):
    # Álvarez sorts with the A's, not after Z as a byte order would put it.
    assert search(store) == ["C-0002", "C-0004", "C-0001", "C-0003"]


@pytest.mark.parametrize("text", ['"', "-", "*", "AND", "NEAR(", "a OR b", "'; DROP TABLE customers; --", "  "])
def test_odd_input_never_breaks_the_query(store, feed, text):
    search_customers(store, text, as_of=AS_OF)
    assert match_expression("AND") == '"AND"*'


def test_updated_names_are_found_by_the_new_name_only(store, feed):
    feed.put(make_customer("C-0001", legal_name="Hidráulica Guadarrama", tax_id="B12345678", city="Segovia"), version=2)
    assert search(store, "penalara") == []
    assert search(store, "guadarrama") == ["C-0001"]
    assert search(store, "segovia") == ["C-0001"]


def test_an_update_of_unindexed_columns_keeps_the_row_findable(store, feed):
    feed.put(
        make_customer(
            "C-0001",
            legal_name="Suministros Peñalara S.L.",
            tax_id="B12345678",
            city="Segovia",
            phone="+34 600 000 000",
        ),
        version=2,
    )
    assert search(store, "penalara") == ["C-0001"]


def test_deleted_customers_vanish_from_search_and_count(store, feed):
    feed.delete(make_customer("C-0001"))
    assert search(store, "penalara") == []
    assert count_customers(store, "suministros") == 0
    assert count_customers(store) == 3


def test_search_stays_right_after_vacuum(store, feed):
    feed.delete(make_customer("C-0002"))
    store.vacuum()
    feed.put(make_customer("C-0005", legal_name="Peñalara Bis"))
    assert sorted(search(store, "penalara")) == ["C-0001", "C-0005"]
    assert search(store, "alvarez") == []


def test_filters_and_count_agree(store, feed):
    feed.put(
        make_credit("C-0001", blocked=True, block_reason="impago"),
        make_credit("C-0003"),
        make_invoice("F1", "C-0003", issued=AS_OF - timedelta(days=181)),
        _paid("F1", "C-0003", "121.00"),  # unpaid and past due it would make C-0003 overdue
        make_invoice("F2", "C-0004", issued=AS_OF - timedelta(days=180)),
    )
    cases = [
        (dict(segment="retail"), ["C-0002"]),
        (dict(city="Madrid"), ["C-0004"]),
        (dict(seller_login="bruno.diaz"), ["C-0004"]),
        (dict(credit_chip=CreditChip.BLOCKED), ["C-0001"]),
        (dict(credit_chip=CreditChip.OK), ["C-0003"]),
        (dict(dormant_only=True), ["C-0003"]),
        (dict(dormant_only=True, city="Toledo"), ["C-0003"]),
        (dict(dormant_only=True, city="Madrid"), []),
    ]
    for filters, expected in cases:
        assert search(store, **filters) == expected, filters
        assert count_customers(store, filters=CustomerFilters(**filters), as_of=AS_OF) == len(expected)
    assert search(store, "s", segment="oem") == ["C-0001", "C-0003"]


def _paid(invoice: str, customer: str, amount: str) -> Payment:
    return Payment(
        id=f"P-{invoice}-{amount}",
        customer_code=customer,
        invoice_number=invoice,
        payment_date=AS_OF - timedelta(days=100),
        currency="EUR",
        amount=Decimal(amount),
    )


@pytest.mark.parametrize(
    ("credit", "documents", "chips"),
    [
        ({}, [], (CreditChip.OK,)),
        ({}, [make_invoice("F1", "C-0003", issued=AS_OF - timedelta(days=1))], (CreditChip.OVERDUE,)),  # fell due
        ({}, [make_invoice("F1", "C-0003", issued=AS_OF)], (CreditChip.OK,)),  # due today: not yet late
        (
            {},
            [make_invoice("F1", "C-0003", issued=AS_OF - timedelta(days=40)), _paid("F1", "C-0003", "121.00")],
            (CreditChip.OK,),
        ),
        (  # paid in two parts that add up exactly (0.1 + 0.2 is not 0.3 in binary floats)
            {},
            [
                make_invoice("F1", "C-0003", issued=AS_OF - timedelta(days=40), net_amount="0.30", tax_amount="0", gross_amount="0.30"),
                _paid("F1", "C-0003", "0.10"),
                _paid("F1", "C-0003", "0.20"),
            ],
            (CreditChip.OK,),
        ),
        (
            {},
            [make_invoice("F1", "C-0003", issued=AS_OF - timedelta(days=40)), _paid("F1", "C-0003", "120.99")],
            (CreditChip.OVERDUE,),  # a cent still owed
        ),
        ({"overdue_amount": "50.00", "overdue_invoices": 1}, [], (CreditChip.OVERDUE,)),  # the ERP's row says so
        ({"prepayment_required": True}, [make_invoice("F1", "C-0003", issued=AS_OF - timedelta(days=3))],
         (CreditChip.OVERDUE, CreditChip.PREPAYMENT)),
    ],
)  # fmt: skip
def test_the_list_chip_is_the_credit_panels_as_of_the_day(store, feed, credit, documents, chips):
    feed.put(make_credit("C-0003", **credit), *documents)
    [row] = [r for r in search_customers(store, as_of=AS_OF) if r.code == "C-0003"]
    assert row.credit_chips == chips == get_customer(store, "C-0003", as_of=AS_OF).credit_chips
    assert search(store, credit_chip=chips[0]) == ["C-0003"]


def test_rows_carry_chips_and_dormancy(store, feed):
    feed.put(
        make_credit("C-0001", overdue_amount="10.00", open_balance="9500.00"),
        make_invoice("F1", "C-0001", issued=AS_OF - timedelta(days=181)),
        make_invoice("F2", "C-0002", issued=AS_OF - timedelta(days=10)),
    )
    rows = {r.code: r for r in search_customers(store, as_of=AS_OF)}
    assert rows["C-0001"].credit_chips == (CreditChip.OVERDUE, CreditChip.NEAR_LIMIT)
    assert rows["C-0001"].credit_chip == CreditChip.OVERDUE
    assert (rows["C-0001"].is_dormant, rows["C-0001"].last_invoice_date) == (True, AS_OF - timedelta(days=181))
    assert (rows["C-0002"].is_dormant, rows["C-0002"].credit_chips, rows["C-0002"].credit_chip) == (False, (), None)
    assert (rows["C-0003"].is_dormant, rows["C-0003"].last_invoice_date) == (False, None)  # never invoiced


def test_paging_walks_every_row_once(store, feed):
    feed.put(*[make_customer(f"P-{i:03d}", legal_name=f"Cliente {i:03d}") for i in range(23)])
    total = count_customers(store, "cliente")
    seen = []
    for offset in range(0, total, 10):
        seen += codes(search_customers(store, "cliente", limit=10, offset=offset, as_of=AS_OF))
    assert total == 23 and len(seen) == len(set(seen)) == 23


def test_get_customer_with_contacts_and_credit(store, feed):
    feed.put(
        make_contact("K2", "C-0001", name="Zoe"),
        make_contact("K1", "C-0001", name="Ana"),
        make_contact("K3", "C-0002"),
        make_credit("C-0001", prepayment_required=True),
        make_invoice("F1", "C-0001", issued=date(2026, 5, 1)),
    )
    detail = get_customer(store, "C-0001", as_of=AS_OF)
    assert detail.customer == make_customer(
        "C-0001", legal_name="Suministros Peñalara S.L.", tax_id="B12345678", city="Segovia"
    )
    assert [c.name for c in detail.contacts] == ["Ana", "Zoe"]
    # The ERP's row says nothing is overdue; invoice F1 (121.00, due 1 May) is 60 days late
    # on 30 June: the row is read as of that day (shared.rules.credit_ageing).
    assert detail.credit == make_credit(
        "C-0001",
        prepayment_required=True,
        overdue_amount=Decimal("121.00"),
        overdue_invoices=1,
        oldest_overdue_days=60,
    )
    assert [b.amount for b in detail.overdue.buckets] == [0, Decimal("121.00"), 0, 0]
    assert detail.credit_chips == (CreditChip.OVERDUE, CreditChip.PREPAYMENT)
    assert (detail.last_invoice_date, detail.is_dormant) == (date(2026, 5, 1), False)


def test_get_customer_without_credit_and_unknown_customer(store, feed):
    detail = get_customer(store, "C-0004", as_of=AS_OF)
    assert (detail.credit, detail.credit_chips, detail.contacts) == (None, (), ())
    with pytest.raises(NotFound):
        get_customer(store, "C-9999")


def test_filter_options_list_what_is_on_the_device(store, feed):
    options = list_filter_options(store)
    assert options.segments == ("oem", "retail")
    assert options.cities == ("Alcalá de Henares", "Madrid", "Segovia", "Toledo")
    assert options.seller_logins == ("ana.garcia", "bruno.diaz")


def _quote(number: str, customer: str, status: str) -> Quote:
    return Quote(
        id=uuid4(),
        number=number,
        version=1,
        customer_code=customer,
        seller_login="ana.garcia",
        status=status,
        currency="EUR",
        issue_date=AS_OF,
        valid_until=AS_OF + timedelta(days=30),
        payment_terms="NET30",
    )


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ({"C-0001": "sent"}, ["C-0001"]),
        ({"C-0001": "pending_approval", "C-0003": "approved"}, ["C-0001", "C-0003"]),
        ({"C-0001": "draft", "C-0003": "lost"}, []),  # a draft is not before the customer; lost is over
        ({"C-0004": "accepted"}, []),  # an order now
    ],
)
def test_customers_with_an_open_quote(store, feed, statuses, expected):
    feed.put(*(_quote(f"AG1-2026-{n:04d}", code, status) for n, (code, status) in enumerate(statuses.items(), 1)))
    assert search(store, with_open_quote=True) == expected
    assert count_customers(store, filters=CustomerFilters(with_open_quote=True), as_of=AS_OF) == len(expected)
