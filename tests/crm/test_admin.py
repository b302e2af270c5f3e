"""Django admin for leads and activities: the services' rules, no hard delete, convert action."""

import pytest
from django.contrib.auth.models import Group, Permission

from classicpos.roles import MANAGER
from crm.models import Activity, Lead
from customers.models import Customer
from tests.crm.factories import ActivityFactory, LeadFactory
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="boss", is_superuser=True)
    user.groups.add(Group.objects.get(name=MANAGER))
    client.force_login(user)
    return client


@pytest.fixture
def limited_admin(client):
    """A Manager (the admin is theirs) in a shop whose Managers may not mark leads lost."""
    user = UserFactory(username="clerk")
    managers = Group.objects.get(name=MANAGER)
    managers.permissions.remove(
        Permission.objects.get(content_type__app_label="crm", codename="mark_lead_lost")
    )
    user.groups.add(managers)
    client.force_login(user)
    return client, user


def test_lead_changelist_searches(admin_client):
    LeadFactory(name="Zed Findme", company="Acme")
    LeadFactory(name="Other Person")
    html = admin_client.get("/admin/crm/lead/", {"q": "acme"}).content.decode()
    assert "Zed Findme" in html
    assert "Other Person" not in html


def test_add_lead_normalises_through_the_model_rules(admin_client):
    response = admin_client.post(
        "/admin/crm/lead/add/",
        {
            "name": "  Admin  Lead ",
            "email": "LEAD@EXAMPLE.COM",
            "phone": "415 555 2671",
            "source": "web",
            "status": "new",
            "owner": "",
            "company": "",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content
    lead = Lead.objects.get()
    assert (lead.name, lead.email, lead.phone, lead.owner.username) == (
        "Admin Lead",
        "lead@example.com",
        "+14155552671",
        "boss",
    )


def test_bad_input_shows_the_customer_messages(admin_client):
    response = admin_client.post(
        "/admin/crm/lead/add/", {"name": " ", "phone": "12", "source": "web", "status": "new"}
    )
    errors = response.context["adminform"].form.errors
    assert errors["name"] == ["Enter a name."]
    assert errors["phone"][0].startswith("Enter a valid phone number")


def test_role_refusals_show_beside_the_field(limited_admin):
    client, user = limited_admin
    lead = LeadFactory(owner=user)
    response = client.post(
        f"/admin/crm/lead/{lead.pk}/change/",
        {"name": lead.name, "source": "web", "status": "lost", "owner": user.pk},
    )
    assert response.context["adminform"].form.errors["status"] == [
        "Only a Manager can mark a lead lost."
    ]
    lead.refresh_from_db()
    assert lead.status == "new"


def test_leads_and_activities_are_never_deleted(admin_client):
    lead = LeadFactory()
    activity = ActivityFactory()
    assert admin_client.get(f"/admin/crm/lead/{lead.pk}/delete/").status_code == 403
    assert admin_client.get(f"/admin/crm/activity/{activity.pk}/delete/").status_code == 403


def test_convert_action_links_or_creates(admin_client):
    existing = CustomerFactory(email="match@example.com")
    linking = LeadFactory(email="MATCH@example.com")
    creating = LeadFactory(email="new@example.com")
    response = admin_client.post(
        "/admin/crm/lead/",
        {"action": "convert_selected", "_selected_action": [linking.pk, creating.pk]},
        follow=True,
    )
    assert "Converted 2 lead(s): 1 new customer(s), 1 linked to existing ones." in (
        response.content.decode()
    )
    linking.refresh_from_db()
    assert linking.customer == existing
    assert Customer.objects.count() == 2
    # A converted lead is shown, no longer edited.
    page = admin_client.get(f"/admin/crm/lead/{linking.pk}/change/").content.decode()
    assert 'name="_save"' not in page


def test_add_activity_needs_exactly_one_contact(admin_client):
    customer = CustomerFactory()
    lead = LeadFactory()
    response = admin_client.post(
        "/admin/crm/activity/add/",
        {"kind": "note", "subject": "Both", "customer": customer.pk, "lead": lead.pk},
    )
    assert "not both and not neither" in response.content.decode()
    response = admin_client.post(
        "/admin/crm/activity/add/", {"kind": "call", "subject": "Rang", "customer": customer.pk}
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.author.username == "boss"


def test_change_activity_marks_a_task_done(admin_client):
    task = ActivityFactory(kind="task")
    response = admin_client.post(
        f"/admin/crm/activity/{task.pk}/change/",
        {"subject": task.subject, "body": "", "due_on": "", "done": "on"},
    )
    assert response.status_code == 302, response.content
    task.refresh_from_db()
    assert task.done is True
    assert task.completed_at is not None
