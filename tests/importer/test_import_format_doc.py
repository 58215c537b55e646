"""docs/import-format.md cannot drift from the spec: its tables list the columns, its examples import."""

import csv
import io
import re
from pathlib import Path

import pytest

from sync_server.importer.rows import RowParser
from sync_server.importer.spec import FILES, FileSpec

DOC = Path(__file__).resolve().parents[2] / "docs" / "import-format.md"


def _sections() -> dict[str, str]:
    """Text of each `### \\`file.csv\\`` section, by file name, in document order."""
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^### `([a-z_]+\.csv)`$", text, flags=re.MULTILINE)
    sections = dict(zip(parts[1::2], parts[2::2]))
    return {name: body.split("\n## ", 1)[0] for name, body in sections.items()}


def _table_rows(section: str) -> list[list[str]]:
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def _example(section: str) -> list[list[str]]:
    block = re.search(r"```csv\n(.*?)```", section, flags=re.DOTALL)
    assert block, "the section has a ```csv example"
    return list(csv.reader(io.StringIO(block.group(1))))


def test_every_file_has_a_section_in_spec_order():
    assert list(_sections()) == [spec.filename for spec in FILES]
    assert f"All {len(FILES)} files below" in DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("spec", FILES, ids=lambda s: s.filename)
def test_the_column_table_lists_exactly_the_spec_columns(spec: FileSpec):
    rows = _table_rows(_sections()[spec.filename])
    assert [row[0].strip("`") for row in rows] == list(spec.columns())
    for row in rows:
        assert len(row) == 4, f"name, type, required, rule: {row}"
        if row[0].strip("`") in spec.optional_columns:
            assert "optional column" in row[2]


@pytest.mark.parametrize("spec", FILES, ids=lambda s: s.filename)
def test_the_example_has_the_header_and_rows_that_validate(spec: FileSpec):
    header, *rows = _example(_sections()[spec.filename])
    assert tuple(header) == spec.columns()
    assert 2 <= len(rows) <= 3
    parser = RowParser(spec, header)
    for row in rows:
        assert len(row) == len(header), row
        record, reasons = parser.parse(dict(zip(header, row)))
        assert reasons == [], row


def test_the_documented_messages_are_the_ones_tests_pin():
    """Every example message of the doc's error section is asserted verbatim by a test."""
    text = DOC.read_text(encoding="utf-8")
    block = text.split("## Error messages", 1)[1].split("```", 2)[1]
    documented = [line for line in block.splitlines() if line.strip()]
    pinned = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_import_*.py"))
    illustrative = {"stock.csv:14:", "portfolio.csv:2: seller_login: 'marta.saez'"}
    for message in documented:
        if any(message.startswith(prefix) for prefix in illustrative):
            continue
        assert repr(message)[1:-1] in pinned or message in pinned, message


def test_the_company_section_lists_every_column_and_its_example_validates():
    from sync_server.importer.company import COMPANY_SPEC

    text = DOC.read_text(encoding="utf-8")
    section = text.split("## The company profile: company.csv", 1)[1].split("\n## ", 1)[0]
    documented = [name.strip().strip("`") for row in _table_rows(section) for name in row[0].split(",")]
    assert documented == list(COMPANY_SPEC.columns())
    header, *rows = _example(section)
    assert tuple(header) == COMPANY_SPEC.columns() and len(rows) == 1
    record, reasons = RowParser(COMPANY_SPEC, header).parse(dict(zip(header, rows[0])))
    assert reasons == [] and record.trade_name == "Suministros Terreno"
