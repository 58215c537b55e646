"""Errors, approval rules and credit reasons read in the seller's language, with the locale's
money, numbers and dates; a key the app has no words for falls back to the English."""

import json
from datetime import date
from decimal import Decimal

import pytest

from client.i18n import Translator
from client.i18n.messages import words
from client.services.quote_pricing import DraftLine
from client.sync.errors import Offline
from client.sync.status import describe as sync_failure
from client.ui.wording import (
    MissingWords,
    describe_credit_reason,
    describe_error,
    describe_refusal,
    describe_rule,
    render,
)
from shared.errors import DeviceRevoked, DomainError, OutOfScope, ValidationFailed, error_from_problem
from shared.messages import day, money, number
from shared.models import Category, Credit, PriceFloor, Product
from shared.rules.approval import ApprovalFacts, ApprovalPolicy, evaluate_approval
from shared.rules.credit import check_credit
from shared.rules.floors import check_floor, resolve_floor
from shared.rules.fx import convert_unit_price
from shared.rules.quote_lifecycle import parse_quote_number, transition
from shared.rules.quote_math import LineInput, price_line
from tests.client.factories import make_credit

D = Decimal
ES, EN = Translator("es"), Translator("en")


def plain(text: str) -> str:
    """Babel puts no-break spaces around currency signs and percents; the tables use plain ones."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def credit(**kw) -> Credit:
    """Limit 10 000 €, nothing used; override any field."""
    return make_credit(**{"open_balance": "0.00", **kw})


# --- credit reasons ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "quote", "spanish"),
    [
        (
            {"open_balance": "9000"},
            "2200",
            "Supera el límite de crédito en 1.200,00 € (riesgo 11.200,00 €, límite 10.000,00 €)",
        ),
        ({"open_balance": "9000"}, "0", "Cerca del límite de crédito: 90 % usado, 1.000,00 € disponible"),
        ({"blocked": True, "block_reason": "Impago reiterado"}, "0", "Bloqueado por finanzas: Impago reiterado"),
        (
            {"overdue_amount": "1250", "overdue_invoices": 2, "oldest_overdue_days": 15},
            "0",
            "2 facturas vencidas, la más antigua con 15 días de retraso (1.250,00 €)",
        ),
        (
            {"overdue_amount": "300", "overdue_invoices": 1, "oldest_overdue_days": 61},
            "0",
            "1 factura vencida, con 61 días de retraso (300,00 €): más de 60 días de retraso bloquea nuevas ventas "
            "hasta que se pague",
        ),
        (
            {"overdue_amount": "80.5", "oldest_overdue_days": 9},
            "0",
            "Saldo vencido, el más antiguo con 9 días de retraso (80,50 €)",
        ),
        ({"open_disputes": 1, "disputed_amount": "480"}, "0", "1 reclamación abierta por 480,00 €"),
        ({"open_disputes": 3, "disputed_amount": "1480.4"}, "0", "3 reclamaciones abiertas por 1.480,40 €"),
        (
            {"credit_limit": "0", "prepayment_required": True},
            "0",
            "Pago anticipado obligatorio: el pedido sale cuando esté pagado",
        ),
    ],
)
def test_credit_reasons_in_spanish(kw, quote, spanish):
    [reason] = check_credit(credit(**kw), quote_amount=D(quote)).reasons
    assert plain(render(ES, reason.key, reason.params)) == spanish  # no fallback to the English
    assert plain(describe_credit_reason(ES, reason)) == spanish


def test_no_credit_data_in_both_languages():
    [reason] = check_credit(None).reasons
    assert describe_credit_reason(ES, reason).startswith("Aún no hay datos de crédito del ERP")
    assert plain(describe_credit_reason(EN, reason)) == reason.text  # the English words are the rule's own


def test_english_money_is_written_the_english_way():
    [reason] = check_credit(credit(open_balance="9000"), quote_amount=D("2200")).reasons
    assert plain(describe_credit_reason(EN, reason)) == (
        "Over the credit limit by €1,200.00 (exposure €11,200.00, limit €10,000.00)"
    )


# --- approval rules ----------------------------------------------------------------------

CATEGORIES = {"TOR": Category(code="TOR", name="Tornillería")}
FLOORS = [
    PriceFloor(scope="product", code="P-FLOOR", currency="EUR", floor_price="4.50"),
    PriceFloor(scope="category", code="TOR", currency="EUR", min_margin_percent="12"),
]


def _floor_rules(sku: str, price: str, cost: str, disc: str = "0", header: str = "0"):
    product = Product(
        sku=sku, name=sku, category_code="TOR", unit="EA", tax_class="IVA21", currency="EUR", replacement_cost=cost
    )
    line = LineInput(
        line_no=2, sku=sku, quantity=D(1), unit_price=D(price), discount_percent=D(disc), unit_cost=D(cost)
    )
    violations = check_floor(price_line(line, "EUR", D(header)), resolve_floor(product, FLOORS, CATEGORIES), "EUR")
    facts = ApprovalFacts(seller_login="pepe", payment_terms="NET30", lines=(line,), header_discount_percent=D(header))
    return evaluate_approval(facts, ApprovalPolicy(default_band="senior"), floor_violations=violations)


def _approval(disc: str = "0", terms: str = "NET30", credit_row: Credit | None = None, seller: str = "pepe"):
    line = LineInput(line_no=1, sku="TOR-001", quantity=D(1), unit_price=D("10.00"), discount_percent=D(disc))
    facts = ApprovalFacts(seller_login=seller, payment_terms=terms, lines=(line,))
    readiness = check_credit(credit_row) if credit_row is not None else None
    return evaluate_approval(facts, ApprovalPolicy(seller_bands={"luis": "junior"}), readiness)


@pytest.mark.parametrize(
    ("rules", "spanish"),
    [
        (
            lambda: _approval(disc="12"),
            "Línea 1 (TOR-001): descuento del 12 %, por encima del 10 % que puede dar un vendedor de nivel estándar",
        ),
        (
            lambda: _approval(disc="7.5", seller="luis"),
            "Línea 1 (TOR-001): descuento del 7,5 %, por encima del 5 % que puede dar un vendedor de nivel júnior",
        ),
        (
            lambda: _floor_rules("P-FLOOR", "4.10", "3.00"),
            "Línea 2 (P-FLOOR): precio 4,10 € por debajo del mínimo 4,50 € (producto P-FLOOR)",
        ),
        (
            lambda: _floor_rules("P-FLOOR", "5.00", "3.00", disc="10", header="1"),  # net 4.4550: 4 decimals matter
            "Línea 2 (P-FLOOR): precio 4,455 € por debajo del mínimo 4,50 € (producto P-FLOOR)",
        ),
        (
            lambda: _floor_rules("P-PLAIN", "10.00", "9.18"),
            "Línea 2 (P-PLAIN): margen del 8,2 % por debajo del mínimo del 12 % (categoría TOR)",
        ),
        (
            lambda: _approval(credit_row=credit(blocked=True, block_reason="Impago", open_balance="12000")),
            "Crédito bloqueado: Bloqueado por finanzas: Impago; Supera el límite de crédito en 2.000,00 € "
            "(riesgo 12.000,00 €, límite 10.000,00 €)",
        ),
        (
            lambda: _approval(credit_row=credit(open_disputes=2, disputed_amount="75")),
            "Aviso de crédito: 2 reclamaciones abiertas por 75,00 €",
        ),
        (lambda: _approval(terms="NET90"), "La condición de pago NET90 no es estándar (NET30, NET60, PREPAID)"),
    ],
)
def test_fired_rules_in_spanish(rules, spanish):
    [rule] = rules()
    assert plain(render(ES, rule.key, rule.params)) == spanish
    assert plain(describe_rule(ES, rule)) == spanish
    assert describe_rule(EN, rule) != spanish and rule.reason  # the English sentence stays for managers


# --- errors ------------------------------------------------------------------------------


def _raised(action) -> DomainError:
    with pytest.raises(DomainError) as caught:
        action()
    return caught.value


@pytest.mark.parametrize(
    ("action", "spanish"),
    [
        (
            lambda: transition("sent", "draft"),
            "Un presupuesto en estado «Enviado» nunca se edita directamente; edítalo para crear una versión nueva.",
        ),
        (
            lambda: transition("draft", "approved"),
            "Un presupuesto en estado «Borrador» no puede pasar a «Aprobado» (puede pasar a: Pendiente de aprobación, "
            "Enviado).",
        ),
        (
            lambda: transition("accepted", "sent"),
            "Un presupuesto en estado «Aceptado» es definitivo: no puede pasar a «Enviado».",
        ),
        (
            lambda: transition("draft", "sent", fired_rules=["discount_above_band", "credit_blocked"]),
            "Un responsable debe aprobar este presupuesto antes de enviarlo: descuento por encima del nivel del "
            "vendedor, crédito bloqueado.",
        ),
        (
            lambda: transition("approved", "sent", valid_until=date(2026, 3, 31), today=date(2026, 4, 1)),
            "El presupuesto era válido hasta el 31 mar 2026; ya no puede pasar a «Enviado». Crea una versión nueva.",
        ),
        (
            lambda: convert_unit_price(D("10"), "USD", "EUR", [], date(2026, 5, 4)),
            "No hay tipo de cambio USD→EUR del 4 may 2026 ni de los 7 días anteriores. Haz el presupuesto en USD o "
            "pide que se actualicen los tipos.",
        ),
        (
            lambda: DraftLine("TOR-001", D("-2.5"), D(0)),
            "La cantidad de TOR-001 debe ser mayor que 0 (has escrito -2,5).",
        ),
        (lambda: parse_quote_number("JGM-26-1"), "JGM-26-1 no es un número de presupuesto como JGM1-2026-0042."),
    ],
)
def test_errors_in_spanish(action, spanish):
    error = _raised(action)
    assert plain(render(ES, error.key, error.params)) == spanish
    assert plain(describe_error(ES, error)) == spanish


def test_an_error_keeps_its_words_through_problem_json():
    # What the server answers over HTTP, and the sync client rebuilds.
    sent = ValidationFailed(
        "no price",
        key="problem.no_price",
        params={"sku": "TOR-001", "quantity": number(D("1200")), "customer": "C1", "day": day(date(2026, 5, 4))},
    )
    back = error_from_problem(json.loads(json.dumps(sent.to_problem())))
    assert (type(back), back.key, back.params) == (ValidationFailed, sent.key, sent.params)
    assert plain(describe_error(ES, back)) == (
        "No hay precio para 1.200 × TOR-001 del cliente C1 el 4 may 2026: "
        "ninguna tarifa vigente lo tiene para esa cantidad."
    )


def test_params_are_json_safe_from_the_start():
    error = ValidationFailed("x", key="problem.quote.not_latest", params={"number": "A", "version": D(2), "latest": 3})
    assert error.params == {"number": "A", "version": "2", "latest": 3}
    json.dumps(error.to_problem())


@pytest.mark.parametrize(
    ("error", "english_fallback"),
    [
        (ValidationFailed("the widget is blue", key="problem.from_a_newer_server"), "Please check: The widget is blue"),
        (
            ValidationFailed("the widget is blue", key="problem.quote.no_line", params={"wrong": 1}),
            "Please check: The widget is blue",
        ),  # values that do not fit the words
        (OutOfScope("customer C9 is not yours"), "Not allowed: customer C9 is not yours."),  # no key at all
        (DomainError("odd", key="problem.quote.no_line", params={"line": {"$nonsense": 1}}), "Odd"),
    ],
)
def test_what_the_app_has_no_words_for_falls_back_to_the_english(error, english_fallback):
    assert plain(describe_error(EN, error)) == english_fallback
    with pytest.raises(MissingWords):
        render(EN, error.key or "", error.params)


@pytest.mark.parametrize(
    ("code", "key", "params", "detail", "spanish"),
    [
        (
            "out_of_scope",
            "problem.customer.out_of_scope",
            {"customer": "C2"},
            "customer C2 is not in your portfolio",
            "El cliente C2 no está (ya) en tu cartera.",
        ),
        (
            "out_of_scope",
            None,
            {},
            "customer C2 is not in your portfolio",  # a refusal kept before m0009
            "No permitido: customer C2 is not in your portfolio.",
        ),
        ("validation_failed", "problem.from_a_newer_server", {}, "something new", "Revisa esto: Something new"),
        (
            "conflict",
            "problem.quote.version_exists",
            {"number": "AG1-2026-0001", "version": 2},
            "exists",
            "El presupuesto AG1-2026-0001 ya tiene una versión 2; un cambio crea una versión nueva.",
        ),
        (None, None, {}, "", "?"),
    ],
)
def test_refusals_in_spanish(code, key, params, detail, spanish):
    assert plain(describe_refusal(ES, code, key, params, detail)) == spanish


def test_money_inside_a_refusal_is_written_the_sellers_way():
    params = {
        "problems": [
            {
                "$message": "credit_reason.over_limit",
                "params": {
                    "over": money(D("1200"), "EUR"),
                    "exposure": money(D("11200"), "EUR"),
                    "limit": money(D("10000"), "EUR"),
                },
            }
        ]
    }
    assert plain(describe_refusal(ES, "validation_failed", "problem.quote.cannot_save", params, "x")) == (
        "No se puede guardar el presupuesto: Supera el límite de crédito en 1.200,00 € (riesgo 11.200,00 €, "
        "límite 10.000,00 €)"
    )


@pytest.mark.parametrize(
    ("error", "spanish"),
    [
        (DeviceRevoked("revoked"), "Tu administrador retiró esta tableta; sus datos se borraron."),
        (Offline("down"), "No hay conexión con el servidor de Terreno; tu trabajo se guarda en esta tableta."),
        (
            ValidationFailed("odd", key="problem.quote.no_lines"),
            "Añade al menos un producto antes de guardar el presupuesto.",
        ),
        (RuntimeError("boom"), "La sincronización falló de forma inesperada; se volverá a intentar."),
    ],
)
def test_a_sync_failure_is_said_in_the_sellers_language(error, spanish):
    assert words(Translator("es"), sync_failure(error)) == spanish


def test_an_unexpected_error_is_logged_with_the_reference_the_seller_reads(tmp_path):
    import logging

    from client.app import configure_logging
    from client.settings import ClientSettings

    path = configure_logging(ClientSettings(data_dir=tmp_path))
    try:
        said = describe_error(Translator("es"), KeyError("a bug"))
        reference = said.split("referencia ")[1].split(")")[0]
        for handler in logging.getLogger().handlers:
            handler.flush()
        logged = path.read_text(encoding="utf-8")
        assert f"unexpected error, reference {reference}" in logged and "KeyError: 'a bug'" in logged
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "baseFilename", None) == str(path)]:
            root.removeHandler(handler)
            handler.close()


def test_a_wrong_password_is_told_by_its_key_not_by_english_words():
    from shared.errors import AuthError

    wrong = AuthError("credentials refused", key="problem.sign_in.wrong_password")
    assert describe_error(Translator("es"), wrong) == "Usuario o contraseña incorrectos."
    assert describe_error(Translator("es"), AuthError("wrong password")) == "Vuelve a iniciar sesión."


@pytest.mark.parametrize(
    ("language", "margin", "shown"),
    [
        ("en", "35.46", "35.5%"),  # the list said 35%, the quote 35.5%: one rounding now
        ("es", "35.46", "35,5 %"),
        ("en", "36", "36%"),
        ("es", "8.04", "8 %"),
        ("en", "-2.35", "-2.4%"),  # below cost: half-even, as Decimal rounds
    ],
)
def test_a_margin_is_shown_to_one_decimal_everywhere(language, margin, shown):
    assert Translator(language).margin(Decimal(margin)) == shown
