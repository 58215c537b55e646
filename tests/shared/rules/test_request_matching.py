"""A pasted request read into lines (quantity, unit, references, words) and matched to products
with a confidence and its reasons. Every expected score is worked out by hand in its comment:
found = the share of the line's (stemmed) words the name has; sort = rapidfuzz's
token_sort_ratio = 2 × LCS / (len a + len b) × 100 of the sorted words; description score =
60 × found + 0.4 × sort; +10 when bought before and already 50 or more."""

from decimal import Decimal as D

import pytest

from shared.rules.request_matching import (
    CONFIDENT,
    Candidate,
    MatchReason,
    description_score,
    match_line,
    match_request,
    search_words,
)
from shared.rules.request_reading import read_line, read_number, split_request
from shared.rules.request_words import compact_code, key_words, stem

CODE, TEXT, BOUGHT = MatchReason.CODE, MatchReason.DESCRIPTION, MatchReason.BOUGHT_BEFORE


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("20 cajas guantes nitrilo talla M, 5 x ref 4471", ["20 cajas guantes nitrilo talla M", "5 x ref 4471"]),
        ("guantes\n\n- brocas\n• cinta; cable\r\n", ["guantes", "brocas", "cinta", "cable"]),
        ("2,5 m cable, 3 cajas", ["2,5 m cable", "3 cajas"]),  # a decimal comma does not split
        ("tornillos y tuercas", ["tornillos y tuercas"]),  # no quantity after "y": one product
        ("20 guantes y 5 x ref 4471", ["20 guantes", "5 x ref 4471"]),
        ("gloves and 2 boxes of screws and ref 12", ["gloves", "2 boxes of screws", "ref 12"]),
        ("Hola Ana,\nNecesito:\n20 guantes.\n--\n", ["Hola Ana", "Necesito", "20 guantes"]),
        ("", []),
    ],
)
def test_a_pasted_text_splits_into_request_lines(text, lines):
    assert split_request(text) == lines


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("20", D(20)),
        ("2,5", D("2.5")),
        ("2.5", D("2.5")),
        ("1.000", D(1000)),  # three digits after one separator: thousands
        ("1,000", D(1000)),
        ("0,250", D("0.25")),  # ...unless the number starts with 0
        ("1.000.000", D(1000000)),
        ("1.234,5", D("1234.5")),  # both: the last one is the decimal point
        ("1,234.5", D("1234.5")),
    ],
)
def test_numbers_are_read_the_spanish_and_the_english_way(written, value):
    assert read_number(written) == value


@pytest.mark.parametrize(
    ("text", "quantity", "unit", "references", "words"),
    [
        ("20 cajas guantes nitrilo talla M", "20", "BOX", (), "guantes nitrilo talla M"),
        ("- 20 cajas de guantes", "20", "BOX", (), "guantes"),
        ("20cajas guantes", "20", "BOX", (), "guantes"),
        ("5 x ref 4471", "5", None, ("4471",), ""),
        ("5x ref 4471", "5", None, ("4471",), ""),
        ("x5 guantes", "5", None, (), "guantes"),
        ("guantes x 5", "5", None, (), "guantes"),
        ("guantes x5", "5", None, (), "guantes"),
        ("guantes: 20", "20", None, (), "guantes"),
        ("guantes - 20", "20", None, (), "guantes"),
        ("guantes nitrilo 20 uds", "20", "EA", (), "guantes nitrilo"),
        ("cinta 3 rollos", "3", "ROLL", (), "cinta"),
        ("3 uds. tornillos", "3", "EA", (), "tornillos"),
        ("2,5 m cable", "2.5", "M", (), "cable"),
        ("1,5 kg grasa", "1.5", "KG", (), "grasa"),
        ("1.000 tornillos", "1000", None, (), "tornillos"),
        ("una caja de brocas", "1", "BOX", (), "brocas"),
        ("dos taladros 18V", "2", None, (), "taladros 18V"),
        ("two boxes of gloves", "2", "BOX", (), "gloves"),
        ("a box of gloves", "1", "BOX", (), "gloves"),
        ("a drill", None, None, (), "a drill"),  # "a" is one only before a unit
        ("10 mm broca", None, None, (), "10 mm broca"),  # a size, not ten drill bits
        ("cable 25 m", None, None, (), "cable 25 m"),  # a 25 m cable: metres are not read at the end
        ("tornillo M8 x 30", None, None, (), "tornillo M8 x 30"),  # a size before the x
        ("guantes talla 10 x20", "20", None, (), "guantes talla 10"),  # ...unless the x is glued to the count
        ("tornillo M8x30 zincado", None, None, ("M8x30",), "tornillo M8x30 zincado"),
        ("5 x 4471", "5", None, ("4471",), "4471"),  # what is left is one token with a digit: a code
        ("4471 x 5", "5", None, ("4471",), "4471"),  # the shorter number is how many
        ("GUA-NIT-09 x 20", "20", None, ("GUA-NIT-09",), "GUA-NIT-09"),  # a code stays in the words
        ("ref. AB-12345 x 3", "3", None, ("AB-12345",), ""),
        ("código: TOR000123", None, None, ("TOR000123",), ""),
        ("#4471 x 2", "2", None, ("4471",), ""),
        ("2 ref4471", "2", None, ("4471",), ""),
        ("codo 90 PVC", None, None, (), "codo 90 PVC"),  # "cod" begins a word: no marker
        ("tornillo reforzado: 3", "3", None, (), "tornillo reforzado"),
        ("ref guantes", None, None, (), "ref guantes"),  # a marked code has a digit
        ("Hola Ana", None, None, (), "Hola Ana"),
    ],
)
def test_a_line_says_how_many_in_what_unit_and_which_codes(text, quantity, unit, references, words):
    line = read_line(text)
    assert (line.quantity, line.unit, line.references, line.words) == (
        D(quantity) if quantity else None,
        unit,
        references,
        words,
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Guantes de nitrilo", ("guant", "nitrilo")),  # plural and singular meet, "de" is filler
        ("GUANTE nitrilo", ("guant", "nitrilo")),
        ("Válvula PVC", ("valvula", "pvc")),  # accents off, three letters kept
        ("Interruptores", ("interruptor",)),
        ("boxes", ("box",)),
        ("Broca 10mm", ("broca", "10", "mm")),  # a unit glued to a number comes off
        ("Taladro 18V", ("taladro", "18", "v")),
        ("Tornillo M8x30", ("tornillo", "m8", "30")),  # a size's x parts it, M8 stays whole
        ("tornillo m8 x 30", ("tornillo", "m8", "30")),  # ...as the seller writes it
        ("Banda 75x533", ("banda", "75", "533")),
        ("Hola, necesitamos por favor", ()),
    ],
)
def test_words_are_folded_stemmed_and_stripped_of_filler(text, words):
    assert key_words(text) == words


def test_stems_and_codes():
    assert [stem(w) for w in ("tornillos", "llave", "llaves", "hss", "inox")] == [
        "tornillo",
        "llav",
        "llav",
        "hss",
        "inox",
    ]
    assert compact_code("gua-nit-09") == compact_code("GUANIT09") == "GUANIT09"
    # What the device's search index is asked: words as it holds them, one-letter sizes out.
    assert search_words(read_line("20 cajas guantes nitrilo talla M")) == ("guant", "nitrilo", "talla")
    assert search_words(read_line("tornillos M8x30")) == ("tornillo", "m8x30")


@pytest.mark.parametrize(
    ("words", "name", "score"),
    [
        # found 2/2 → 60; the same sorted words → sort 100 → 40.
        ("guantes nitrilo", "Guante de nitrilo", 100.0),
        # found 1/1 → 60; "taladro" (7) in "18 atornillador escobilla sin taladro v" (39):
        # LCS 7 → sort 14/46 = 30.43 → 12.17.
        ("taladro", "Taladro atornillador 18 V sin escobillas", 60 + 0.4 * 1400 / 46),
        # "nitrillo" is a keystroke off "nitrilo": ratio 14/15, half of it counts → found
        # (1 + 0.4667)/2 → 44; "guant nitrillo" (14) / "guant nitrilo" (13): LCS 13 → 26/27.
        ("guantes nitrillo", "Guante nitrilo", 60 * (1 + 7 / 15) / 2 + 0.4 * 2600 / 27),
        # "inox" begins "inoxidabl(e)": found → 60; "inox tornillo" (13) is all in
        # "inoxidabl tornillo" (18): LCS 13 → sort 26/31.
        ("tornillos inox", "Tornillo inoxidable", 60 + 0.4 * 2600 / 31),
        ("", "Guante nitrilo", 0.0),
        ("hola", "Guante nitrilo", 0.0),  # only filler left
    ],
)
def test_a_description_scores_the_words_found_and_the_likeness(words, name, score):
    assert description_score(words, name) == pytest.approx(score)


GLOVES_M = Candidate("GUA-NIT-M", "Guantes de nitrilo talla M (caja 100)", "Guantes. Ref. fabricante AB-4471.")
GLOVES_L = Candidate("GUA-NIT-L", "Guantes de nitrilo talla L (caja 100)", bought_before=True)
LATEX_M = Candidate("GUA-LAT-M", "Guantes de látex talla M (caja 100)")
DRILL = Candidate("TAL-18V-BL", "Taladro atornillador 18 V sin escobillas")
SCREW = Candidate("TOR-004471", "Tornillo DIN 933 M8x30 zincado (caja 100)")
BIT = Candidate("BRO-HSS-10", "Broca HSS 10 mm")
BIT_COBALT = Candidate("BRO-HSS-10B", "Broca HSS 10 mm cobalto", bought_before=True)
CATALOGUE = [GLOVES_M, GLOVES_L, LATEX_M, DRILL, SCREW, BIT, BIT_COBALT]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # M: found 4/4 → 60; "guant m nitrilo talla" (21) in "100 caja guant m nitrilo talla" (30):
        # LCS 21 → sort 42/51 → 32.94; 92.94 → 93.
        # L (bought): found 3/4 → 45 (the M is not there); LCS "guant " + " nitrilo talla" = 20
        # → sort 40/51 → 31.37; 76.37 + 10 → 86. Latex M: found 3/4 → 45; sorted "100 caja
        # guant latex m talla" (28): LCS "guant " + "m talla" = 13 → 26/49 → 21.22; 66.22 → 66.
        # The drill: found 0; LCS 12 of 21 and 39 → 24/60 → 16 (under 40: not offered).
        (
            "20 cajas guantes nitrilo talla M",
            [("GUA-NIT-M", 93, (TEXT,)), ("GUA-NIT-L", 86, (TEXT, BOUGHT)), ("GUA-LAT-M", 66, (TEXT,))],
        ),
        # SKU TOR-004471 ends with 4471 → 90; the gloves' maker reference AB-4471 ends so → 85.
        ("5 x ref 4471", [("TOR-004471", 90, (CODE,)), ("GUA-NIT-M", 85, (CODE,))]),
        ("ref AB-4471", [("GUA-NIT-M", 95, (CODE,))]),  # the maker's reference itself
        ("tal-18v-bl x 2", [("TAL-18V-BL", 100, (CODE,))]),  # the SKU, however it is written
        # A keystroke off a SKU is another product: no code match; the words "gua nit 9"
        # score under 40 against every name.
        ("GUA-NIT-9", []),
        # Latex: found 2/2 → 60; "guant latex" (11) / "100 caja guant latex m talla" (28):
        # LCS 11 → 22/39 → 22.56; 82.56 → 83. The bought L: found 1/2 → 30; LCS 8 of 11
        # and 30 → 16/41 → 15.61; 45.61 → 46, under 50: no boost.
        ("guantes latex", [("GUA-LAT-M", 83, (TEXT,)), ("GUA-NIT-L", 46, (TEXT,)), ("GUA-NIT-M", 46, (TEXT,))]),
        # Cobalt (bought): found 4/4 → 60; "10 broca cobalto hss" (20) is all in "10 broca
        # cobalto hss mm" (23): LCS 20 → 40/43 → 37.21; 97.21 + 10 → 100 (at most). Plain:
        # no "cobalto": found 3/4 → 45; "10 broca hss mm" (15): LCS "10 broca " + "hss" = 12
        # → 24/35 → 27.43; 72.43 → 72.
        ("brocas hss 10 cobalto", [("BRO-HSS-10B", 100, (TEXT, BOUGHT)), ("BRO-HSS-10", 72, (TEXT,))]),
        ("Hola Ana", []),  # no product words
        ("Gracias", []),  # only filler
    ],
)
def test_lines_are_matched_with_a_confidence_and_reasons(line, expected):
    found = match_line(read_line(line), CATALOGUE)
    assert [(m.sku, m.confidence, m.reasons) for m in found.matches[:3]] == expected


def test_a_line_is_confident_from_75_five_ahead_of_the_next_and_only_five_matches_are_offered():
    assert CONFIDENT == 75
    assert match_line(read_line("guantes latex"), CATALOGUE).is_confident  # 83, the next 46
    # 93 for size M, 86 for the L she bought: 7 ahead.
    assert match_line(read_line("guantes nitrilo talla M"), CATALOGUE).is_confident
    # The plain bit: found 3/3 → 60; "10 broca hss" (12) in "10 broca hss mm" (15): 24/27 →
    # 35.56; 95.56 → 96. Cobalt (bought): 60; in "10 broca cobalto hss mm" (23): LCS "10
    # broca " + "hss" = 12 → 24/35 → 27.43; 87.43 + 10 → 97: she bought it, it leads by one,
    # a question for the seller.
    bits = match_line(read_line("brocas hss 10"), CATALOGUE)
    assert [(m.sku, m.confidence) for m in bits.matches] == [("BRO-HSS-10B", 97), ("BRO-HSS-10", 96)]
    assert not bits.is_confident
    # "ref 4471" ends a SKU (90) and a maker's reference (85): five apart.
    assert match_line(read_line("5 x ref 4471"), CATALOGUE).is_confident
    drill = match_line(read_line("taladro"), CATALOGUE)
    assert [(m.sku, m.confidence) for m in drill.matches] == [("TAL-18V-BL", 72)]  # 72.17
    assert not drill.is_confident
    assert drill.best is not None and drill.best.candidate is DRILL
    many = [Candidate(f"G{n}", f"Guante nitrilo {n}") for n in range(12)]
    assert len(match_line(read_line("guante nitrilo"), many).matches) == 5
    assert len(match_line(read_line("guante nitrilo"), many, limit=2).matches) == 2


def test_a_product_found_twice_counts_once_and_keeps_having_been_bought():
    plain = Candidate("GUA-NIT-L", GLOVES_L.name)
    found = match_line(read_line("guantes nitrilo talla L"), [plain, GLOVES_L, plain])
    assert [(m.sku, m.reasons) for m in found.matches] == [("GUA-NIT-L", (TEXT, BOUGHT))]


def test_ties_go_to_what_she_bought_then_to_the_code():
    twins = [Candidate("B", "Cinta americana"), Candidate("C", "Cinta americana"), Candidate("A", "Cinta americana")]
    tied = match_line(read_line("cinta americana"), twins)
    assert [m.sku for m in tied.matches] == ["A", "B", "C"]
    assert not tied.is_confident  # three names that say the same: the seller chooses
    bought = Candidate("Z", "Cinta americana gris", bought_before=True)
    assert match_line(read_line("cinta americana gris"), [*twins, bought]).matches[0].sku == "Z"


def test_a_whole_request_is_matched_line_by_line():
    found = match_request("Hola Ana,\n20 cajas guantes nitrilo talla M\n5 x ref 4471 y 2 brocas hss cobalto", CATALOGUE)
    assert [(f.line.text, f.line.quantity, f.best.sku if f.best else None) for f in found] == [
        ("Hola Ana", None, None),
        ("20 cajas guantes nitrilo talla M", D(20), "GUA-NIT-M"),
        ("5 x ref 4471", D(5), "TOR-004471"),
        ("2 brocas hss cobalto", D(2), "BRO-HSS-10B"),
    ]
