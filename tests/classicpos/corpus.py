"""The bad input the corpus (``test_bad_input_corpus.py``) sends, and how it judges the
answers: bodies, values, queries and ids no client should send, the write and list routes
read from the URL conf, each write's fields read from the API schema, and the faults an
answer can have (a server error, or a 4xx that is not a problem document).

Kept apart from the tests so the corpus's module stays readable; what it sends is here.
"""

import re

from django.db import connection, transaction
from drf_spectacular.generators import SchemaGenerator

from tests.api_helpers import PROBLEM
from tests.classicpos.routes import url_conf_cells

HUGE = 10**30
# How a router's format-suffix route ends, and how the same route without it ends.
SUFFIX_TAIL, PLAIN_TAIL = r"/?\.(?P<format>[a-z0-9]+)/?$", "/?$"
DEEP = 5000

# Whole bodies: (content type, raw body).
BAD_BODIES = [
    ("application/json", b'{"name": '),
    ("application/json", b"{'name': 'single quotes'}"),
    ("application/json", b"\xff\xfe not utf-8"),
    ("application/json", b""),
    ("application/json", b"[]"),
    ("application/json", b'[{"name": "in a list"}]'),
    ("application/json", b'"a string"'),
    ("application/json", b"42"),
    ("application/json", b"null"),
    ("application/json", b"true"),
    ("application/json", b"NaN"),
    ("application/json", b'{"x": Infinity}'),
    ("application/json", b'{"name": "\\ud800"}'),
    ("application/json", b'{"\\ud800": 1}'),
    ("application/json", b'{"name": "Ada", "\\udfff": "\\ud800"}'),
    ("application/json", b'{"name": "a\\u0000b"}'),
    ("application/json", b"[" * DEEP + b"]" * DEEP),
    ("application/json", b'{"a":' * DEEP + b"1" + b"}" * DEEP),
    ("application/json", b'{"a": 1, "a": 2}'),
    ("text/plain", b'{"name": "Ada"}'),
    ("application/x-www-form-urlencoded", b"name=Ada&points=%C2%B2"),
    (
        "multipart/form-data; boundary=x",
        b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--",
    ),
    ("application/xml", b"<name>Ada</name>"),
    ("application/json; charset=latin-1", '{"name": "Zoë"}'.encode("latin-1")),
]
# Values given to every field of a body at once.
BAD_VALUES = [
    "a\x00b",
    "\ud800",
    "\u202eevil\u202c",
    "x" * 100_000,
    "²",
    "12",
    "-1",
    "1e400",
    "NaN",
    "",
    "   ",
    12,
    -1,
    0,
    HUGE,
    -HUGE,
    2**63,
    2**31,
    "9999999999.99",
    "\u0661\u0662",
    "1_000",
    1.5,
    1e308,
    True,
    None,
    [],
    {},
    [1, 2],
    {"nested": {"deeper": ["x"]}},
]
BAD_QUERIES = [
    f"page={HUGE}",
    f"page={2**63}",
    "page=-1",
    "page=²",
    f"pageSize={HUGE}",
    "pageSize=0",
    "pageSize=²",
    "pageSize=1e3",
    "page=1&page=2",
    "createdAfter=9999-12-31T23:59:59-23:59",
    "createdAfter=0592-12-03T15:05:58%2B18:28",
    "createdBefore=0001-01-01T00:00:00%2B23:59",
    "customer=" + "9" * 30,
    "customer=%00",
    "search=%00",
    "search=" + "x" * 10_000,
    "ordering=%00",
    "status=%ED%A0%80",
    # Statement periods at the ends of the calendar (the default start is 30 days before).
    "to=0001-01-01",
    "from=0001-01-01&to=0001-01-01",
    "to=9999-12-31",
    "from=9999-12-31&to=9999-12-31",
]
# Answers known to be wrong, in code this test's author may not change: (kind, method,
# route) -> labels. Fix the code, then remove them here (the test says when).
KNOWN_FAULTS: dict[tuple[str, str, str], set[str]] = {}

# The same, on PostgreSQL only.
KNOWN_POSTGRES_FAULTS: dict[tuple[str, str, str], set[str]] = {}

# Ids in the path that name nothing a database can hold.
BAD_IDS = [str(2**63), str(2**64), "9" * 30, "0", "00000000001"]

WRITE_CELLS = [
    (route, method)
    for route, method in url_conf_cells()
    if route.startswith("api/") and method in ("POST", "PUT", "PATCH")
]
LIST_ROUTES = sorted(
    route
    for route, method in url_conf_cells()
    if route.startswith("api/^") and method == "GET" and "(?P<pk>" not in route
)


def request_fields() -> dict[tuple[str, str], list[str]]:
    """Return the body fields of each write operation, read from the API schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    fields = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is None:
                continue
            name = body["schema"]["$ref"].rsplit("/", 1)[-1]
            fields[(path.rstrip("/"), method.upper())] = list(components[name]["properties"])
    return fields


FIELDS = request_fields()


def schema_path(url: str, shop) -> str:
    """Return the schema's path for a concrete URL (/api/customers/3 -> /api/customers/{id})."""
    path = url.rstrip("/")
    path = re.sub(
        rf"/customers/{shop.ids['customers']}/(?=[a-z])", "/customers/{customer_id}/", path
    )
    return re.sub(r"/\d+(?=/|$)", "/{id}", path)


def fault(response, *, api: bool = True) -> str | None:
    """Return what is wrong with an answer to bad input, or None when it is a fine refusal."""
    if response.status_code >= 500:
        return f"{response.status_code}"
    if api and 400 <= response.status_code < 500:
        if not response["Content-Type"].startswith(PROBLEM):
            return f"{response.status_code} {response['Content-Type']}"
        body = response.json()
        if not {"type", "title", "status", "detail"} <= set(body):
            return f"{response.status_code} without the problem members"
        if body["status"] != response.status_code:
            return f"{response.status_code} with status {body['status']}"
    return None


class Faults:
    """The bad inputs an endpoint answered wrongly, compared at the end with the known ones."""

    def __init__(self, key):
        self.key = key
        self.found = set()

    def check(self, label: str, send, *, api: bool = True) -> None:
        """Send one request (``send()``) and note its label if the answer is wrong.

        Each request runs in a savepoint that is rolled back: its writes are undone, and
        a database error (PostgreSQL aborts the transaction) does not spill into the next.
        """
        with transaction.atomic():
            response = send()
            transaction.set_rollback(True)
        if fault(response, api=api) is not None:
            self.found.add(label)

    def assert_only_known(self) -> None:
        known = set(KNOWN_FAULTS.get(self.key, set()))
        if connection.vendor == "postgresql":
            known |= KNOWN_POSTGRES_FAULTS.get(self.key, set())
        assert self.found <= known, f"{self.key}: server errors for {sorted(self.found - known)}"
        assert known <= self.found, (
            f"{self.key} handles {sorted(known - self.found)} now: remove them from KNOWN_FAULTS"
        )
