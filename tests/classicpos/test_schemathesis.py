"""Schemathesis fuzzes every API operation against the project's own OpenAPI schema.

The schema is the one ``/api/schema/`` serves, built by a fixture; each operation is a
subtest of one test. Requests go through the WSGI application in-process, as a Manager
with a knox token. Each operation gets
schema-valid and schema-violating requests (examples, coverage and fuzzing
phases) with a fixed seed and a bounded number of examples, and every answer must
be: no server error, a documented status code and content type, a body that
matches the schema, valid data accepted and invalid data refused.
"""

import json
import re

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis import checks
from schemathesis.openapi.checks import RejectedPositiveData

SEED = 20261125
MAX_EXAMPLES = 15

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "mode": "all"},
        "phases": {"stateful": {"enabled": False}},
    }
)


def _served_schema() -> dict:
    """Return the schema exactly as ``GET /api/schema/?format=json`` renders it."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


# A schema-valid request may still be refused for a reason JSON Schema cannot state.
# Such a 400 passes only when every message in it is one of these rules.
RULES_BEYOND_THE_SCHEMA = {
    # Rows that must exist: a generated id rarely names one.
    r"There is no (customer|lead|product|sale line|till|store) #\d+\.",
    r".+ is retired: choose another till\.",
    r"No active user is called .+\.",
    r'Invalid pk "-?\d+" - object does not exist\.',
    r"(Points|On account|Store credit) payments need a customer\.",
    # Sums that depend on the prices and balances in the database.
    r"The discount cannot be more than the subtotal of \d+\.\d\d\.",
    r"Payments of \d+\.\d\d do not cover the total of \d+\.\d\d\.",
    r"Add a payment of \d+\.\d\d\.",
    r"Only .+ may exceed the total of \d+\.\d\d\.",
    # A gift card's code names a card, or not; its balance and status are the database's.
    r"No active gift card with this code\.( .+)?",
    r"Gift card ••••\w{4} (holds \d+\.\d\d|was voided|is blocked: .+|expired on .+)\.",
    r"Too many wrong gift card codes: wait a minute before trying another\.",
    r".+ may pay at most \d+\.\d\d of this sale: the \d+\.\d\d of stored value is paid "
    r"in money now\.",
    # Values that must be unique.
    r"Product with this SKU already exists\.",
    r"Another product has this barcode\.",
    r"This code is already a gift card: reload it instead\.",
    r"(S|s)tore with this (C|c)ode already exists\.",
    r"The store already has a till of this name\.",
    r"A store's code is printed on its receipts and cannot change\.",
    # Phone numbers follow numbering plans (libphonenumber), and email addresses
    # Django's validator; the schema says they are text.
    r"Enter a valid phone number, e\.g\. 555-201-0123 or \+44 20 7946 0958\.",
    r"Enter a valid email address\.",
    # Time zones are names from the tz database; the schema says they are text.
    r"Choose a time zone such as Europe/London or America/New_York\.",
    # A report's period: its order and length, and dates a report can reach.
    r"The end date is before the start date\.",
    r"Ask for at most \d+ days at a time\.",
    r"Enter a date (from 2000-01-01 on|before 9999-01-01)\.",
    # A birthday must not be in the future: a range that moves with today's date.
    r"Enter a birthday between 1900-01-01 and today\.",
    # Credentials: a schema says what a password looks like, not which one is right.
    r"Unable to log in with provided credentials\.",
    # An uploaded import file's content: CSV text whose header names customer columns.
    r"The file is not .+ text\. Choose the encoding it was saved in .+",
    # A file of another kind altogether (an image, a PDF), named by its first bytes.
    r"This looks like .+: (export|save|unpack) .+",
    r"The file is not readable as CSV: .+",
    r"The file is empty: .+",
    r"No column of the file is a customer field\. .+",
    r"Unknown encoding .+",
    r"Map a column as .+",
    # A page's cursor is opaque: only one that a list's next or previous link gave names a row.
    r"This cursor is (not one the list gave|from a list sorted differently)\.",
    # Data tools on rows as they are: the typed name, merging a customer with itself.
    r"Type the customer's current name exactly to confirm the erasure\.",
    r"A customer cannot be merged into itself\.",
    # A note's alert flags the note: the one the customer already has (a PATCH), or the one
    # sent with it, given once (JSON Schema cannot compare two values).
    r"Write the note the till should show: an alert needs one\.",
    r"Give the note once: in note or in alert\.text\.",
}


def _refused_only_for_rules_beyond_the_schema(response) -> bool:
    if response.status_code != 400:
        return False
    errors = response.json().get("errors", {})
    messages = [message for field in errors.values() for message in field]
    return bool(messages) and all(
        any(re.fullmatch(rule, message) for rule in RULES_BEYOND_THE_SCHEMA) for message in messages
    )


def schema_valid_request_accepted(ctx, response, case):
    """Schemathesis' positive_data_acceptance, except for the rules above."""
    try:
        return checks.positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if _refused_only_for_rules_beyond_the_schema(response):
            return None
        raise


@pytest.fixture(scope="session")
def served_api_schema():
    """Build the schema when the test runs, not when pytest collects the module: building it
    costs seconds, which every collection of the suite (and each xdist worker) paid."""
    loaded = schemathesis.openapi.from_dict(_served_schema(), config=CONFIG)
    loaded.app = get_wsgi_application()
    return loaded


schema = schemathesis.pytest.from_fixture("served_api_schema")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    """Schemathesis' fixture-built schema renames the test node per operation through
    ``_nodeid``, an attribute pytest 9 no longer has: give it one to rename."""
    request.node._nodeid = request.node.nodeid


@pytest.fixture
def keep_test_connection():
    """Keep the test's database connection open across in-process WSGI requests.

    Django closes connections when a request finishes; inside the test's
    transaction that would lose it. Django's own test client does the same.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token_for_operation(manager, keep_test_connection):
    """Run each operation as if it were a test of its own: on the database as the test began
    (a savepoint rolled back to), with an empty cache and a token of its own. Operations are
    subtests of one test, and one's rows (a product made inactive, a revoked token) must not
    decide another's answers."""
    savepoint = transaction.savepoint()
    current = {"operation": None, "token": None}

    def token(operation: str) -> str:
        if current["operation"] != operation:
            transaction.savepoint_rollback(savepoint)
            cache.clear()
            current.update(operation=operation, token=AuthToken.objects.create(manager)[1])
        return current["token"]

    yield token
    transaction.savepoint_rollback(savepoint)


@pytest.mark.django_db
@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_every_operation_keeps_its_contract(case, manager, token_for_operation):
    token = token_for_operation(case.operation.label)
    if case.method == "DELETE" and case.path == "/api/auth/token":
        # Revoking the token must not log the rest of the run out.
        token = AuthToken.objects.create(manager)[1]
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        excluded_checks=[checks.positive_data_acceptance],
        additional_checks=[schema_valid_request_accepted],
    )
