"""CRM services: leads, activities and conversion into a customer without duplicates."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm import locks, services
from crm.models import Activity, ActivityKind, Lead, LeadStatus
from crm.selectors import lead_activities, lead_conversion_plan, lead_matching_customer
from crm.services import CrmPermissionDenied
from customers.models import Customer
from customers.validators import MESSAGES
from tests.crm.factories import ActivityFactory, LeadActivityFactory, LeadFactory, TaskFactory
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- leads ------------------------------------------------------------------------------


def test_lead_create_normalises_like_a_customer_and_is_owned_by_its_creator(cashier):
    lead = services.lead_create(
        user=cashier,
        name="  Ada   Lovelace ",
        email=" ADA@Example.COM ",
        phone="(415) 555-2671",
        company=" Engines Ltd ",
        source="referral",
    )
    assert (lead.name, lead.email, lead.phone, lead.company) == (
        "Ada Lovelace",
        "ada@example.com",
        "+14155552671",
        "Engines Ltd",
    )
    assert lead.owner == cashier
    assert lead.status == LeadStatus.NEW
    assert lead.phone_display == "(415) 555-2671"


def test_lead_create_gives_the_customer_modules_messages(cashier):
    with pytest.raises(ValidationError) as caught:
        services.lead_create(user=cashier, name="  ", email="nope", phone="12")
    errors = caught.value.message_dict
    assert errors["name"] == [MESSAGES["name_required"]]
    assert errors["email"] == [MESSAGES["email_invalid"]]
    assert errors["phone"] == [MESSAGES["phone_invalid"]]
    assert not Lead.objects.exists()


def test_lead_email_need_not_be_unique_among_leads_or_customers(cashier):
    CustomerFactory(email="shared@example.com")
    services.lead_create(user=cashier, name="One", email="shared@example.com")
    services.lead_create(user=cashier, name="Two", email="SHARED@example.com")
    assert Lead.objects.filter(email="shared@example.com").count() == 2


def test_only_a_manager_creates_a_lead_for_someone_else(cashier, manager):
    with pytest.raises(CrmPermissionDenied) as caught:
        services.lead_create(user=cashier, name="Pat", owner=manager)
    assert caught.value.field == "owner"
    lead = services.lead_create(user=manager, name="Pat", owner=cashier)
    assert lead.owner == cashier


def test_owner_must_be_active_staff(manager):
    shopper = UserFactory(is_staff=False)
    with pytest.raises(ValidationError) as caught:
        services.lead_create(user=manager, name="Pat", owner=shopper)
    assert "owner" in caught.value.message_dict


def test_lead_update_changes_given_fields_only(cashier):
    lead = LeadFactory(owner=cashier, company="Old Co")
    services.lead_update(
        lead=lead, user=cashier, data={"status": "contacted", "phone": "212 555 0100"}
    )
    lead.refresh_from_db()
    assert (lead.status, lead.phone, lead.company) == ("contacted", "+12125550100", "Old Co")
    with pytest.raises(ValidationError) as caught:
        services.lead_update(lead=lead, user=cashier, data={"customer": None})
    assert "customer" in caught.value.message_dict


def test_cashier_cannot_mark_lost_or_reopen_a_lost_lead(cashier, manager):
    lead = LeadFactory(owner=cashier)
    with pytest.raises(CrmPermissionDenied) as caught:
        services.lead_update(lead=lead, user=cashier, data={"status": "lost"})
    assert caught.value.field == "status"
    assert "Only a Manager can mark a lead lost." in str(caught.value)
    lead.refresh_from_db()
    assert lead.status == "new"
    services.lead_update(lead=lead, user=manager, data={"status": "lost"})
    with pytest.raises(CrmPermissionDenied, match="reopen"):
        services.lead_update(lead=lead, user=cashier, data={"status": "new"})
    # Editing other fields of a lost lead is fine for anyone.
    services.lead_update(lead=lead, user=cashier, data={"status": "lost", "notes": "Moved away"})
    lead.refresh_from_db()
    assert (lead.status, lead.notes) == ("lost", "Moved away")


def test_cashier_cannot_reassign_but_may_claim_an_unowned_lead(cashier, manager):
    lead = LeadFactory(owner=manager)
    with pytest.raises(CrmPermissionDenied) as caught:
        services.lead_update(lead=lead, user=cashier, data={"owner": cashier})
    assert caught.value.field == "owner"
    services.lead_update(lead=lead, user=manager, data={"owner": cashier})
    lead.refresh_from_db()
    assert lead.owner == cashier
    unowned = LeadFactory(owner=None)
    services.lead_update(lead=unowned, user=cashier, data={"owner": cashier})
    unowned.refresh_from_db()
    assert unowned.owner == cashier


def test_status_converted_is_only_reached_by_converting(manager):
    lead = LeadFactory()
    with pytest.raises(ValidationError, match="Use Convert"):
        services.lead_update(lead=lead, user=manager, data={"status": "converted"})
    with pytest.raises(ValidationError, match="Use Convert"):
        services.lead_create(user=manager, name="X", status="converted")


def test_a_converted_lead_is_no_longer_edited(manager):
    lead = LeadFactory()
    result = services.lead_convert(lead=lead, user=manager)
    with pytest.raises(ValidationError, match=f"customer #{result.customer.pk}"):
        services.lead_update(lead=lead, user=manager, data={"name": "Changed"})


def test_converted_status_and_customer_go_together_in_the_database():
    lead = LeadFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Lead.objects.filter(pk=lead.pk).update(status="converted")
    with pytest.raises(IntegrityError), transaction.atomic():
        Lead.objects.filter(pk=lead.pk).update(customer=CustomerFactory())


# --- conversion -------------------------------------------------------------------------


def test_convert_without_a_match_creates_the_customer(cashier):
    lead = LeadFactory(name="New Person", email="new.person@example.com", phone="+12125550100")
    result = services.lead_convert(lead=lead, user=cashier)
    assert result.created is True
    customer = result.customer
    assert (customer.name, customer.email, customer.phone, customer.status) == (
        "New Person",
        "new.person@example.com",
        "+12125550100",
        "active",
    )
    lead.refresh_from_db()
    assert lead.status == "converted"
    assert lead.customer == customer
    assert lead.converted_at is not None


def test_convert_goes_through_the_customer_service(cashier, monkeypatch):
    calls = []
    original = services.customer_services.customer_create

    def spy(**kwargs):
        calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(services.customer_services, "customer_create", spy)
    services.lead_convert(lead=LeadFactory(email="spy@example.com"), user=cashier)
    assert [call["email"] for call in calls] == ["spy@example.com"]


def test_convert_links_a_customer_with_the_same_email_in_another_case(cashier):
    existing = CustomerFactory(email="grace@example.com", phone=None)
    lead = LeadFactory(email="Grace@EXAMPLE.com", phone=None)
    assert lead.email == "Grace@EXAMPLE.com"  # stored as typed: the factory skips clean()
    result = services.lead_convert(lead=lead, user=cashier)
    assert result == services.ConversionResult(customer=existing, created=False)
    assert Customer.objects.count() == 1


def test_convert_links_a_customer_with_the_same_phone_in_another_format(cashier):
    existing = CustomerFactory(email=None, phone="+14155552671")
    lead = services.lead_create(user=cashier, name="Phone Match", phone="415.555.2671")
    result = services.lead_convert(lead=lead, user=cashier)
    assert result.customer == existing
    assert result.created is False
    assert Customer.objects.count() == 1


def test_email_match_wins_over_phone_match_and_active_wins_among_phones(cashier):
    by_phone = CustomerFactory(email="other@example.com", phone="+14155552671")
    by_email = CustomerFactory(email="lead@example.com", phone=None)
    lead = LeadFactory(email="lead@example.com", phone="+14155552671")
    assert services.lead_convert(lead=lead, user=cashier).customer == by_email

    CustomerFactory(email=None, phone="+12125550111", status="inactive")
    active = CustomerFactory(email=None, phone="+12125550111")
    lead = LeadFactory(email=None, phone="+12125550111")
    assert services.lead_convert(lead=lead, user=cashier).customer == active
    assert by_phone.crm_leads.count() == 0


def test_converting_twice_returns_the_same_customer(cashier):
    lead = LeadFactory()
    first = services.lead_convert(lead=lead, user=cashier)
    second = services.lead_convert(lead=lead, user=cashier)
    stale = Lead.objects.get(pk=lead.pk)
    third = services.lead_convert(lead=stale, user=cashier)
    assert first.created is True
    assert second == third == services.ConversionResult(customer=first.customer, created=False)
    assert Customer.objects.count() == 1


def test_converting_moves_the_leads_activities_to_the_customer(cashier):
    lead = LeadFactory()
    call = LeadActivityFactory(lead=lead, kind="call", subject="First call")
    task = LeadActivityFactory(lead=lead, kind="task", subject="Send offer")
    other = LeadActivityFactory(subject="Someone else's")
    customer = services.lead_convert(lead=lead, user=cashier).customer
    call.refresh_from_db()
    task.refresh_from_db()
    other.refresh_from_db()
    assert (call.customer, call.lead, call.moved_from_lead) == (customer, None, lead)
    assert (task.customer, task.lead) == (customer, None)
    assert other.lead is not None
    assert other.customer is None
    # The lead still shows its history, now filed under the customer.
    assert set(lead_activities(lead=lead)) == {call, task}


def test_inactive_match_is_restored_when_a_manager_converts(manager):
    existing = CustomerFactory(email="back@example.com", status="inactive")
    lead = LeadFactory(email="back@example.com")
    plan = lead_conversion_plan(lead=lead, user=manager)
    assert (plan.customer, plan.restore, plan.refusal) == (existing, True, "")
    result = services.lead_convert(lead=lead, user=manager)
    existing.refresh_from_db()
    assert result == services.ConversionResult(customer=existing, created=False)
    assert existing.status == "active"


def test_inactive_match_refuses_a_cashier_and_changes_nothing(cashier):
    existing = CustomerFactory(name="Quiet Quinn", email="back@example.com", status="inactive")
    lead = LeadFactory(email="back@example.com")
    activity = LeadActivityFactory(lead=lead)
    with pytest.raises(ValidationError) as caught:
        services.lead_convert(lead=lead, user=cashier)
    message = caught.value.messages[0]
    assert f"Quiet Quinn (customer #{existing.pk})" in message
    assert "inactive" in message
    assert "Manager" in message
    existing.refresh_from_db()
    lead.refresh_from_db()
    activity.refresh_from_db()
    assert existing.status == "inactive"
    assert lead.status == "new"
    assert activity.lead == lead
    assert Customer.objects.count() == 1


def test_a_lost_lead_can_still_convert_when_they_buy(cashier, manager):
    lead = LeadFactory()
    services.lead_update(lead=lead, user=manager, data={"status": "lost"})
    assert services.lead_convert(lead=lead, user=cashier).created is True


def test_convert_locks_the_customer_before_the_lead(cashier, monkeypatch):
    CustomerFactory(email="order@example.com")
    lead = LeadFactory(email="order@example.com")
    order = []
    for module, name in ((services, "customer_for_update"), (locks, "lock_lead")):
        original = getattr(module, name)

        def recording(pk, name=name, original=original):
            order.append(name)
            return original(pk)

        monkeypatch.setattr(module, name, recording)
    services.lead_convert(lead=lead, user=cashier)
    assert order == ["customer_for_update", "lock_lead"]


def test_a_match_appearing_between_look_and_lock_is_not_duplicated(cashier, monkeypatch):
    lead = LeadFactory(email="race@example.com")
    original = locks.lock_lead

    def another_till_adds_the_customer_first(pk):
        CustomerFactory(email="race@example.com")
        return original(pk)

    monkeypatch.setattr(locks, "lock_lead", another_till_adds_the_customer_first)
    with pytest.raises(ValidationError, match="Convert again"):
        services.lead_convert(lead=lead, user=cashier)
    # Here the refusal rolled the whole test transaction's customer back; at a real
    # till the other till's customer is committed, so make it exist again.
    assert not Customer.objects.exists()
    CustomerFactory(email="race@example.com")
    monkeypatch.setattr(locks, "lock_lead", original)
    result = services.lead_convert(lead=lead, user=cashier)
    assert result.created is False
    assert Customer.objects.filter(email="race@example.com").count() == 1


# --- activities -------------------------------------------------------------------------


def test_activity_create_on_a_customer_or_a_lead(cashier):
    customer = CustomerFactory()
    lead = LeadFactory()
    on_customer = services.activity_create(
        author=cashier, kind="call", subject="  Asked   about  mugs ", customer=customer
    )
    on_lead = services.activity_create(author=cashier, kind="note", subject="Met", lead=lead)
    assert on_customer.subject == "Asked about mugs"
    assert on_customer.contact == customer
    assert on_lead.contact == lead
    assert on_lead.author == cashier


@pytest.mark.parametrize("both", [True, False])
def test_activity_needs_exactly_one_contact(cashier, both):
    contacts = {"customer": CustomerFactory(), "lead": LeadFactory()} if both else {}
    with pytest.raises(ValidationError) as caught:
        services.activity_create(author=cashier, kind="note", subject="Hi", **contacts)
    assert "not both and not neither" in caught.value.messages[0]
    assert not Activity.objects.exists()


def test_exactly_one_contact_is_enforced_by_the_database():
    customer = CustomerFactory()
    lead = LeadFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(kind="note", subject="Neither")
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(kind="note", subject="Both", customer=customer, lead=lead)
    Activity.objects.create(kind="note", subject="One", customer=customer)
    assert Activity.objects.count() == 1


def test_activity_rules(cashier):
    customer = CustomerFactory()
    with pytest.raises(ValidationError) as caught:
        services.activity_create(
            author=cashier,
            kind="call",
            subject=" ",
            body="x" * 5001,
            customer=customer,
            due_on=timezone.localdate(),
        )
    errors = caught.value.message_dict
    assert errors["subject"] == ["Say what it was about."]
    assert errors["body"] == ["Details must be 5000 characters or fewer."]
    assert errors["due_on"] == ["Only tasks have a due date and can be done."]
    with pytest.raises(ValidationError) as caught:
        services.activity_create(author=cashier, kind="chat", subject="Hi", customer=customer)
    assert "kind" in caught.value.message_dict


def test_due_dates_belong_to_tasks_in_the_database_too():
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(
            kind="note", subject="Due?", customer=CustomerFactory(), due_on=timezone.localdate()
        )


def test_logging_on_a_converted_lead_files_it_under_the_customer(cashier):
    lead = LeadFactory()
    customer = services.lead_convert(lead=lead, user=cashier).customer
    activity = services.activity_create(author=cashier, kind="note", subject="Later", lead=lead)
    assert (activity.customer, activity.lead) == (customer, None)


def test_task_done_and_undone(cashier):
    task = TaskFactory(due_on=timezone.localdate())
    services.activity_complete(activity=task)
    task.refresh_from_db()
    assert task.done is True
    finished_at = task.completed_at
    assert finished_at is not None
    services.activity_complete(activity=task)
    task.refresh_from_db()
    assert task.completed_at == finished_at
    services.activity_update(activity=task, data={"done": False})
    task.refresh_from_db()
    assert (task.done, task.completed_at) == (False, None)


def test_activity_update_changes_only_editable_fields(cashier):
    task = TaskFactory()
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.activity_update(
        activity=task, data={"subject": "Call back", "body": None, "due_on": tomorrow}
    )
    task.refresh_from_db()
    assert (task.subject, task.body, task.due_on) == ("Call back", "", tomorrow)
    with pytest.raises(ValidationError) as caught:
        services.activity_update(activity=task, data={"kind": "note"})
    assert "kind" in caught.value.message_dict
    note = ActivityFactory()
    with pytest.raises(ValidationError) as caught:
        services.activity_update(activity=note, data={"done": True})
    assert "due_on" in caught.value.message_dict


def test_overdue_is_an_open_task_past_its_due_date():
    today = timezone.localdate()
    late = TaskFactory(due_on=today - timedelta(days=1))
    due_today = TaskFactory(due_on=today)
    done_late = TaskFactory(due_on=today - timedelta(days=3), done=True)
    undated = TaskFactory(due_on=None)
    note = ActivityFactory()
    assert [a.is_overdue for a in (late, due_today, done_late, undated, note)] == [
        True,
        False,
        False,
        False,
        False,
    ]
    assert list(Activity.objects.overdue()) == [late]
    assert late.kind == ActivityKind.TASK


def test_a_lead_finds_the_customer_with_its_email_as_the_customers_app_does():
    """Any case, through the email's unique index: the customers' find_email_owner."""
    existing = CustomerFactory(email="grace@example.com")
    lead = LeadFactory(email="Grace@Example.COM")
    with CaptureQueriesContext(connection) as queries:
        match, reason = lead_matching_customer(lead=lead)
    assert (match, reason) == (existing, "same email")
    (lookup,) = [query["sql"] for query in queries]
    assert "LOWER(" in lookup.upper()
    assert "LIKE" not in lookup.upper()
