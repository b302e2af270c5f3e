"""The data tools' pages: import upload, export button, duplicates, merge flow, anonymise."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from classicpos.registry import Registry
from customers import extensions, services
from customers.extensions import MergeStep
from customers.models import Customer, CustomerErasure, CustomerMerge
from sales.models import Sale
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.django_db


def csv_file(text: str, name: str = "shop.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), "text/csv")


# --- import ---------------------------------------------------------------------------


def test_the_import_page_checks_then_imports_and_shows_row_errors(manager_page):
    text = "name,email\nAda,ada@example.com\nBad,not-an-email\n"
    page = manager_page.post(
        "/customers/import/?check=1", {"file": csv_file(text), "encoding": "utf-8"}
    )
    assert page.status_code == 200
    assert page.context["report"].created == 1
    assert not Customer.objects.exists()
    content = page.content.decode()
    assert "Checked shop.csv: nothing was saved" in content
    assert "Enter a valid email address." in content
    assert "data:text/csv;charset=utf-8,row%2Ccolumn%2Cmessage" in content

    page = manager_page.post("/customers/import/", {"file": csv_file(text), "encoding": "utf-8"})
    assert page.context["report"].created == 1
    assert Customer.objects.get().email == "ada@example.com"


def kept_token(page) -> str:
    """Return the token of the checked file the page keeps (a hidden input)."""
    return re.search(r'name="upload" value="([^"]+)"', page.content.decode()).group(1)


def test_the_check_keeps_the_file_and_import_uses_it_without_picking_it_again(manager_page):
    ada = CustomerFactory(name="Ada L", email="ada@example.com", address=None)
    text = "name,email,address\nAda Lovelace,ada@example.com,1 Main St\nGrace,g@example.com,\n"
    check = manager_page.post(
        "/customers/import/?check=1", {"file": csv_file(text), "encoding": "utf-8"}
    )
    content = check.content.decode()
    token = kept_token(check)
    assert "Import uses the file you checked: <strong>shop.csv</strong>" in content
    assert not Customer.objects.filter(email="g@example.com").exists()

    done = manager_page.post("/customers/import/", {"upload": token, "encoding": "utf-8"})

    assert (done.context["report"].created, done.context["report"].updated) == (1, 1)
    assert "Imported shop.csv" in done.content.decode()
    ada.refresh_from_db()
    assert (ada.name, ada.address) == ("Ada Lovelace", "1 Main St")
    again = manager_page.post("/customers/import/", {"upload": token, "encoding": "utf-8"})
    assert "choose it again" in again.context["form"].errors["file"][0]
    assert Customer.objects.count() == 2


def test_the_check_lists_who_would_change_and_how(manager_page):
    ada = CustomerFactory(name="Ada L", email="ada@example.com", address=None)
    text = "name,email,address\nAda Lovelace,ada@example.com,1 Main St\n"
    check = manager_page.post(
        "/customers/import/?check=1", {"file": csv_file(text), "encoding": "utf-8"}
    )
    content = check.content.decode()
    assert "Customers this file would update" in content
    assert f'<a href="/customers/{ada.pk}/">Ada L</a>' in content
    assert "Name: Ada L → Ada Lovelace" in content
    assert "Address: — → 1 Main St" in content
    assert "by email" in content


def test_a_kept_file_is_only_for_the_manager_who_checked_it(manager_page, client):
    check = manager_page.post(
        "/customers/import/?check=1", {"file": csv_file("name\nAda\n"), "encoding": "utf-8"}
    )
    token = kept_token(check)
    other = UserFactory(username="other-manager", is_superuser=True)
    client.force_login(other)
    page = client.post("/customers/import/", {"upload": token, "encoding": "utf-8"})
    assert "choose it again" in page.context["form"].errors["file"][0]
    assert not Customer.objects.exists()


@pytest.mark.parametrize("token", ["../../etc/passwd", "tokén" * 8, "x" * 65, "short"])
def test_a_token_the_page_never_gave_is_a_message_not_an_error(manager_page, token):
    page = manager_page.post("/customers/import/", {"upload": token, "encoding": "utf-8"})
    assert page.status_code == 200
    assert "choose it again" in page.context["form"].errors["file"][0]


def test_import_needs_a_file_or_a_checked_one(manager_page):
    page = manager_page.post("/customers/import/", {"encoding": "utf-8"})
    assert page.context["form"].errors["file"] == ["Choose a CSV or Excel file."]


def test_an_unreadable_file_is_an_error_on_the_file_field(manager_page):
    page = manager_page.post(
        "/customers/import/", {"file": csv_file("foo\n1\n"), "encoding": "utf-8", "import": "1"}
    )
    assert "No column of the file" in page.context["form"].errors["file"][0]
    page = manager_page.post(
        "/customers/import/",
        {"file": csv_file("name\nA\n"), "encoding": "utf-8", "columns": "x=y", "import": "1"},
    )
    assert "columns" in page.context["form"].errors


def test_the_data_tools_are_a_managers(cashier_page):
    customer, other = CustomerFactory.create_batch(2)
    for url in (
        "/customers/import/",
        "/customers/export/",
        "/customers/likely-duplicates/",
        f"/customers/{customer.pk}/merge/?duplicate={other.pk}",
        f"/customers/{customer.pk}/anonymise/",
    ):
        assert cashier_page.get(url).status_code == 403, url
    content = cashier_page.get("/customers/").content.decode()
    assert "Export CSV" not in content
    assert "Duplicates" not in content


# --- export ---------------------------------------------------------------------------


def test_export_csv_exports_exactly_the_lists_search_and_filters(manager_page):
    CustomerFactory(name="Ada Lovelace")
    services.customer_deactivate(
        actor=None, channel="command", customer=CustomerFactory(name="Ada Inactive")
    )
    CustomerFactory(name="Grace Hopper")
    list_page = manager_page.get("/customers/?search=ada&status=active")
    assert 'href="/customers/export/?search=ada&amp;status=active"' in list_page.content.decode()
    response = manager_page.get("/customers/export/?search=ada&status=active")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    names = [row[0] for row in csv.reader(io.StringIO(content))]
    assert names == ["name", "Ada Lovelace"]
    response = manager_page.get("/customers/export/?search=ada&status=all")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Ada Inactive" in content


# --- duplicates and merge -------------------------------------------------------------


@pytest.fixture
def twins():
    first = CustomerFactory(name="Grace Hopper", phone="+14155550150", address=None)
    second = CustomerFactory(
        name="Grace Hoper", phone="+14155550150", email=None, address="5 Navy Rd"
    )
    return first, second


def test_the_duplicates_page_lists_them_with_a_merge_link(manager_page, twins):
    first, second = twins
    page = manager_page.get("/customers/likely-duplicates/")
    assert f"/customers/{first.pk}/merge/?duplicate={second.pk}" in page.content.decode()
    assert "Same phone" in page.content.decode()


def test_the_merge_flow_chooses_reviews_then_merges(manager_page, twins, cashier):
    first, second = twins
    ring_up(customer=second, price="10.00", cashier=cashier)
    url = f"/customers/{first.pk}/merge/?duplicate={second.pk}"
    page = manager_page.get(url)
    form = page.context["form"]
    assert form.differing == ["name", "email", "address"]

    choices = {
        "duplicate": second.pk,
        "survivor": "second",
        "name": "first",
        "email": "first",
        "address": "second",
    }
    review = manager_page.post(url, choices)
    assert review.context["review"]
    assert review.context["survivor"] == second
    assert ("sales", 1) not in review.context["moves"]  # the survivor's own sale stays put
    assert not CustomerMerge.objects.exists()
    back = manager_page.post(f"{url}&back=1", {**choices, "confirmed": "1"})
    assert not back.context.get("review")
    assert not CustomerMerge.objects.exists()

    done = manager_page.post(url, {**choices, "confirmed": "1"})
    assert done.status_code == 302
    assert done["Location"] == f"/customers/{second.pk}/"
    second.refresh_from_db()
    assert (second.name, second.email, second.address) == ("Grace Hopper", first.email, "5 Navy Rd")
    assert CustomerMerge.objects.get().duplicate_id == first.pk
    assert Sale.objects.get().customer_id == second.pk


def test_the_merge_pages_say_what_moves_in_the_merge_steps_words(manager_page, twins, monkeypatch):
    first, second = twins
    steps = Registry("merge steps")
    for label in ("stamps", "vouchers"):
        steps.register(
            MergeStep(name=label, merge=lambda **_: None, count=lambda **_: [], moves=(label,))
        )
    monkeypatch.setattr(extensions, "_merge_steps", steps)

    listed = manager_page.get("/customers/likely-duplicates/").content.decode()
    assert "moves the other's stamps and vouchers to it" in listed
    url = f"/customers/{first.pk}/merge/?duplicate={second.pk}"
    assert "its stamps and vouchers move to the one that stays" in (
        manager_page.get(url).content.decode()
    )
    choices = {"duplicate": second.pk, "survivor": "first"}
    choices |= {"name": "first", "email": "first", "address": "first"}
    review = manager_page.post(url, choices).content.decode()
    assert f"#{second.pk} has no stamps or vouchers to move." in review
    # The modules' own words come from their steps, not from customers' templates.
    pages = listed[listed.index("<main") :] + review[review.index("<main") :]
    assert "invoices" not in pages.lower()


def test_a_merged_customers_page_leads_to_the_survivor(manager_page, manager, twins):
    first, second = twins
    services.customer_merge(survivor=first, duplicate=second, actor=manager, channel="command")
    page = manager_page.get(f"/customers/{second.pk}/")
    assert page.status_code == 302
    assert page["Location"] == f"/customers/{first.pk}/"


def test_merge_needs_two_different_customers(manager_page, twins):
    first, _ = twins
    page = manager_page.get(f"/customers/{first.pk}/merge/?duplicate={first.pk}")
    assert page["Location"] == "/customers/likely-duplicates/"
    assert manager_page.get(f"/customers/{first.pk}/merge/?duplicate=999999").status_code == 404


# --- anonymise ------------------------------------------------------------------------


def test_anonymise_needs_the_typed_name_then_erases(manager_page, manager):
    customer = CustomerFactory(name="Ada Lovelace")
    url = f"/customers/{customer.pk}/anonymise/"
    assert "Type <strong" in manager_page.get(url).content.decode()
    wrong = manager_page.post(url, {"confirm": "Ada"})
    assert "confirm" in wrong.context["form"].errors
    assert not CustomerErasure.objects.exists()
    done = manager_page.post(url, {"confirm": "Ada Lovelace"})
    assert done["Location"] == f"/customers/{customer.pk}/"
    detail = manager_page.get(done["Location"]).content.decode()
    assert f"Anonymised customer #{customer.pk}" in detail
    assert "Personal data erased on request" in detail
    assert f"/customers/{customer.pk}/edit/" not in detail
    assert f"/customers/{customer.pk}/anonymise/" not in detail


def test_the_detail_page_of_an_active_customer_asks_nothing_more(
    manager_page, django_assert_max_num_queries
):
    customer = CustomerFactory()
    manager_page.get(f"/customers/{customer.pk}/")
    other = CustomerFactory()
    with django_assert_max_num_queries(40) as queries:
        manager_page.get(f"/customers/{other.pk}/")
    assert not any("customer_merges" in q["sql"] for q in queries.captured_queries)
    assert not any("customer_erasures" in q["sql"] for q in queries.captured_queries)
