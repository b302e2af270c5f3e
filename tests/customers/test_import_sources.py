"""Switching from another system: each export is recognised from its header and imported as is.

The files under ``import_formats/`` hold each system's real header (sources in
its README) and rows with that system's habits.
"""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from customers.import_errors import ImportFileError
from customers.importing import customer_import
from customers.models import Customer, CustomerPriorHistory, CustomerReference

pytestmark = pytest.mark.django_db

FORMATS = Path(__file__).parent / "import_formats"
SOURCES = {
    "shopify_export.csv": "Shopify customer export",
    "shopify_template.csv": "Shopify customer export",
    "shopify_export_legacy.csv": "Shopify customer export (before default addresses)",
    "square.csv": "Square customer export",
    "woocommerce_download.csv": "WooCommerce customers report",
    "woocommerce_email.csv": "WooCommerce customers report",
    "lightspeed_ecom.csv": "Lightspeed eCom customer export",
    "lightspeed_xseries.csv": "Lightspeed Retail (X-Series) customer export",
    "loyverse.csv": "Loyverse customer export",
    "odoo_labels.csv": "Odoo contacts export",
    "odoo_import_compatible.csv": "Odoo contacts export (import-compatible field names)",
}


def imported(name: str, **options):
    return customer_import(file=io.BytesIO((FORMATS / name).read_bytes()), **options)


def customer(email=None, phone=None) -> Customer:
    return Customer.objects.get(email=email) if email else Customer.objects.get(phone=phone)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_each_export_is_recognised_imports_without_a_row_error_and_again_changes_nothing(name):
    first = imported(name)

    assert first.source == SOURCES[name]
    assert first.errors == []
    assert first.created == Customer.objects.count() > 0
    references = CustomerReference.objects.count()
    again = imported(name)
    assert (again.created, again.updated, again.errors) == (0, 0, [])
    assert again.unchanged == first.created
    assert CustomerReference.objects.count() == references


def test_shopify_names_in_parts_apostrophes_the_default_address_phone_and_history():
    imported("shopify_export.csv")

    maria = customer("maria.lopez@example.com")
    assert maria.name == "Maria Lopez"
    assert maria.phone == "+14155550123"  # written '+14155550123
    assert maria.address == "500 Valencia St, Apt 4, San Francisco, CA, 94110, US"
    assert (maria.email_consent, maria.sms_consent) == (True, False)
    assert maria.tag_name_list() == ["vip", "wholesale"]
    assert CustomerReference.objects.get(customer=maria).reference == "7014325256406"
    history = CustomerPriorHistory.objects.get(customer=maria)
    assert (history.source, history.spent, history.orders) == (
        "Shopify customer export",
        Decimal("1234.50"),
        17,
    )
    assert customer("oliver.hughes@example.com").phone == "+442079460123"  # Default Address Phone


def test_square_state_is_the_region_subscription_words_and_a_birthday_without_a_year():
    imported("square.csv")

    daniel = customer("daniel.reyes@example.com")
    assert daniel.status == "active"
    assert daniel.address == "1200 Folsom St, Unit 5, San Francisco, CA, 94103"
    assert (daniel.birthday, daniel.email_consent, daniel.note) == (
        date(1985, 4, 12),
        True,
        "Likes the window seat",
    )
    history = daniel.prior_history
    assert (history.spent, history.orders) == (Decimal("1234.50"), 42)  # "$1,234.50"
    assert (history.first_visit, history.last_visit) == (date(2021, 6, 3), date(2024, 11, 28))
    sofia = customer("sofia.marino@example.com")
    assert (sofia.birthday, sofia.email_consent) == (None, False)  # "09-21"; Unsubscribed


def test_lightspeed_joins_a_name_with_a_preposition_and_a_house_number():
    imported("lightspeed_ecom.csv")

    anna = customer("anna.vandijk@example.com")
    assert anna.name == "Anna van Dijk"
    assert anna.address == "Oudegracht 123 B, Utrecht, Utrecht, 3511 AB, NL"
    assert anna.phone == "+442079460102"  # only in Mobile
    assert anna.birthday == date(1990, 7, 8)
    assert customer("lotte@example.com").name == "Lotte"  # a first name alone is a name


def test_odoo_html_notes_archived_contacts_tags_on_their_own_lines():
    imported("odoo_labels.csv")

    clara = customer("clara.jensen@example.com")
    assert clara.note == (
        'Allergic to nuts & gluten.\nPrefers a "quiet" table \u2013 see visit log\nPays by invoice'
    )
    assert clara.tag_name_list() == ["VIP", "Wholesale"]
    assert customer("felix.braun@example.com").status == "inactive"
    assert customer("ines@example.com").note is None  # <p><br></p> says nothing
    assert Customer.objects.count() == 3  # the line with a tag alone is Clara's


def test_loyverse_points_open_the_ledger_and_dates_are_day_first():
    imported("loyverse.csv")

    lucas = customer("lucas.moreau@example.com")
    assert lucas.loyalty_points == 140
    assert lucas.loyalty_transactions.get().points == 140
    assert lucas.prior_history.first_visit == date(2023, 4, 3)  # 03/04/2023


def test_a_reimport_finds_a_customer_by_the_old_systems_id_when_the_email_changed():
    imported("shopify_export.csv")
    maria = customer("maria.lopez@example.com")
    text = (FORMATS / "shopify_export.csv").read_text()

    report = customer_import(
        file=io.BytesIO(text.replace("maria.lopez@", "maria.l@").encode()), dry_run=False
    )

    assert (report.created, report.updated) == (0, 1)
    assert report.updates[0].matched_by == "reference"
    maria.refresh_from_db()
    assert maria.email == "maria.l@example.com"


def test_a_named_source_is_used_and_an_unknown_one_refused():
    report = imported("woocommerce_email.csv", source_name="woocommerce")
    assert report.source == "WooCommerce customers report"
    with pytest.raises(ImportFileError, match=r'no source "shopfiy".*shopify'):
        imported("shopify_export.csv", source_name="shopfiy")


def test_the_api_lists_the_sources_and_says_which_one_a_file_is(manager_client):
    sources = manager_client.get("/api/customers/import/sources").json()["results"]
    assert {"shopify", "square", "woocommerce", "lightspeed-ecom", "loyverse", "odoo"} <= {
        source["name"] for source in sources
    }
    upload = SimpleUploadedFile(
        "export.csv", (FORMATS / "square.csv").read_bytes(), content_type="text/csv"
    )
    report = manager_client.post(
        "/api/customers/import", {"file": upload, "dryRun": "true"}, format="multipart"
    ).json()
    assert report["source"] == "Square customer export"
    assert {"header": "State", "fills": "address.region"} in report["columns"]
    assert not Customer.objects.exists()


def test_one_customer_s_json_carries_the_old_system_s_id_and_figures(manager_client):
    imported("shopify_export.csv")
    maria = customer("maria.lopez@example.com")
    someone = Customer.objects.create(name="Walk In")

    body = manager_client.get(f"/api/customers/{maria.pk}").json()
    assert body["externalRef"] == {"source": "shopify", "id": "7014325256406"}
    assert body["priorHistory"] == {
        "source": "Shopify customer export",
        "spent": "1234.50",
        "orders": 17,
        "firstVisit": None,
        "lastVisit": None,
    }
    plain = manager_client.get(f"/api/customers/{someone.pk}").json()
    assert (plain["externalRef"], plain["priorHistory"]) == (None, None)


def test_the_timeline_tells_the_history_before_classicpos_once(manager_client):
    imported("square.csv")
    daniel = customer("daniel.reyes@example.com")
    imported("square.csv")  # unchanged: still one entry

    entries = manager_client.get(
        f"/api/customers/{daniel.pk}/timeline", {"kind": "customer.history_imported"}
    ).json()["results"]

    assert [entry["summary"] for entry in entries] == [
        "History before ClassicPOS, from the Square customer export: spent $1,234.50, "
        "42 orders, first visit 2021-06-03, last visit 2024-11-28"
    ]


def test_admin_shows_the_old_system_s_id_and_finds_a_customer_by_it(client, django_user_model):
    imported("shopify_export.csv")
    maria = customer("maria.lopez@example.com")
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.com", "x"))

    page = client.get(f"/admin/customers/customer/{maria.pk}/change/").content.decode()
    assert "7014325256406" in page
    assert "Shopify customer export: 1234.50 in 17 orders" in page
    found = client.get("/admin/customers/customer/", {"q": "7014325256406"}).content.decode()
    assert "Maria Lopez" in found
    assert "Oliver Hughes" not in found


def test_the_page_lets_a_column_be_read_differently_before_the_import(manager_page):
    text = "Full Name,Mail,Town\nAda Lovelace,ada@example.com,Springfield\n"

    def upload():
        return SimpleUploadedFile("shop.csv", text.encode(), content_type="text/csv")

    checked = manager_page.post(
        "/customers/import/?check=1", {"file": upload(), "encoding": "auto"}
    )
    mapping = checked.context["mapping"]
    assert ("Town", "ignore") in mapping["rows"]
    assert ("address.city", "Address (city)") in mapping["choices"]

    refused = manager_page.post(
        "/customers/import/",
        {"file": upload(), "encoding": "auto", "map": ["Town=shoe size"]},
    )
    assert "Map a column" in refused.context["form"].errors["columns"][0]
    assert not Customer.objects.exists()

    manager_page.post(
        "/customers/import/",
        {"file": upload(), "encoding": "auto", "map": ["Town=address.city", "Mail=email"]},
    )
    ada = Customer.objects.get()
    assert (ada.email, ada.address) == ("ada@example.com", "Springfield")


def test_a_lightspeed_dollar_loyalty_balance_opens_the_points_it_is_worth():
    imported("lightspeed_xseries.csv")  # loyalty_balance 18.50; the program: 100 points = 1.00

    ruth = customer("ruth.adeyemi@example.com")
    assert ruth.loyalty_points == 1800
    assert list(ruth.loyalty_transactions.values_list("points", "balance_after")) == [(1800, 1800)]
    assert customer("sam.oneill@example.com").loyalty_points == 0


def test_points_and_a_money_balance_in_one_row_open_one_running_balance():
    text = "name,email,loyaltyPoints,loyaltyValue\nAda,ada@example.com,100,2.00\n"

    customer_import(file=io.BytesIO(text.encode()))

    ada = customer("ada@example.com")
    assert ada.loyalty_points == 300
    ledger = ada.loyalty_transactions.order_by("pk").values_list("points", "balance_after")
    assert list(ledger) == [(100, 100), (200, 300)]


def test_an_imported_store_credit_balance_opens_the_store_credit_ledger(manager_page):
    text = "name,email,store credit\nAda,ada@example.com,25.00\nBo,bo@example.com,-3\n"

    report = customer_import(file=io.BytesIO(text.encode()))

    ada = customer("ada@example.com")
    assert ada.account.store_credit == Decimal("25.00")
    entry = ada.store_credit_entries.get()
    assert (entry.amount, entry.balance_after) == (Decimal("25.00"), Decimal("25.00"))
    assert [(error.row, error.column) for error in report.errors] == [(3, "store credit")]
    checked = manager_page.post(
        "/customers/import/?check=1",
        {"file": SimpleUploadedFile("s.csv", b"name,credit\nCy,5\n"), "encoding": "auto"},
    )
    assert ("store_credit", "Store credit") in checked.context["mapping"]["choices"]
