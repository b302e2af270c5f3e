"""Schemathesis fuzzes every API operation against the project's own OpenAPI schema.

The schema is the one ``/api/schema/`` serves; each operation is a test of its own
(parametrized by the operation's label, so that pytest-xdist spreads them), which runs that
operation's cases. Requests go through the WSGI application in-process, as a Manager
with a knox token. Each operation gets
schema-valid and schema-violating requests (examples, coverage and fuzzing
phases) with a fixed seed and a bounded number of examples, and every answer must
be: no server error, a documented status code and content type, a body that
matches the schema, valid data accepted and invalid data refused.
"""

import json
import re
from contextvars import ContextVar

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
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
    r"(Points|Voucher|On account|Store credit) payments need a customer\.",
    # Sums that depend on the prices and balances in the database.
    r"The discount cannot be more than the subtotal of \d+\.\d\d\.",
    r"Payments of \d+\.\d\d do not cover the total of \d+\.\d\d\.",
    r"Add a payment of \d+\.\d\d\.",
    r"Only .+ may exceed the total of \d+\.\d\d\.",
    # A customer's vouchers are the database's: none, or less than the payment.
    r".+ has no voucher to use\.",
    r".+'s vouchers pay at most \d+\.\d\d\.",
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


# The served schema, built once per process when pytest collects the module: its
# operations name this module's tests, one each, so that pytest-xdist spreads them over
# its workers (in one test they were two minutes of one worker). Building the document
# costs a few tenths of a second; generating an operation's cases, much more, is left to
# its test.
SERVED_SCHEMA = _served_schema()
# The keys of an OpenAPI path item that are operations (the others: its parameters, etc.).
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
OPERATIONS = [
    f"{method.upper()} {path}"
    for path, item in SERVED_SCHEMA["paths"].items()
    for method in item
    if method in HTTP_METHODS
]
# The operation the running test was given (served_api_schema sets it).
_OPERATION_OF_THE_TEST: ContextVar[str] = ContextVar("operation_of_the_test")


@pytest.fixture(scope="session")
def _loaded_api_schema():
    """The served schema loaded into Schemathesis, once per process, calling the WSGI
    application in-process."""
    loaded = schemathesis.openapi.from_dict(SERVED_SCHEMA, config=CONFIG)
    loaded.app = get_wsgi_application()
    return loaded


@pytest.fixture
def served_api_schema(request, _loaded_api_schema):
    """The whole schema, of which the test runs only the operation it was parametrized with
    (``request.param``, its label: ``GET /api/customers``), through ``_is_the_tests_operation``."""
    reset = _OPERATION_OF_THE_TEST.set(request.param)
    yield _loaded_api_schema
    _OPERATION_OF_THE_TEST.reset(reset)


def _is_the_tests_operation(context) -> bool:
    return context.operation.label == _OPERATION_OF_THE_TEST.get()


schema = schemathesis.pytest.from_fixture("served_api_schema").include(_is_the_tests_operation)


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
def manager_token(manager, keep_test_connection) -> str:
    """A knox token of the test's own. Each operation is a test of its own: it starts from
    the database as the test began and an empty cache, and one operation's rows (a product
    made inactive, a revoked token) never decide another's answers."""
    return AuthToken.objects.create(manager)[1]


@pytest.mark.django_db
@pytest.mark.parametrize("served_api_schema", OPERATIONS, indirect=True)
@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_every_operation_keeps_its_contract(case, manager, manager_token):
    token = manager_token
    if case.method == "DELETE" and case.path == "/api/auth/token":
        # Revoking the token must not log the rest of the operation's cases out.
        token = AuthToken.objects.create(manager)[1]
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        excluded_checks=[checks.positive_data_acceptance],
        additional_checks=[schema_valid_request_accepted],
    )
