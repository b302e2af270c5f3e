"""Anonymising a customer on request: personal data gone for good, the books untouched."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounting.models import Invoice
from classicpos.models import IdempotencyRecord, subject_tag
from crm import services as crm
from crm.models import Activity, Lead
from customers import services
from customers.models import Customer, CustomerErasure
from sales.models import Sale
from tests.accounting.helpers import assert_invariants, give_credit, sell_on_account
from tests.crm.factories import ActivityFactory, LeadFactory
from tests.customers.factories import CustomerFactory
from tests.loyalty.helpers import assert_balance_matches_ledger
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(cashier, manager):
    customer = CustomerFactory(name="Ada Lovelace", email="ada@example.com")
    give_credit(customer, "200.00", manager)
    ring_up(customer=customer, price="40.00", cashier=cashier)
    sell_on_account(customer, "60.00", cashier)
    ActivityFactory(customer=customer, subject="Asked about the blue teapot", body="Lives alone")
    lead = LeadFactory(name="Ada L.", email="ada@example.com", notes="Met at the fair")
    crm.lead_convert(lead=lead, user=manager)
    ActivityFactory(subject="About someone else")
    return Customer.objects.get(pk=customer.pk)


def test_anonymising_erases_personal_data_and_keeps_the_books(customer, manager):
    sales = list(Sale.objects.filter(customer=customer).values_list("pk", "total"))
    owed = Invoice.objects.get(customer=customer).balance

    erased = services.customer_anonymise(
        customer=customer, confirm="Ada Lovelace", actor=manager, channel="command"
    )

    erased.refresh_from_db()
    assert erased.name == f"Anonymised customer #{customer.pk}"
    assert (erased.email, erased.phone, erased.address) == (None, None, None)
    assert erased.status == "inactive"
    record = CustomerErasure.objects.get(customer=erased)
    assert record.erased_by == manager
    assert record.erased_at is not None
    assert list(Sale.objects.filter(customer=erased).values_list("pk", "total")) == sales
    assert Invoice.objects.get(customer=erased).balance == owed
    assert_balance_matches_ledger(erased)
    assert_invariants(erased)


def test_crm_notes_about_them_are_removed_and_their_lead_forgets_them(customer, manager):
    services.customer_anonymise(
        customer=customer, confirm="Ada Lovelace", actor=manager, channel="command"
    )
    assert not Activity.objects.filter(customer=customer).exists()
    assert list(Activity.objects.values_list("subject", flat=True)) == ["About someone else"]
    lead = Lead.objects.get(customer=customer)
    assert (lead.name, lead.email, lead.phone, lead.notes) == (
        f"Anonymised lead #{lead.pk}",
        None,
        None,
        "",
    )


def test_a_wrong_confirmation_changes_nothing(customer, manager):
    with pytest.raises(ValidationError) as error:
        services.customer_anonymise(
            customer=customer, confirm="ada lovelace", actor=manager, channel="command"
        )
    assert "confirm" in error.value.message_dict
    customer.refresh_from_db()
    assert customer.name == "Ada Lovelace"
    assert Activity.objects.filter(customer=customer).exists()


def test_an_anonymised_customer_cannot_be_edited_back_or_restored(customer, manager):
    services.customer_anonymise(
        customer=customer, confirm="Ada Lovelace", actor=manager, channel="command"
    )
    erased = Customer.objects.get(pk=customer.pk)
    with pytest.raises(ValidationError, match="erased"):
        services.customer_update(
            actor=None, channel="command", customer=erased, data={"name": "Ada Lovelace"}
        )
    with pytest.raises(ValidationError, match="erased"):
        services.customer_check(customer=erased, data={"email": "ada@example.com"})
    with pytest.raises(ValidationError, match="erased"):
        services.customer_restore(actor=None, channel="command", customer=erased)
    again = services.customer_anonymise(
        customer=erased, confirm="whatever", actor=manager, channel="command"
    )
    assert again.name == f"Anonymised customer #{customer.pk}"
    assert CustomerErasure.objects.count() == 1


def test_their_old_email_can_be_used_by_a_new_customer(customer, manager):
    services.customer_anonymise(
        customer=customer, confirm="Ada Lovelace", actor=manager, channel="command"
    )
    new = services.customer_create(
        actor=None, channel="command", name="Someone New", email="ADA@example.com"
    )
    assert new.email == "ada@example.com"


def test_records_merged_into_them_are_erased_too(customer, manager):
    duplicate = CustomerFactory(name="Ada Lovelace", email=None, phone="+14155550177")
    services.customer_merge(
        survivor=customer, duplicate=duplicate, actor=manager, channel="command"
    )
    services.customer_anonymise(
        customer=customer, confirm="Ada Lovelace", actor=manager, channel="command"
    )
    duplicate.refresh_from_db()
    assert (duplicate.name, duplicate.phone) == (f"Anonymised customer #{duplicate.pk}", None)


def test_stored_api_answers_about_them_are_forgotten(customer, manager):
    IdempotencyRecord.objects.create(
        user=manager,
        key="k1",
        method="POST",
        path="/api/customers",
        request_fingerprint="x",
        response_status=201,
        response_body={"name": "Ada Lovelace"},
        response_location=f"http://testserver/api/customers/{customer.pk}",
        subjects=subject_tag("customers", customer.pk),
    )
    services.customer_anonymise(
        customer=customer, confirm="Ada Lovelace", actor=manager, channel="command"
    )
    assert not IdempotencyRecord.objects.exists()


def test_sales_and_money_still_add_up_after_anonymising(customer, manager):
    total = sum(Sale.objects.filter(customer=customer).values_list("total", flat=True), Decimal(0))
    services.customer_anonymise(
        customer=customer, confirm=" Ada  Lovelace ", actor=manager, channel="command"
    )
    after = sum(Sale.objects.filter(customer=customer).values_list("total", flat=True), Decimal(0))
    assert after == total


def test_the_admin_shows_an_anonymised_customer_read_only_and_does_not_restore_it(client, manager):
    from django.contrib.auth.models import Permission

    manager.user_permissions.add(*Permission.objects.filter(content_type__app_label="customers"))
    customer = CustomerFactory(name="Ada Lovelace")
    services.customer_anonymise(
        customer=customer, confirm="Ada Lovelace", actor=manager, channel="command"
    )
    client.force_login(manager)
    url = f"/admin/customers/customer/{customer.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="name"' not in page.content  # read-only
    assert client.post(url, {"name": "Ada Lovelace"}).status_code == 403
    client.post(
        "/admin/customers/customer/",
        {"action": "restore_selected", "_selected_action": [customer.pk]},
    )
    assert Customer.objects.get(pk=customer.pk).status == "inactive"


def test_import_files_kept_between_check_and_import_are_forgotten(customer, manager):
    from customers.import_uploads import CheckedImportFile, checked_file_keep

    checked_file_keep(
        user=manager, file_name="list.csv", content=b"name,email\nAda Lovelace,ada@example.com\n"
    )
    services.customer_anonymise(
        customer=customer, confirm="Ada Lovelace", actor=manager, channel="command"
    )
    assert not CheckedImportFile.objects.exists()
