"""Country and currency codes in the export checked against ISO 3166-1 and ISO 4217, the usual
mistakes answered with the code meant; a customer's tax regime set in customers.csv."""

import pytest

from shared.errors import ImportFailed
from shared.models import TaxRegime
from sync_server.importer.company import COMPANY_FILE, COMPANY_SPEC
from sync_server.importer.demo.company import DEMO_COMPANY
from sync_server.importer.run import import_export
from sync_server.repository.records import stored_records
from tests.importer.conftest import make_rows, write_csv, write_export


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"country": "UK"},
            "customers.csv:3: country: must be an ISO 3166-1 alpha-2 country code such as ES; did you mean 'GB'? (got 'UK')",
        ),
        (
            {"country": "SP"},
            "customers.csv:3: country: must be an ISO 3166-1 alpha-2 country code such as ES; did you mean 'ES'? (got 'SP')",
        ),
        (
            {"country": "Portugal"},
            "customers.csv:3: country: must be an ISO 3166-1 alpha-2 country code such as ES; did you mean 'PT'? (got 'Portugal')",
        ),
        (
            {"country": "XX"},
            "customers.csv:3: country: must be an ISO 3166-1 alpha-2 country code such as ES (got 'XX')",
        ),
        (
            {"currency": "€"},
            "customers.csv:3: currency: must be an ISO 4217 currency code such as EUR; did you mean 'EUR'? (got '€')",
        ),
        (
            {"tax_regime": "reverse"},
            "customers.csv:3: tax_regime: must be one of 'domestic', 'intra_eu', 'export' or 'exempt_territory' (got 'reverse')",
        ),
    ],
    ids=["UK", "SP", "name", "unknown", "currency-symbol", "regime"],
)
def test_a_wrong_code_is_refused_with_the_code_meant(engine, export_dir, cells, expected):
    rows = make_rows()
    rows["customers.csv"][1].update(cells)
    write_export(export_dir, rows)
    with pytest.raises(ImportFailed) as refused:
        import_export(engine, export_dir)
    assert refused.value.errors == [expected]


def test_the_company_country_and_currency_are_checked_the_same_way(engine, export_dir):
    write_export(export_dir)
    write_csv(
        export_dir / COMPANY_FILE,
        COMPANY_SPEC.columns(),
        [DEMO_COMPANY | {"country": "Espana", "base_currency": "zł", "logo_file": ""}],
    )
    with pytest.raises(ImportFailed) as refused:
        import_export(engine, export_dir)
    assert refused.value.errors == [
        "company.csv:2: country: must be an ISO 3166-1 alpha-2 country code such as ES; did you mean 'ES'? (got 'Espana')",
        "company.csv:2: base_currency: must be an ISO 4217 currency code such as EUR; did you mean 'PLN'? (got 'zł')",
    ]


def test_a_regime_set_in_customers_csv_is_kept_and_an_empty_one_is_derived(engine, export_dir):
    rows = make_rows()
    rows["customers.csv"][0]["tax_regime"] = "exempt_territory"  # a Canary Islands customer
    import_export(engine, write_export(export_dir, rows))
    with engine.connect() as conn:
        customers = {c.code: c for c in stored_records(conn, "customer")}
    assert customers["C-001"].tax_regime == TaxRegime.EXEMPT_TERRITORY
    assert customers["C-002"].tax_regime is None


def test_an_empty_customer_country_is_the_issuers_own(engine, export_dir):
    rows = make_rows()
    write_export(export_dir, rows)
    write_csv(
        export_dir / COMPANY_FILE,
        COMPANY_SPEC.columns(),
        [DEMO_COMPANY | {"country": "PL", "base_currency": "PLN", "logo_file": ""}],
    )
    import_export(engine, export_dir)
    with engine.connect() as conn:
        customers = {c.code: c for c in stored_records(conn, "customer")}
    assert customers["C-002"].country == "PL"  # its cell is empty
    assert customers["C-001"].country == "ES"  # written in the file
