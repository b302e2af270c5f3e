"""The dependency direction holds: ``stores`` knows no other app, ``customers`` knows only
``stores``, ``sales`` knows only those two, and ``classicpos`` (the project package) names
none of them."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import get_resolver

ROOT = Path(__file__).resolve().parents[2]
APPS = {
    "stores",
    "customers",
    "sales",
    "loyalty",
    "accounting",
    "giftcards",
    "crm",
    "messaging",
    "selfservice",
}


def imported_apps(package: str) -> dict[str, set[str]]:
    """Return, per source file of ``package``, the project apps it imports."""
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names & APPS - {package}
    return found


@pytest.mark.parametrize(
    ("package", "allowed"),
    [
        ("classicpos", set()),
        ("stores", set()),
        ("customers", {"stores"}),
        ("sales", {"customers", "stores"}),
    ],
)
def test_lower_packages_import_no_higher_app(package, allowed):
    offending = {
        path: apps - allowed for path, apps in imported_apps(package).items() if apps - allowed
    }
    assert offending == {}


def _is_docstring(statement) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _code_without_comments(path: Path) -> str:
    """Python without comments and docstrings; JavaScript without comments; templates as is."""
    text = path.read_text()
    if path.suffix == ".py":
        tree = ast.parse(text)
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and _is_docstring(body[0]):
                body[0] = ast.Pass()
        return ast.unparse(tree)
    if path.suffix == ".js":
        return re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)
    return text


def test_sales_code_names_no_other_modules_payment_methods():
    # Points and on-account belong to loyalty and accounting, gift cards to giftcards; sales
    # only knows the registries' flags (needs a customer, refunded in kind, gives change,
    # stored value).
    folders = [ROOT / "sales", ROOT / "templates" / "sales", ROOT / "static" / "sales"]
    hits = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.suffix not in (".py", ".html", ".js") or "migrations" in path.parts:
                continue
            code = _code_without_comments(path)
            for word in ("points", "on_account", "loyalty", "store_credit", "gift"):
                if re.search(word, code, re.IGNORECASE):
                    hits.append(f"{path.relative_to(ROOT)}: {word}")
    assert hits == []


def test_every_apps_api_routes_are_gathered_in_the_browsable_root(manager_client):
    root = manager_client.get("/api/", HTTP_ACCEPT="application/json").json()
    assert {"customers", "products", "sales", "loyalty-transactions", "invoices", "leads"} <= set(
        root
    )


def _permission_names(app_label: str) -> set[str]:
    """Every permission ``app_label``'s models define: Django's defaults and their own."""
    names = set()
    for model in apps.get_app_config(app_label).get_models():
        codenames = [
            f"{action}_{model._meta.model_name}" for action in model._meta.default_permissions
        ]
        codenames += [codename for codename, _ in model._meta.permissions]
        names |= {f"{app_label}.{codename}" for codename in codenames}
    return names


@pytest.mark.parametrize(
    "package", ["customers", "sales", "crm", "accounting", "giftcards", "messaging", "selfservice"]
)
def test_permission_names_are_spelled_only_in_the_apps_permissions_module(package):
    # A typo in a string is a page nobody may open; a typo in a constant's name fails at import.
    names = set().union(*(_permission_names(app) for app in APPS))
    hits = []
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts or path.name == "permissions.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and node.value in names:
                hits.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}")
    assert hits == []


# The order apps may import each other in; every other app is a module above them all.
LAYERS = {"stores": 0, "customers": 1, "sales": 2}
MODULES_LAYER = 3


def _route_segments() -> dict[str, set[str]]:
    """Per app, the first segments of its pages' and API routes that it alone, or it and apps
    above it, use.

    ``invoices`` is accounting's, ``checkout`` sales'; ``api/sales`` stays sales' though
    messaging adds ``/api/sales/:id/email-receipt`` under it, and ``customers`` is customers'
    though an account statement lives under it. A segment two modules of one layer share
    would be no one's mark.
    """
    owners: dict[str, set[str]] = {}

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, route)
                continue
            app = pattern.callback.__module__.split(".")[0]
            parts = [part.strip("^$") for part in route.split("/") if part.strip("^$")]
            if parts[:1] == ["api"]:
                parts = [f"api/{parts[1]}"] if len(parts) > 1 else []
            if parts and app in APPS and "<" not in parts[0]:
                owners.setdefault(parts[0], set()).add(app)

    walk(get_resolver().url_patterns)
    segments: dict[str, set[str]] = {}
    for segment, apps_using in owners.items():
        lowest = min(LAYERS.get(app, MODULES_LAYER) for app in apps_using)
        at_lowest = [app for app in apps_using if LAYERS.get(app, MODULES_LAYER) == lowest]
        if len(at_lowest) == 1:
            segments.setdefault(at_lowest[0], set()).add(segment)
    return segments


def _names_of(app: str, segments: set[str]) -> re.Pattern:
    """How a template or script names ``app``: its URL names, template and static paths,
    permissions, and the addresses of its pages and API."""
    paths = "|".join(re.escape(segment) for segment in sorted(segments))
    ways = [
        rf"""['"]{app}[:/]""",  # {% url 'sales:checkout' %}, {% static 'sales/x.js' %}
        rf"\bperms\.{app}\.",
        rf"""['"]{app}\.[a-z_]+['"]""",  # "sales.add_sale"
    ]
    if paths:
        ways.append(rf"""['"`]/(?:{paths})(?:/|['"`?])""")  # "/invoices/", "/api/sales"
    return re.compile("|".join(ways))


# What each shared folder may name, besides itself: nothing above it.
SHARED_FOLDERS = {
    "templates/partials": set(),
    "templates/customers": {"customers"},
    "static/classicpos": set(),
    "static/customers": {"customers"},
}
# Findings that are right, each with its reason: "path: app".
NAMING_ALLOWED: dict[str, str] = {}


@pytest.mark.parametrize(("folder", "allowed"), SHARED_FOLDERS.items())
def test_shared_templates_and_scripts_name_no_higher_app(folder, allowed):
    segments = _route_segments()
    hits = []
    for path in sorted((ROOT / folder).rglob("*")):
        if path.suffix not in (".html", ".js", ".css"):
            continue
        code = _code_without_comments(path)
        for app in sorted(APPS - allowed):
            finding = f"{path.relative_to(ROOT)}: {app}"
            named = _names_of(app, segments.get(app, set())).search(code)
            if named and finding not in NAMING_ALLOWED:
                hits.append(finding)
    assert hits == []


def test_the_scan_recognises_each_way_of_naming_an_app():
    segments = _route_segments()
    assert {"invoices", "api/invoices"} <= segments["accounting"]
    assert "customers" not in segments.get("accounting", set())
    sales = _names_of("sales", segments["sales"])
    for code in (
        "{% url 'sales:checkout' %}",
        '<script src="{% static "sales/checkout.js" %}">',
        "{% if perms.sales.refund_sale %}",
        "fetch('/api/sales/quote')",
        'href="/checkout/"',
    ):
        assert sales.search(code), code
    assert not sales.search("Merging moves the other's sales to it.")
