"""Quote e-mails within the e-mail policy: recipients, rates, words, the quote's own PDF."""

from tests.sync_server.quotes.helpers import (
    ADMIN,
    CUSTOMER_EMAIL,
    MANAGER,
    SELLER,
    delivery_args,
    make_quote,
    quote_pdf,
)


def _send(ana, quote=None, **delivery):
    quote = quote or make_quote()
    assert ana.push("save_quote", quote=quote)["status"] == "applied"
    args = delivery_args(quote, ana.upload(quote_pdf(quote)), **delivery)
    return ana.push("send_quote", quote_id=quote["id"], delivery=args), quote


def test_a_quote_goes_to_the_customers_addresses_and_at_most_two_new_ones(device):
    ana = device(SELLER)
    ana.protocol_version = 3
    outsiders = [f"x{n}@spam.example" for n in range(3)]
    refused, _ = _send(ana, recipients=[CUSTOMER_EMAIL, *outsiders])
    assert (refused["status"], refused["key"]) == ("rejected", "problem.email.unknown_recipients")
    done, _ = _send(ana, recipients=[CUSTOMER_EMAIL, "Nuevo@Cliente.example"])
    assert done["status"] == "applied", done
    # The new address is now a contact of the customer, which her manager sees.
    contacts = [c["data"] for c in device(MANAGER).pull_all() if c["entity"] == "contact"]
    assert [(c["email"], c["role"]) for c in contacts] == [("nuevo@cliente.example", f"added by {SELLER}")]


def test_a_subject_is_one_line(device):
    ana = device(SELLER)
    ana.protocol_version = 3
    refused, _ = _send(ana, subject="Oferta\r\nBcc: everyone@spam.example")
    assert refused["status"] == "rejected" and refused["code"] == "validation_failed"


def test_a_customer_gets_at_most_the_policys_e_mails_a_day(client, device):
    admin = device(ADMIN)
    policy = {"max_per_customer_per_day": 1}
    assert client.put("/v1/admin/policies/email", json=policy, headers=admin.headers).status_code == 200
    ana = device(SELLER)
    ana.protocol_version = 3
    assert _send(ana)[0]["status"] == "applied"
    refused, _ = _send(ana)
    assert (refused["status"], refused["code"], refused["key"]) == (
        "rejected",
        "too_many_requests",
        "problem.email.customer_limit",
    )


def test_an_image_is_never_sent_as_the_quotes_pdf(device):
    ana = device(SELLER)
    ana.protocol_version = 3
    quote = make_quote()
    assert ana.push("save_quote", quote=quote)["status"] == "applied"
    photo = ana.upload(b"\xff\xd8\xff\xe0 a photo", content_type="image/jpeg")
    refused = ana.push("send_quote", quote_id=quote["id"], delivery=delivery_args(quote, photo))
    assert (refused["status"], refused["key"]) == ("rejected", "problem.quote.pdf_not_pdf")
