"""A corpus of bad input against every write endpoint and form: never a 5xx.

The write endpoints (POST, PUT, PATCH) and staff pages come from the URL conf,
so a new one is covered the day it is added. Each gets malformed JSON, wrong
content types, the wrong JSON shape, and every field of its request body set to
each bad value (NUL bytes, lone surrogates, huge and fractional numbers, numbers
as strings, overlong text, deep nesting), lone surrogates as keys and inside
objects; lists get huge page numbers and sizes, statement dates at the ends of the
calendar, and cursors forged from real ones; every route's format suffix
(``/export.json``) is asked too, and the import reads CSV files encoded as
something else (base64, hex, rot13). The API answers each with a 4xx problem
document (or accepts it); a page answers anything but a server error. Every
amount field the schema lists must also refuse amounts no till writes (Unicode
digits, ``1_000``, exponents) and sums past the money columns, with a 400 naming
the field.
"""

import base64
import codecs
import json
import re
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import get_resolver
from drf_spectacular.generators import SchemaGenerator

from classicpos.limits import MAX_AMOUNT
from customers.models import Customer
from tests.accounting.helpers import give_credit
from tests.api_helpers import assert_problem
from tests.classicpos.corpus import (
    BAD_BODIES,
    BAD_IDS,
    BAD_QUERIES,
    BAD_VALUES,
    FIELDS,
    HUGE,
    LIST_ROUTES,
    PLAIN_TAIL,
    SUFFIX_TAIL,
    WRITE_CELLS,
    Faults,
    schema_path,
)
from tests.classicpos.routes import FORMAT_SUFFIX, cells, methods, routes, url_conf_cells
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(module_shop):
    """The shop written once for the module (tests/classicpos/conftest.py)."""
    return module_shop


@pytest.fixture
def manager(module_manager):
    """The Manager the module's shop was written with: every test, the file imports' too,
    starts from the same rows."""
    return module_manager


@pytest.fixture
def manager_client(manager):
    client = Client(raise_request_exception=False)
    client.force_login(manager)
    return client


def _url(shop, route: str) -> str:
    return shop.url(route)


def _label(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}... ({len(text)} characters)"


@pytest.mark.parametrize(("route", "method"), cells(WRITE_CELLS))
def test_bad_bodies_never_cause_a_server_error(shop, manager_client, route, method):
    url = _url(shop, route)
    faults = Faults(("bodies", method, route))
    for content_type, body in BAD_BODIES:
        faults.check(
            f"{content_type} {_label(body)}",
            lambda body=body, kind=content_type: manager_client.generic(
                method, url, body, content_type=kind
            ),
        )
    faults.assert_only_known()


@pytest.mark.parametrize(("route", "method"), cells(WRITE_CELLS))
def test_bad_values_in_every_field_never_cause_a_server_error(shop, manager_client, route, method):
    url = _url(shop, route)
    fields = FIELDS.get((schema_path(url, shop), method), ["name"])
    faults = Faults(("values", method, route))
    for value in BAD_VALUES:
        body = json.dumps(dict.fromkeys(fields, value))
        faults.check(
            _label(value),
            lambda body=body: manager_client.generic(
                method, url, body, content_type="application/json"
            ),
        )
        # The same value inside a list of rows (sale and refund lines, payments).
        row = {"productId": value, "quantity": value, "saleLineId": value, "amount": value}
        nested = json.dumps({field: [row] for field in fields})
        faults.check(
            f"[{_label(value)}]",
            lambda nested=nested: manager_client.generic(
                method, url, nested, content_type="application/json"
            ),
        )
        # The same value in an object of named choices (a merge's valuesFrom).
        named = json.dumps(
            {field: dict.fromkeys(("name", "email", "x"), value) for field in fields}
        )
        faults.check(
            f"{{{_label(value)}}}",
            lambda named=named: manager_client.generic(
                method, url, named, content_type="application/json"
            ),
        )
    faults.assert_only_known()


@pytest.mark.parametrize(("route", "method"), cells(WRITE_CELLS))
def test_ids_no_database_can_hold_never_cause_a_server_error(shop, manager_client, route, method):
    url = _url(shop, route)
    if not re.search(r"/\d+/", url):
        pytest.skip("no id in this path")
    faults = Faults(("ids", method, route))
    for bad_id in BAD_IDS:
        bad_url = re.sub(r"/\d+/", f"/{bad_id}/", url, count=1)
        faults.check(
            bad_id,
            lambda bad_url=bad_url: manager_client.generic(
                method, bad_url, "{}", content_type="application/json"
            ),
        )
    faults.assert_only_known()


@pytest.mark.parametrize("route", LIST_ROUTES)
def test_bad_list_parameters_never_cause_a_server_error(shop, manager_client, route):
    url = _url(shop, route)
    faults = Faults(("queries", "GET", route))
    for query in BAD_QUERIES:
        faults.check(_label(query), lambda query=query: manager_client.get(f"{url}?{query}"))
    faults.assert_only_known()


# Every route a router adds with a format suffix (``/api/customers/1/timeline.json``):
# the same view, asked for a format it may or may not render.
SUFFIX_CELLS = [
    (route, method)
    for route, pattern in routes(get_resolver().url_patterns)
    if route.startswith("api/^") and FORMAT_SUFFIX.search(route)
    for method in methods(pattern)
    if method != "HEAD"
]


@pytest.mark.parametrize(("route", "method"), cells(SUFFIX_CELLS))
def test_format_suffix_routes_never_cause_a_server_error(shop, manager_client, route, method):
    url = _url(shop, route.replace(SUFFIX_TAIL, PLAIN_TAIL)).rstrip("/")
    faults = Faults(("suffixes", method, route))
    for suffix in ("json", "api", "csv", "xml"):
        faults.check(
            suffix,
            lambda suffix=suffix: manager_client.generic(
                method, f"{url}.{suffix}", "{}", content_type="application/json"
            ),
            # The browsable API (.api) shows a problem in its HTML page.
            api=suffix != "api",
        )
    faults.assert_only_known()


# What a forged cursor holds instead of a sort key: numbers and dates past what a
# column or the calendar holds (a time zone can push year 1 before it), and text.
FORGED_KEYS = [
    2**63,
    -(2**63) - 1,
    10**30,
    "0001-01-01T00:00:00+23:59",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01",
    "NaN",
    "Infinity",
    "1e400",
    "²",
    "x",
    "",
]


def _cursor(document) -> str:
    return base64.urlsafe_b64encode(json.dumps(document).encode()).decode().rstrip("=")


def _real_cursor(client, url: str) -> tuple[str, list] | None:
    """Return the sort's name and keys in the cursor of a list's first page, if it has one."""
    answer = client.get(url, {"pageSize": 1})
    if answer.status_code != 200 or answer["Content-Type"] != "application/json":
        return None  # a download (the export) has no cursor
    if not isinstance(answer.json(), dict):
        return None  # a report of bounded rows (sales by store) is not paged
    link = answer.json().get("next")
    after = parse_qs(urlsplit(link).query).get("after") if link else None
    if not after:
        return None
    name, keys = json.loads(base64.urlsafe_b64decode(after[0] + "=" * (-len(after[0]) % 4)))
    return name, keys


@pytest.mark.parametrize("route", LIST_ROUTES)
def test_forged_cursors_never_cause_a_server_error(shop, manager_client, route):
    """A cursor is base64 JSON anyone can read and rewrite: keep its sort, change a key."""
    CustomerFactory()  # two of everything a list pages through
    give_credit(Customer.objects.get(pk=shop.ids["customers"]), "500.00", None)
    url = _url(shop, route)
    real = _real_cursor(manager_client, url)
    if real is None:
        pytest.skip("this list has no cursor")
    name, keys = real
    faults = Faults(("cursors", "GET", route))
    for index in range(len(keys)):
        for value in FORGED_KEYS:
            forged = _cursor([name, [*keys[:index], value, *keys[index + 1 :]]])
            for query in (f"after={forged}", f"before={forged}", f"after={forged}&page={HUGE}"):
                faults.check(
                    f"{query.split('=')[0]} key {index} = {_label(value)}",
                    lambda query=query: manager_client.get(f"{url}?pageSize=1&{query}"),
                )
    real_cursor = _cursor([name, keys])
    for query in (f"page={HUGE}", f"page={2**31}", "page=2"):
        for side in ("after", "before"):
            faults.check(
                f"{side} the real cursor, {query}",
                lambda query=query, side=side: manager_client.get(
                    f"{url}?pageSize=1&{side}={real_cursor}&{query}"
                ),
            )
    faults.assert_only_known()


def test_forged_cursors_reach_the_lists_that_page_by_key(shop, manager_client):
    """The test above is only as good as the cursors it finds: the main lists give one."""
    CustomerFactory()
    for path in ("/api/customers", "/api/customers?ordering=-createdAt"):
        assert _real_cursor(manager_client, path) is not None, path


CSV_TEXT = "name,email,phone\nAda Lovelace,ada@example.com,555-201-0123\nBo,bo@example.com,\n"
# A CSV file saved, pasted or mangled as something else.
ENCODED_CSV = {
    "base64": base64.b64encode(CSV_TEXT.encode()),
    "hex": CSV_TEXT.encode().hex().encode(),
    "rot13": codecs.encode(CSV_TEXT, "rot13").encode(),
    "utf-16": CSV_TEXT.encode("utf-16"),
    "utf-32": CSV_TEXT.encode("utf-32"),
    "zlib": zlib.compress(CSV_TEXT.encode()),
    "NUL bytes": b"\x00" * 64,
}


def test_csv_files_in_other_encodings_never_cause_a_server_error(manager_client):
    faults = Faults(("import", "POST", "customers/import"))
    for label, content in ENCODED_CSV.items():
        for dry_run in ("true", "false"):
            faults.check(
                f"API {label} dryRun={dry_run}",
                lambda content=content, dry_run=dry_run: manager_client.post(
                    "/api/customers/import",
                    {"file": SimpleUploadedFile("c.csv", content, "text/csv"), "dryRun": dry_run},
                ),
            )
        for action in ("check", "import"):
            faults.check(
                f"page {label} {action}",
                lambda content=content, action=action: manager_client.post(
                    "/customers/import/",
                    {"file": SimpleUploadedFile("c.csv", content, "text/csv"), "action": action},
                ),
                api=False,
            )
    faults.assert_only_known()


PAGE_CELLS = [
    (route, method)
    for route, method in url_conf_cells()
    if not route.startswith(("api/", "accounts/")) and method in ("GET", "POST")
]
PAGE_VALUES = [
    "²",
    "a\x00b",
    str(HUGE),
    "-1",
    "1.5",
    "x" * 10_000,
    "",
    "\u202e",
    "0001-01-01",
    "//evil.example/",
]


@pytest.mark.parametrize(("route", "method"), cells(PAGE_CELLS))
def test_pages_never_cause_a_server_error(shop, manager_client, route, method):
    url = _url(shop, route)
    form = manager_client.get(url)
    # Every field the page's form has, plus the parameters pages read by hand.
    html = b"" if form.streaming else form.content  # a CSV download has no form
    names = set(re.findall(rb'name="([\w-]+)"', html)) - {b"csrfmiddlewaretoken"}
    names = {name.decode() for name in names} | {"customer", "exclude", "next", "page", "status"}
    faults = Faults(("pages", method, route))
    for value in PAGE_VALUES:
        data = dict.fromkeys(names, value)
        if method == "POST":
            post = lambda data=data: manager_client.post(url, data)  # noqa: E731
            faults.check(f"POST {_label(value)}", post, api=False)
        get = lambda data=data: manager_client.get(url, data)  # noqa: E731
        faults.check(f"GET {_label(value)}", get, api=False)
    faults.assert_only_known()


# Amounts that ``Decimal()`` reads but no till writes, and one past the money columns
# (issue 27 #20, #26): each is a 400 naming its field, never accepted, never a 5xx.
# Fields that carry money though their schema is plain text (the service reads them).
MONEY_FIELD_NAMES = ("amount", "creditLimit", "discount", "price")
# Decimals that are fractions, not money: a store's tax rate (0.0725) is checked against
# its own bounds (tests/stores/test_api.py), not the amounts' shapes and limits.
RATE_FIELD_NAMES = ("taxRate",)
AMOUNT_SHAPES = ["\u0661\u0662", "\uff11\uff12", "1_000", "1e3", "+5", "Infinity", "10000000000.00"]


def _amount_fields() -> set[tuple[str, str, str]]:
    """Return ``(path, method, field)`` of every amount in a request body, read from the schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]

    def walk(name: str, prefix: str):
        for field, field_schema in components[name].get("properties", {}).items():
            items = field_schema.get("items", {})
            if "$ref" in items:
                yield from walk(items["$ref"].rsplit("/", 1)[-1], f"{prefix}{field}[].")
            elif field in RATE_FIELD_NAMES:
                continue
            elif field_schema.get("format") == "decimal" or field in MONEY_FIELD_NAMES:
                yield prefix + field

    found = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None:
                name = body["schema"]["$ref"].rsplit("/", 1)[-1]
                found |= {(path.rstrip("/"), method.upper(), f) for f in walk(name, "")}
    return found


def _amount_requests(shop) -> dict:
    """Return, per amount field, its URL, the error key and a body right but for the amount."""
    customer, product, invoice = (shop.ids[key] for key in ("customers", "products", "invoices"))

    def sale(amount="20.00", discount="0.00", line_discount=None):
        line = {"productId": product, "quantity": 1}
        if line_discount is not None:
            line["discount"] = line_discount
        return {
            "lines": [line],
            "discount": discount,
            "payments": [{"method": "cash", "amount": amount}],
        }

    def renamed(amount):
        return {"sku": "CORPUS-1", "name": "Corpus", "price": amount}

    requests = {}
    for path in ("/api/sales", "/api/sales/quote"):
        requests[(path, "POST", "payments[].amount")] = (
            path,
            "payments[0].amount",
            lambda v: sale(amount=v),
        )
        requests[(path, "POST", "discount")] = (path, "discount", lambda v: sale(discount=v))
        requests[(path, "POST", "lines[].discount")] = (
            path,
            "lines[0].discount",
            lambda v: sale(line_discount=v),
        )
    requests[("/api/products", "POST", "price")] = ("/api/products", "price", renamed)
    for method in ("PUT", "PATCH"):
        requests[("/api/products/{id}", method, "price")] = (
            f"/api/products/{product}",
            "price",
            renamed,
        )
    requests[("/api/invoices/{id}/payments", "POST", "amount")] = (
        f"/api/invoices/{invoice}/payments",
        "amount",
        lambda v: {"amount": v, "method": "cash"},
    )
    requests[("/api/customers/{customer_id}/store-credit-adjustments", "POST", "amount")] = (
        f"/api/customers/{customer}/store-credit-adjustments",
        "amount",
        lambda v: {"amount": v, "reason": "Corpus"},
    )
    requests[("/api/gift-cards", "POST", "amount")] = (
        "/api/gift-cards",
        "amount",
        lambda v: {"amount": v},
    )
    for field in ("qualifyingSpend", "multiplier"):
        requests[("/api/loyalty/tiers", "POST", f"tiers[].{field}")] = (
            "/api/loyalty/tiers",
            f"tiers[0].{field}",
            lambda v, field=field: {
                "tiers": [
                    {"name": "Corpus", "qualifyingSpend": "1.00", "multiplier": "1", field: v}
                ],
                "dryRun": True,
            },
        )
    requests[("/api/customers/{customer_id}/account", "PATCH", "creditLimit")] = (
        f"/api/customers/{customer}/account",
        "creditLimit",
        lambda v: {"creditLimit": v},
    )
    return requests


def test_every_amount_field_refuses_amounts_no_till_writes(shop, manager_client):
    requests = _amount_requests(shop)
    fields = _amount_fields()
    assert fields <= set(requests), (
        f"amount fields the corpus does not send to: {fields - set(requests)}"
    )
    for path_method_field in sorted(fields):
        method = path_method_field[1]
        url, key, body = requests[path_method_field]
        for amount in AMOUNT_SHAPES:
            with transaction.atomic():
                response = manager_client.generic(
                    method, url, json.dumps(body(amount)), content_type="application/json"
                )
                transaction.set_rollback(True)
            assert key in assert_problem(response, 400)["errors"], (method, url, amount)


def test_sums_past_the_money_columns_are_a_400_naming_the_field(shop, manager_client):
    """The figures worked out from amounts that each fit: a sale's payments, a balance."""
    largest = str(MAX_AMOUNT)
    two_payments = {
        "lines": [{"productId": shop.ids["products"], "quantity": 1}],
        "payments": [{"method": "cash", "amount": largest}] * 2,
    }
    credit = {"amount": largest, "reason": "Corpus"}
    adjustments = f"/api/customers/{shop.ids['customers']}/store-credit-adjustments"
    for url, bodies, key in [
        ("/api/sales", [two_payments], "payments"),
        ("/api/sales/quote", [two_payments], "payments"),
        (adjustments, [credit, credit], "amount"),
    ]:
        with transaction.atomic():
            for body in bodies[:-1]:
                assert (
                    manager_client.post(url, body, content_type="application/json").status_code
                    < 300
                )
            response = manager_client.post(url, bodies[-1], content_type="application/json")
            transaction.set_rollback(True)
        assert key in assert_problem(response, 400)["errors"], url
    assert manager_client.get("/api/sales").status_code == 200
