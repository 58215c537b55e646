"""A quote line priced by hand (not at its list price) is noted in the audit log when saved."""

from decimal import Decimal
from typing import Any

from shared.rules import compute_totals
from sync_server.services.audit import AuditKind, list_events
from sync_server.services.transactions import read_transaction
from tests.sync_server.quotes.helpers import SELLER, _line_input, make_quote


def _priced(quote: dict[str, Any], prices: dict[int, str]) -> dict[str, Any]:
    """`quote` with some lines at a hand-set unit price, its totals recomputed as a device would."""
    lines = [{**line, "unit_price": prices.get(line["line_no"], line["unit_price"])} for line in quote["lines"]]
    totals = compute_totals([_line_input(line) for line in lines], "EUR", Decimal(quote["header_discount_percent"]))
    return {
        **quote,
        "lines": lines,
        "net_total": str(totals.net),
        "tax_total": str(totals.tax),
        "gross_total": str(totals.gross),
    }


def _overrides(app) -> list:
    with read_transaction(app.state.engine) as conn:
        return list_events(conn, kinds=[AuditKind.PRICE_OVERRIDE])


def test_a_line_below_list_price_is_audited_with_who_which_line_and_both_prices(app, device):
    ana = device(SELLER)
    quote = _priced(make_quote(lines=[("GUA-NIT-09", "100", "0"), ("TAL-18V-BL", "2", "0")]), {2: "150.0000"})
    result = ana.push("save_quote", quote=quote)
    assert result["status"] == "applied", result
    [event] = _overrides(app)
    assert event.login == SELLER and event.client_id == ana.session["client_id"]
    assert event.subject == f"{quote['number']} v1"
    assert event.detail == "line 2 TAL-18V-BL: list 189.0000 → 150.0000 EUR (below list)"


def test_list_prices_leave_no_trace_and_an_edit_notes_only_a_new_price(app, device):
    ana = device(SELLER)
    quote = make_quote(lines=[("GUA-NIT-09", "100", "0"), ("TAL-18V-BL", "2", "0")])
    assert ana.push("save_quote", quote=quote)["status"] == "applied"
    assert _overrides(app) == []
    edited = _priced(quote, {1: "2.5000"})
    assert ana.push("save_quote", quote=edited)["status"] == "applied"
    again = _priced(quote, {1: "2.5000", 2: "180.0000"})
    assert ana.push("save_quote", quote=again)["status"] == "applied"
    assert [e.detail for e in _overrides(app)] == [
        "line 1 GUA-NIT-09: list 2.3750 → 2.5000 EUR (above list)",
        "line 2 TAL-18V-BL: list 189.0000 → 180.0000 EUR (below list)",
    ]


def test_a_refused_save_leaves_no_audit_entry(app, device):
    ana = device(SELLER)
    quote = _priced(make_quote(), {1: "1.0000"})
    quote["net_total"] = "1.00"  # totals that do not match the lines: refused, nothing kept
    assert ana.push("save_quote", quote=quote)["status"] == "rejected"
    assert _overrides(app) == []
