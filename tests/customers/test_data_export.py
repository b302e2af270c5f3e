"""A customer's "Download my data": every module's rows, as JSON or a ZIP of CSVs.

The sections come from the registry each module fills
(``customers.extensions.register_data_export_section``), so the coverage test reads
the registry: a model with a foreign key to Customer that no section exports fails
it, by name, unless it is listed below with the reason it is left out.
"""

import csv
import io
import json
import zipfile

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounting import services as accounting
from accounting.reversals import invoice_payment_reverse
from classicpos.registry import Registry
from crm import services as crm
from customers import extensions, services
from customers.data_export import PROFILE_MODELS, customer_data_export
from customers.extensions import DataExportSection, data_export_sections
from customers.models import Customer, CustomerEvent
from customers.prior_history import CustomerPriorHistory, CustomerReference
from giftcards.models import GiftCard
from loyalty.services import points_adjust
from tests.accounting.helpers import give_credit, pay, sell_on_account
from tests.crm.factories import ActivityFactory, LeadActivityFactory, LeadFactory
from tests.customers.factories import CustomerFactory
from tests.giftcards.helpers import sell_card
from tests.sales.helpers import refund, ring_up

pytestmark = pytest.mark.django_db

# Models with a foreign key to Customer that no section exports, and why.
NOT_EXPORTED = {
    "customers.CustomerSearchEntry": (
        "SQLite's search index: a copy of the profile's name, email and phone"
    ),
}


# The sections ``give_everything`` gives rows to.
FILLED_SECTIONS = (
    "events",
    "importedIds",
    "priorHistory",
    "merges",
    "notTheSamePerson",
    "sales",
    "salesFigures",
    "points",
    "account",
    "invoices",
    "storeCredit",
    "giftCards",
    "crmLeads",
    "crmActivities",
)


def customer_linked_models() -> set[str]:
    """Return every installed model with a field pointing straight at Customer."""
    return {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is Customer
    }


def test_every_model_with_a_customer_foreign_key_is_in_a_section():
    covered = set(PROFILE_MODELS).union(*(section.models for section in data_export_sections()))
    missing = sorted(customer_linked_models() - covered - set(NOT_EXPORTED))
    assert not missing, (
        f"No data export section covers {', '.join(missing)}: register one "
        "(customers.extensions.register_data_export_section, models=...) or list the model "
        "in NOT_EXPORTED with the reason."
    )


def test_every_model_a_section_names_exists():
    for section in data_export_sections():
        for label in section.models:
            assert apps.get_model(label), f"{section.name} names {label}"


def give_everything(customer, *, cashier, manager, round_: int = 1) -> None:
    """Give ``customer`` a row in every module: sales, points, invoices, cards, CRM..."""
    sale = ring_up(customer=customer, price="40.00", cashier=cashier, quantity=2)
    refund(sale=sale, user=manager, quantity=1)
    points_adjust(customer=customer, points=25, reason="Welcome", user=manager)
    give_credit(customer, "500.00", manager)
    invoiced = sell_on_account(customer, "90.00", cashier)
    payment = pay(invoiced.invoice, "30.00", manager)
    invoice_payment_reverse(payment=payment, reason="The cheque bounced", user=manager)
    pay(invoiced.invoice, "20.00", manager)
    accounting.store_credit_adjust(
        customer=customer, amount="15.00", reason="Goodwill", user=manager
    )
    sell_card(cashier=cashier, amount="25.00", code=None, customer=customer)
    ActivityFactory(customer=customer, subject=f"Call {round_}")
    lead = LeadFactory(email=customer.email, phone=None)
    LeadActivityFactory(lead=lead, subject=f"Met at the fair {round_}")
    crm.lead_convert(lead=lead, user=manager)
    CustomerReference.objects.create(
        customer=customer, source="shopify", reference=f"S-{customer.pk}-{round_}"
    )
    CustomerPriorHistory.objects.update_or_create(
        customer=customer, defaults={"source": "Shopify customer export", "spent": "120.50"}
    )
    duplicate = CustomerFactory(name=customer.name)
    services.customer_merge(survivor=customer, duplicate=duplicate, actor=manager, channel="page")
    other = CustomerFactory()
    services.customer_mark_distinct(customer=customer, other=other, actor=manager, channel="page")
    services.customer_update(
        customer=Customer.objects.get(pk=customer.pk),
        data={"address": f"{round_} Main St"},
        actor=manager,
        channel="api",
    )


@pytest.fixture
def customer(cashier, manager):
    customer = CustomerFactory(name="Ada Lovelace", email="ada@example.com")
    give_everything(customer, cashier=cashier, manager=manager)
    return Customer.objects.get(pk=customer.pk)


def test_the_export_holds_every_modules_rows(customer, manager_client):
    response = manager_client.get(f"/api/customers/{customer.pk}/data-export")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="customer-{customer.pk}-data-'
    )
    export = json.loads(response.content)
    assert export["exportedAt"].endswith("Z")
    assert export["customer"]["name"] == "Ada Lovelace"
    assert export["customer"]["address"] == "1 Main St"
    sections = export["sections"]
    empty = [name for name in FILLED_SECTIONS if not sections.get(name)]
    assert not empty, f"sections without rows: {empty}"
    assert list(sections) == [section.name for section in data_export_sections()]

    sale = sections["sales"][0]
    assert sale["total"] == "80.00"
    assert [line["quantity"] for line in sale["lines"]] == [2]
    assert sale["payments"] == [{"method": "cash", "amount": "80.00"}]
    assert sale["refunds"][0]["lines"][0]["quantity"] == 1
    assert sale["createdAt"].endswith("Z")
    assert 25 in [row["points"] for row in sections["points"]]
    invoice = sections["invoices"][0]
    assert invoice["total"] == "90.00"
    assert [p["reversalReason"] for p in invoice["payments"]] == ["The cheque bounced", None]
    assert sections["storeCredit"][-1]["amount"] == "15.00"
    (account,) = sections["account"]
    assert (account["creditLimit"], account["storeCredit"]) == ("500.00", "15.00")
    assert {activity["subject"] for activity in sections["crmActivities"]} == {
        "Call 1",
        "Met at the fair 1",
    }
    assert sections["crmLeads"][0]["email"] == "ada@example.com"
    assert sections["importedIds"] == [{"source": "shopify", "reference": f"S-{customer.pk}-1"}]
    assert sections["priorHistory"][0]["spent"] == "120.50"
    assert sections["merges"][0]["survivorId"] == customer.pk
    assert len(sections["notTheSamePerson"]) == 1
    assert "customer.changed" in {event["kind"] for event in sections["events"]}


def test_a_gift_card_is_exported_without_its_code(customer, manager_client):
    card = GiftCard.objects.get(customer=customer)

    text = manager_client.get(f"/api/customers/{customer.pk}/data-export").content.decode()

    exported = json.loads(text)["sections"]["giftCards"]
    assert [(c["last4"], c["balance"], c["status"]) for c in exported] == [
        (card.last4, "25.00", card.status)
    ]
    assert exported[0]["entries"][0]["kind"] == "issue"
    assert card.code_hash not in text
    assert "codeHash" not in text
    assert "printSeed" not in text
    if card.print_seed:
        assert card.print_seed not in text


def test_each_section_reads_in_a_constant_number_of_queries(customer, cashier, manager):
    bigger = CustomerFactory(name="Grace Hopper", email="grace@example.com")
    for round_ in (1, 2, 3):
        give_everything(bigger, cashier=cashier, manager=manager, round_=round_)

    for section in data_export_sections():
        counts = []
        for someone in (customer, bigger):
            with CaptureQueriesContext(connection) as queries:
                section.rows(customer=someone)
            counts.append(len(queries))
        assert counts[0] == counts[1], f"{section.name}: {counts[0]} queries, then {counts[1]}"
        assert counts[0] <= 5, f"{section.name} reads in {counts[0]} queries"


def test_the_zip_has_one_formula_safe_csv_per_section(customer, manager_client):
    Customer.objects.filter(pk=customer.pk).update(note='=HYPERLINK("http://evil","x")')

    response = manager_client.get(f"/api/customers/{customer.pk}/data-export?format=zip")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].endswith('.zip"')
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {f"{section.name}.csv" for section in data_export_sections()} <= names
    assert {"customer.csv", "sales.lines.csv", "sales.payments.csv", "sales.refunds.lines.csv"} <= (
        names
    )

    def rows(name):
        return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))

    (profile,) = rows("customer.csv")
    assert profile["note"] == '\'=HYPERLINK("http://evil","x")'
    assert profile["marketingConsent.email"] in ("yes", "no")
    first_sale = rows("sales.csv")[0]["id"]
    assert first_sale in {line["sales.id"] for line in rows("sales.lines.csv")}
    assert rows("sales.refunds.lines.csv")[0]["quantity"] == "1"


def test_a_negative_amount_stays_a_number_in_the_csv(customer, manager, manager_client):
    accounting.store_credit_adjust(customer=customer, amount="-5.00", reason="Typo", user=manager)

    response = manager_client.get(f"/api/customers/{customer.pk}/data-export?format=zip")

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    text = archive.read("storeCredit.csv").decode("utf-8-sig")
    assert "-5.00" in {row["amount"] for row in csv.DictReader(io.StringIO(text))}


def test_each_download_is_recorded_with_who_and_where(customer, manager, manager_client):
    manager_client.get(f"/api/customers/{customer.pk}/data-export?format=zip")

    event = CustomerEvent.objects.filter(customer=customer).order_by("-id").first()
    assert (event.kind, event.actor, event.channel) == ("customer.data_exported", manager, "api")
    timeline = manager_client.get(
        f"/api/customers/{customer.pk}/timeline?kind=customer.data_exported"
    ).json()
    assert [entry["summary"] for entry in timeline["results"]] == ["Personal data downloaded · API"]


def test_only_managers_download_a_customers_data(customer, cashier_client, anonymous_client):
    assert cashier_client.get(f"/api/customers/{customer.pk}/data-export").status_code == 403
    assert anonymous_client.get(f"/api/customers/{customer.pk}/data-export").status_code == 401
    assert not CustomerEvent.objects.filter(kind="customer.data_exported").exists()


def test_an_unknown_customer_is_a_404(manager_client):
    assert manager_client.get("/api/customers/999999/data-export").status_code == 404


def test_the_customer_page_offers_the_download_to_managers(customer, manager_page, manager):
    page = manager_page.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    url = reverse("customers:data_export", args=[customer.pk])
    assert f'href="{url}"' in page
    assert f'href="{url}?format=zip"' in page

    response = manager_page.get(url)
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["customer"]["id"] == customer.pk
    zipped = manager_page.get(url, {"format": "zip"})
    assert zipfile.ZipFile(io.BytesIO(zipped.content)).read("customer.csv")
    kinds = CustomerEvent.objects.filter(kind="customer.data_exported")
    assert [(event.channel, event.actor) for event in kinds] == [("page", manager)] * 2


def test_a_cashier_is_offered_no_download(customer, cashier_page):
    page = cashier_page.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    url = reverse("customers:data_export", args=[customer.pk])
    assert url not in page
    assert cashier_page.get(url).status_code == 403


def test_a_module_adds_its_rows_through_the_registry(customer, monkeypatch):
    registry = Registry("data export sections")
    for section in data_export_sections():
        registry.register(section)
    registry.register(
        DataExportSection(
            name="visits",
            label="Visits",
            rows=lambda customer: [{"customerId": customer.pk, "on": customer.created_at}],
        )
    )
    monkeypatch.setattr(extensions, "_data_export_sections", registry)

    export = customer_data_export(customer)

    assert export["sections"]["visits"] == [
        {"customerId": customer.pk, "on": export["customer"]["createdAt"]}
    ]
