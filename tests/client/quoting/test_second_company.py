"""A second company, built by hand (tests/datasets/wisla): a Polish wholesaler in PLN.

Imported on SQLite and PostgreSQL like any ERP export; a copy with a customer whose country
is written `UK` is refused with the code meant. Its seller's quotes to customers at home, in
the EU, in the Canary Islands and outside the EU carry its identity, logo, bank, terms and
the tax each customer's regime asks for, worded in the customer's language.
"""

import csv
import io
import shutil
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from client.services.company import company_of
from client.services.quote_document import render_quote
from client.services.quote_sending import _subject
from client.services.quoting import add_line, save_quote, start_quote
from client.services.session import sign_in
from client.services.synchronization import sync_now
from client.settings import ClientSettings
from client.sync.http import SyncApi
from shared.errors import ImportFailed
from sync_server.importer.run import import_export
from sync_server.repository.database import write_transaction
from sync_server.services.accounts import reset_password
from sync_server.services.company import company_as_json
from tests.client.servers import serve_in_process

DATASET = Path(__file__).resolve().parents[2] / "datasets" / "wisla"
PASSWORD = "wisla-pass-2026"
IDENTITY = ("Wisła Narzędzia", "Hurtownia Wisła Sp. z o.o.", "PL5261040828", "ul. Przemysłowa 12", "PL61 1090 1014")
TERMS = {"en": "Goods are shipped from Warsaw within 3 working days", "es": "La mercancía sale de Varsovia"}
NOTES = {
    "intra_eu_en": "reverse charge, the customer accounts for the VAT",
    "intra_eu_es": "inversión del sujeto pasivo",
    "exempt_territory_es": "excluido del ámbito del IVA de la UE",
    "export_en": "Export of goods outside the VAT area",
}
CASES = [
    # customer, its currency, language, the legal note (None: domestic, VAT charged)
    ("PL-001", "PLN", "en", None),
    ("DE-001", "EUR", "en", "intra_eu_en"),
    ("ES-001", "EUR", "es", "intra_eu_es"),
    ("ES-002", "EUR", "es", "exempt_territory_es"),
    ("GB-001", "GBP", "en", "export_en"),
    ("US-001", "USD", "en", "export_en"),
]


@pytest.fixture
def export(tmp_path) -> Path:
    """The dataset, with its FX rates moved to today (a quote wants a rate at most a week old)."""
    folder = shutil.copytree(DATASET, tmp_path / "wisla")
    rates = list(csv.DictReader((folder / "fx_rates.csv").open(encoding="utf-8")))
    with (folder / "fx_rates.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rates[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({**row, "rate_date": datetime.now(UTC).date().isoformat()} for row in rates)
    return folder


def _words(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_customer_written_uk_is_refused_with_the_code_meant(database_url, tmp_path, export):
    with (export / "customers.csv").open("a", encoding="utf-8") as handle:
        handle.write("IE-001,Dublin Hardware Ltd,,IE6388047V,retail,,Dublin,,UK,,,NET30,EUR,\n")
    with serve_in_process(database_url, tmp_path, lambda conn: None) as server:
        engine = server.app.state.engine
        with pytest.raises(ImportFailed) as refused:
            import_export(engine, export)
        with engine.connect() as conn:
            assert company_as_json(conn)["profile"] is None  # nothing written, not even the company
    assert refused.value.errors == [
        "customers.csv:8: country: must be an ISO 3166-1 alpha-2 country code such as ES; did you mean 'GB'? (got 'UK')"
    ]


def test_its_quotes_carry_its_identity_logo_terms_and_each_customers_taxes(database_url, tmp_path, export):
    with serve_in_process(database_url, tmp_path, lambda conn: None) as server:
        engine = server.app.state.engine
        report = import_export(engine, export)
        assert report.entities["customer"].inserted == 6
        with write_transaction(engine) as conn:
            reset_password(conn, "kasia.nowak", PASSWORD)
        http = httpx.Client(base_url="http://testserver", transport=server._transport)
        settings = ClientSettings(data_dir=tmp_path / "kasia")
        kasia = sign_in(settings, "kasia.nowak", PASSWORD, api=SyncApi("", http_client=http))
        sync_now(kasia)
        company = company_of(kasia)
        assert company is not None and company.currency == "PLN" and company.delivery_days == 3
        assert company.logo == (DATASET / "wisla-logo.png").read_bytes()
        pdfs: dict[str, bytes] = {}
        for code, currency, language, note in CASES:
            priced = start_quote(kasia, code)
            for sku, quantity in (("WIE-18V", 2), ("REK-ROB", 10), ("KSI-BHP", 1)):
                priced = add_line(kasia, priced, sku, Decimal(quantity))
            quote = save_quote(kasia, priced)
            assert quote.currency == currency
            assert (Decimal(quote.tax_total) > 0) is (note is None), code
            pdf = render_quote(kasia, quote)
            text = _words(pdf)
            for words in (*IDENTITY, TERMS[language]):
                assert words in text, (code, words)
            assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1, code  # the logo
            for name, wording in NOTES.items():
                assert (wording in text) is (name == note), (code, name)
            assert _subject(kasia, quote, language).endswith("· Wisła Narzędzia")
            pdfs[code] = pdf
        domestic = _words(pdfs["PL-001"])
        for rate in ("23", "8", "5"):
            assert f"{rate} %" in domestic or f"{rate}%" in domestic, rate
        if (out := _pages_folder()) is not None:
            for code, pdf in pdfs.items():
                (out / f"wisla-quote-{code}.pdf").write_bytes(pdf)


def _pages_folder() -> Path | None:
    """Where to keep the PDFs for page images (TERRENO_KEEP_PDFS), when asked."""
    import os

    folder = os.environ.get("TERRENO_KEEP_PDFS")
    if not folder:
        return None
    Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(folder)
