"""schemathesis against the server's own OpenAPI, on SQLite and PostgreSQL.

Every operation of the schema gets generated requests, valid and invalid ones
(`generation.mode = all`), from a seeded database with real signed-in callers: a seller,
her manager for the managers' routes, an administrator for the admin routes. Every answer is
held to the schema by schemathesis's default checks: no 5xx, only declared statuses, bodies
and content types as declared, schema-valid requests taken, invalid ones refused. Then the
stateful phase follows the links schemathesis infers between operations (an approval listed
then decided; the policies read, then one read or replaced by name).

Bounded for CI: a fixed seed, a few dozen examples per operation, no coverage phase (its
hundreds of boundary cases per operation are the bad-input corpus's job, test_bad_input_corpus).
The figures of a run are printed at the end (`-s` shows them).
"""

from collections import Counter
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import positive_data_acceptance
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from sync_server.services.authorization import Caller, route_caller
from sync_server.services.mutations import HANDLERS
from tests.sync_server.factories import Device, make_user, sign_in
from tests.sync_server.quotes.helpers import ADMIN, MANAGER, SELLER, approval_args, make_quote, seed_quoting

EXAMPLES = 25
"""Per operation and phase. 17 operations × 2 backends at ~10 ms a request stay near 20 s."""

STEPS = 6

_CONFIG = {
    "seed": 17,
    "generation": {"max-examples": EXAMPLES, "mode": "all", "deterministic": True},
    "phases": {
        "coverage": {"enabled": False},
        # Sequences of valid calls: invalid ones are the single-operation phase's job.
        "stateful": {"enabled": True, "max-steps": STEPS, "generation": {"mode": "positive"}},
    },
    # A well-formed request may still meet the server's state: a cursor from a restored or
    # newer server (410, resync) or a protocol the server does not speak (426, update).
    "checks": {
        "positive_data_acceptance": {"expected-statuses": ["2xx", 401, 403, 404, 409, 410, 426, 429]},
        # A push names its protocol version first: one the server does not speak is answered
        # 426 (update the app) before the rest of the body is judged.
        "negative_data_rejection": {"expected-statuses": [400, 401, 403, 404, 405, 406, 409, 413, 422, 426, 429]},
    },
}
RELATED_PARTS = {
    ("PUT", "/v1/admin/policies/{name}"),
    ("PUT", "/v1/attachments/{sha256}"),
    ("POST", "/v1/approvals/delegations"),
    ("POST", "/v1/admin/users"),
    ("POST", "/v1/admin/users/{login}/password"),
    ("PUT", "/v1/admin/company"),
}
"""Operations whose parts must agree in ways OpenAPI cannot say: a policy's body is the policy
its path names (a valid credit policy sent as the approval policy is rightly refused); a chunk
fits in its Upload-Length from its Upload-Offset and the bytes hash to the path's digest; a
delegation's range ends on or after its start, and its delegate is another manager; a new
user's team exists and suits her role, and no password is one of the common ones; a company's
country and currency are codes in use (ISO 3166-1, ISO 4217), a list the schema does not carry. A
schema-valid request can be wrong there, so no positive-acceptance check for them."""

# Sessions that end or change passwords are a throwaway seller's, so the others stay signed in.
THROWAWAY, PASSWORD_CHANGER = "luis.prueba", "rosa.prueba"


class Callers:
    """The signed-in callers a generated request is sent as, and the figures of the run."""

    def __init__(self, client, seed) -> None:
        seed(seed_quoting)
        seed(lambda conn: [make_user(conn, login) for login in (THROWAWAY, PASSWORD_CHANGER)])
        self.client = client
        self.seller = Device(client, SELLER)
        self.manager = Device(client, MANAGER)
        self.admin = Device(client, ADMIN)
        self.password_changer = Device(client, PASSWORD_CHANGER)
        self._pending_approval()
        self.statuses: Counter[int] = Counter()
        self.least = 10
        """Fewer cases than this and the run did not really happen."""

    def _pending_approval(self) -> None:
        """A request waiting in the manager's list, so the decision route has one to find."""
        quote = make_quote(lines=[("GUA-NIT-09", "100", "15")])
        assert self.seller.push("save_quote", quote=quote)["status"] == "applied"
        assert self.seller.push("request_approval", request=approval_args(quote))["status"] == "applied"

    def headers_for(self, method: str, path: str) -> dict[str, str]:
        """The Authorization of the caller whose role the route is for."""
        if path == "/v1/auth/logout":
            return {"Authorization": f"Bearer {sign_in(self.client, THROWAWAY)['token']}"}
        if path == "/v1/auth/password":
            return self.password_changer.headers
        caller = route_caller(method, path)
        device = {Caller.ADMIN: self.admin, Caller.MANAGER: self.manager}.get(caller, self.seller)  # type: ignore[arg-type]
        return device.headers

    def steer_push(self, body: Any) -> None:
        """A generated push as the seller's device sends one: her client id, mutation ids
        that follow hers and names the server knows, so the handlers read the generated
        args instead of the batch stopping at the first check."""
        if not isinstance(body, dict) or not isinstance(body.get("mutations"), list):
            return
        body["client_id"] = self.seller.session["client_id"]
        names = sorted(HANDLERS)
        for offset, mutation in enumerate(body["mutations"]):
            if isinstance(mutation, dict) and isinstance(mutation.get("name"), str):
                mutation["id"] = self.seller.next_id + offset
                mutation["name"] = names[len(mutation["name"]) % len(names)]

    def record(self, body: Any, status: int) -> None:
        self.statuses[status] += 1
        if status == 200 and isinstance(body, dict) and isinstance(body.get("mutations"), list):
            self.seller.next_id += len(body["mutations"])


@pytest.fixture
def settings(settings):
    # Generated sign-ins fail by the hundred from one address: the address limit would soon
    # refuse the real sign-ins this test makes (its 429 is tested in test_accounts).
    return settings.model_copy(update={"sign_in_failures_per_address": 100000})


@pytest.fixture
def callers(client, seed) -> Iterator[Callers]:
    found = Callers(client, seed)
    yield found
    total = sum(found.statuses.values())
    server_errors = sum(n for status, n in found.statuses.items() if status >= 500)
    print(f"\nschemathesis: {total} cases, {server_errors} 5xx, statuses {dict(sorted(found.statuses.items()))}")
    assert server_errors == 0
    assert total >= found.least, "schemathesis ran far fewer cases than it should"


@pytest.fixture
def api_schema(app, callers):
    return schemathesis.openapi.from_asgi("/openapi.json", app, config=SchemathesisConfig.from_dict(_CONFIG))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_every_answer_is_as_the_schema_says(case, callers):
    callers.least = 17 * 10  # A negative case's broken part stays broken: no steering of a broken body, no token
    # added to headers generated without one.
    if case.path == "/v1/sync/push" and not case.meta.is_negative_at(ParameterLocation.BODY):
        callers.steer_push(case.body)
    headers = {} if case.meta.is_negative_at(ParameterLocation.HEADER) else callers.headers_for(case.method, case.path)
    excluded = [positive_data_acceptance] if (case.method, case.path) in RELATED_PARTS else []
    response = case.call_and_validate(headers=headers, excluded_checks=excluded)
    callers.record(case.body, response.status_code)


def test_linked_calls_keep_to_the_schema(api_schema, callers):
    """The stateful phase: sequences along the links schemathesis infers (a response's
    values fed into the next call's path), each answer checked as above."""
    machine = api_schema.as_state_machine()
    assert machine.bundles, "schemathesis found no links between the operations"

    class Sequences(machine):  # type: ignore[misc,valid-type]
        def get_call_kwargs(self, case):
            return {"headers": callers.headers_for(case.method, case.path)}

        def after_call(self, response, case):
            callers.record(case.body, response.status_code)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            excluded = [positive_data_acceptance] if (case.method, case.path) in RELATED_PARTS else []
            case.validate_response(response, excluded_checks=excluded, transport_kwargs=kwargs)

    Sequences.run(
        settings=hypothesis.settings(
            max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, derandomize=True, database=None
        )
    )
