"""Payment terms as a customer reads them: the ERP's codes (NET30, PREPAID) in words.

ERPs name terms by code; the quote the customer receives must say what they mean. Codes
Terreno knows become a message ("30 days net", "Payment in advance"); any other code is the
company's own and is shown as it is (words would be a guess).
"""

import re

from shared.messages import Params, message, plural_message

_NET_DAYS = re.compile(r"NET\s*-?\s*([0-9]{1,3})", re.IGNORECASE)
_IN_ADVANCE = frozenset({"PREPAID", "PREPAY", "PREPAYMENT", "ADVANCE"})
_ON_DELIVERY = frozenset({"COD", "CASH_ON_DELIVERY"})


def payment_terms_words(code: str) -> Params | str:
    """The message for terms `code` (net days, in advance, on delivery), or the code itself."""
    cleaned = (code or "").strip()
    found = _NET_DAYS.fullmatch(cleaned)
    if found:
        days = int(found.group(1))
        return message("terms.on_invoice") if days == 0 else plural_message("terms.net_days", days)
    if cleaned.upper() in _IN_ADVANCE:
        return message("terms.in_advance")
    if cleaned.upper() in _ON_DELIVERY:
        return message("terms.on_delivery")
    return cleaned


__all__ = ["payment_terms_words"]
