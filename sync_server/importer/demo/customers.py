"""Customers, their contacts and which seller carries each one."""

from dataclasses import dataclass
from datetime import date
from random import Random

from sync_server.importer.demo.behaviour import (
    SEGMENT_WEIGHTS,
    SEGMENTS,
    Behaviour,
    assign_profiles,
    build_behaviour,
    mark_dormant_and_new,
)
from sync_server.importer.demo.catalog import Catalog
from sync_server.importer.demo.company_names import COMPANY_PREFIXES, LEGAL_FORMS, PLACE_WORDS
from sync_server.importer.demo.names import slug, weighted_choice
from sync_server.importer.demo.people import SURNAMES, language_pool, person_name
from sync_server.importer.demo.places import CITIES, STREETS, City
from sync_server.importer.demo.tax_ids import tax_id_for
from sync_server.importer.demo.writer import ExportWriter

BASE_CUSTOMERS = 1_500
BASE_UNASSIGNED = 10
_CURRENCY = {"ES": "EUR", "PT": "EUR", "GB": "EUR", "MX": "USD", "CL": "USD", "CO": "USD"}
_MAILBOX = {
    "es": ("pedidos", "compras", "administracion", "info"),
    "pt": ("encomendas", "geral"),
    "en": ("orders", "accounts"),
}
_CONTACT_ROLES = {
    "es": (
        "Compras",
        "Jefe de compras",
        "Gerente",
        "Administración",
        "Jefe de mantenimiento",
        "Responsable de almacén",
        "Director técnico",
        "Jefe de obra",
    ),
    "pt": ("Compras", "Gerente", "Diretor técnico", "Armazém", "Contabilidade"),
    "en": ("Purchasing", "Managing Director", "Maintenance Manager", "Accounts Payable", "Stores"),
}


@dataclass(slots=True)
class CustomerInfo:
    """One customer as the rest of the generator sees it."""

    index: int
    code: str
    legal_name: str
    legal_form: str
    trade_name: str
    segment: str
    city: City
    currency: str
    domain: str
    behaviour: Behaviour
    seller: str | None = None

    @property
    def is_foreign(self) -> bool:
        """Outside Spain: intra-EU reverse charge or export, so invoiced without Spanish VAT."""
        return self.city.country != "ES"


def _company_name(rng: Random, city: City, segment: str) -> tuple[str, str, str]:
    """(core name, legal form, trade name) of a company in `city`."""
    pool = language_pool(city.lang)
    prefix = rng.choice(COMPANY_PREFIXES[pool][segment])
    surname, other = rng.choice(SURNAMES[pool]), rng.choice(SURNAMES[pool])
    place = rng.choice(PLACE_WORDS.get(city.lang, PLACE_WORDS[pool]))
    roll = rng.random()
    if pool == "en":
        core = f"{surname} {prefix}" if roll < 0.6 else f"{place} {prefix}"
    elif roll < 0.35:
        core = f"{prefix} {place}"
    elif roll < 0.65:
        core = f"{prefix} {surname}"
    elif roll < 0.8:
        core = f"{prefix} {surname} e Hijos" if pool == "es" else f"{prefix} {surname} & Filhos"
    elif roll < 0.9 and other != surname:
        core = f"{prefix} {surname} y {other}" if pool == "es" else f"{prefix} {surname} e {other}"
    else:
        core = f"{prefix} {place}"
    form = weighted_choice(rng, LEGAL_FORMS[city.lang])
    # Shops go by their distinctive word ("Peñalara"), but "del Ebro" alone is no name.
    short = place if place in core and place[0].isupper() else surname if surname in core else core
    trade = rng.choices((core, short, ""), weights=(55, 25, 20))[0]
    return core, form, trade


def _postal_code(rng: Random, city: City) -> str:
    if city.country == "PT":
        return f"{city.postal_prefix[:2]}{rng.randint(0, 99):02d}-{rng.randint(0, 999):03d}"
    if city.country == "GB":
        return f"{city.postal_prefix}{rng.randint(1, 40)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    width = {"ES": 5, "MX": 5, "CL": 7, "CO": 6}[city.country]
    rest = width - len(city.postal_prefix)
    return f"{city.postal_prefix}{rng.randint(0, 10**rest - 1):0{rest}d}"


def _digits(rng: Random, count: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def phone_number(rng: Random, country: str) -> str:
    """A phone number in the country's usual written form."""
    if country == "ES":
        return f"+34 {rng.choice('69')}{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 3)}"
    if country == "PT":
        return f"+351 {rng.choice(('22', '25', '91', '93', '96'))}{_digits(rng, 1)} {_digits(rng, 3)} {_digits(rng, 3)}"
    if country == "GB":
        return f"+44 {rng.choice(('121', '161', '114'))} {_digits(rng, 3)} {_digits(rng, 4)}"
    prefix = {"MX": "+52 81", "CL": "+56 2", "CO": "+57 601"}[country]
    return f"{prefix} {_digits(rng, 4)} {_digits(rng, 4)}"


def build_customers(
    rng: Random, scale: int, catalog: Catalog, sellers: list[str], reference_date: date
) -> list[CustomerInfo]:
    """`1500 × scale` customers with names, behaviour and (for all but ~10 × scale) a seller."""
    count = BASE_CUSTOMERS * scale
    profiles = assign_profiles(rng, count)
    city_weights = [c.weight for c in CITIES]
    names_used: set[str] = set()
    customers: list[CustomerInfo] = []
    for i in range(count):
        city = rng.choices(CITIES, weights=city_weights)[0]
        segment = rng.choices(SEGMENTS, weights=SEGMENT_WEIGHTS)[0]
        for attempt in range(60):
            core, form, trade = _company_name(rng, city, segment)
            if attempt >= 30:
                core = f"{core} {city.name}"  # a second shop with the same name elsewhere
            legal = f"{core} {form}".strip()
            if legal not in names_used:
                break
        else:
            legal = f"{legal} ({i + 1})"
        names_used.add(legal)
        behaviour = build_behaviour(rng, profiles[i], segment, city.country != "ES", catalog, reference_date)
        customers.append(
            CustomerInfo(
                index=i,
                code=f"C{i + 1:05d}",
                legal_name=legal,
                legal_form=form,
                trade_name=trade,
                segment=segment,
                city=city,
                currency=_CURRENCY[city.country],
                domain=f"{slug(core)}.example",
                behaviour=behaviour,
            )
        )
    mark_dormant_and_new(rng, [c.behaviour for c in customers])
    order = list(range(count))
    rng.shuffle(order)
    # Round-robin over a shuffled order: each seller gets the same number, from everywhere.
    for position, i in enumerate(order[BASE_UNASSIGNED * scale :]):
        customers[i].seller = sellers[position % len(sellers)]
    return customers


def write_customers(writer: ExportWriter, rng: Random, customers: list[CustomerInfo]) -> None:
    """customers.csv: identity, address, terms and currency of every customer."""
    out = writer.open("customers.csv")
    tax_ids: set[str] = set()
    for c in customers:
        tax_id = tax_id_for(rng, c.city.country, c.legal_form, c.legal_name)
        while tax_id in tax_ids:
            tax_id = tax_id_for(rng, c.city.country, c.legal_form, c.legal_name)
        tax_ids.add(tax_id)
        pool = language_pool(c.city.lang)
        out.write(
            {
                "code": c.code,
                "legal_name": c.legal_name,
                "trade_name": c.trade_name,
                "tax_id": tax_id,
                "segment": c.segment,
                "address": rng.choice(STREETS[c.city.lang]).format(n=rng.randint(1, 180)),
                "city": c.city.name,
                "postal_code": _postal_code(rng, c.city),
                "country": c.city.country,
                "email": f"{rng.choice(_MAILBOX[pool])}@{c.domain}",
                "phone": phone_number(rng, c.city.country),
                "payment_terms": c.behaviour.terms,
                "currency": c.currency,
                "tax_regime": "",  # derived from the country and tax id
            }
        )
    out.close()


def write_portfolio(writer: ExportWriter, customers: list[CustomerInfo]) -> None:
    """portfolio.csv: the seller of every assigned customer."""
    out = writer.open("portfolio.csv")
    for c in customers:
        if c.seller is not None:
            out.write({"customer_code": c.code, "seller_login": c.seller})
    out.close()


def write_contacts(writer: ExportWriter, rng: Random, customers: list[CustomerInfo]) -> None:
    """contacts.csv: one to three people per customer (about 1.5 on average)."""
    out = writer.open("contacts.csv")
    number = 0
    for c in customers:
        pool = language_pool(c.city.lang)
        how_many = 1 + (rng.random() < 0.4) + (rng.random() < 0.12)
        for _ in range(how_many):
            number += 1
            name = person_name(rng, c.city.lang)
            words = name.split()
            email = "" if rng.random() < 0.1 else f"{slug(words[0])}.{slug(words[1])}@{c.domain}"
            out.write(
                {
                    "id": f"CT{number:06d}",
                    "customer_code": c.code,
                    "name": name,
                    "role": rng.choice(_CONTACT_ROLES[pool]),
                    "email": email,
                    "phone": phone_number(rng, c.city.country),
                }
            )
    out.close()


__all__ = [
    "BASE_CUSTOMERS",
    "BASE_UNASSIGNED",
    "CustomerInfo",
    "build_customers",
    "phone_number",
    "write_contacts",
    "write_customers",
    "write_portfolio",
]
