"""Company tax identifiers that pass each country's check-digit rule."""

from random import Random

_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def spanish_cif(rng: Random, letter: str) -> str:
    """A Spanish company CIF ('B' for S.L., 'A' for S.A.) with a valid control digit."""
    digits = [rng.randint(0, 9) for _ in range(7)]
    even = sum(digits[1::2])
    odd = sum(sum(divmod(2 * d, 10)) for d in digits[0::2])
    control = (10 - (even + odd) % 10) % 10
    return f"{letter}{''.join(map(str, digits))}{control}"


def spanish_nif(rng: Random) -> str:
    """A Spanish sole trader's NIF (DNI number and its letter)."""
    number = rng.randint(10_000_000, 79_999_999)
    return f"{number}{_DNI_LETTERS[number % 23]}"


def portuguese_nif(rng: Random) -> str:
    """A Portuguese company NIPC ('PT5…') with its mod-11 check digit."""
    digits = [5] + [rng.randint(0, 9) for _ in range(7)]
    remainder = sum(d * (9 - i) for i, d in enumerate(digits)) % 11
    check = 0 if remainder < 2 else 11 - remainder
    return "PT" + "".join(map(str, digits)) + str(check)


def uk_vat(rng: Random) -> str:
    """A UK VAT registration number (GB + 9 digits, mod-97 check)."""
    digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(6)]
    total = sum(d * w for d, w in zip(digits, (8, 7, 6, 5, 4, 3, 2), strict=True))
    check = (-total) % 97
    return "GB" + "".join(map(str, digits)) + f"{check:02d}"


def mexican_rfc(rng: Random, legal_name: str) -> str:
    """A Mexican company RFC: three letters of the name, foundation date, three characters."""
    letters = "".join(c for c in legal_name.upper() if "A" <= c <= "Z")[:3].ljust(3, "X")
    year, month, day = rng.randint(80, 99), rng.randint(1, 12), rng.randint(1, 28)
    tail = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(3))
    return f"{letters}{year:02d}{month:02d}{day:02d}{tail}"


def chilean_rut(rng: Random) -> str:
    """A Chilean company RUT ('76.123.456-K') with its mod-11 verifier."""
    number = rng.randint(76_000_000, 77_999_999)
    total, factor = 0, 2
    for d in reversed(str(number)):
        total += int(d) * factor
        factor = 2 if factor == 7 else factor + 1
    verifier = {11: "0", 10: "K"}.get(11 - total % 11, str(11 - total % 11))
    return f"{number // 1_000_000}.{number // 1000 % 1000:03d}.{number % 1000:03d}-{verifier}"


def colombian_nit(rng: Random) -> str:
    """A Colombian company NIT ('900123456-7') with its DIAN check digit."""
    number = str(rng.randint(900_000_000, 901_999_999))
    weights = (41, 37, 29, 23, 19, 17, 13, 7, 3)
    remainder = sum(int(d) * w for d, w in zip(number, weights, strict=True)) % 11
    check = remainder if remainder < 2 else 11 - remainder
    return f"{number}-{check}"


def tax_id_for(rng: Random, country: str, legal_form: str, legal_name: str) -> str:
    """A tax id that looks right for a company in `country` with `legal_form`."""
    if country == "ES":
        if not legal_form:
            return spanish_nif(rng)
        letter = {"S.A.": "A", "S. Coop.": "F"}.get(legal_form, "B")
        return spanish_cif(rng, letter)
    if country == "PT":
        return portuguese_nif(rng)
    if country == "GB":
        return uk_vat(rng)
    if country == "MX":
        return mexican_rfc(rng, legal_name)
    if country == "CL":
        return chilean_rut(rng)
    return colombian_nit(rng)


__all__ = [
    "chilean_rut",
    "colombian_nit",
    "mexican_rfc",
    "portuguese_nif",
    "spanish_cif",
    "spanish_nif",
    "tax_id_for",
    "uk_vat",
]
