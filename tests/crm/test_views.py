"""CRM pages without a browser: lists, board, lead form, conversion, tasks, the customer panel."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.models import Activity, Lead
from crm.panels import crm_panel_context
from customers.models import Customer
from tests.crm.factories import ActivityFactory, LeadActivityFactory, LeadFactory, TaskFactory
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def logged_in(user) -> Client:
    """A separate browser session (``cashier_page`` and ``manager_page`` share one client)."""
    client = Client()
    client.force_login(user)
    return client


def page_queries(client, url) -> tuple:
    """Return the response and the SQL of every query the page ran."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [query["sql"] for query in captured.captured_queries]


def own_queries(queries: list[str]) -> list[str]:
    """The page's own reads (CRM and customer tables), without the app shell's session,
    user and role checks, which the shell owns and may change."""
    return [sql for sql in queries if '"crm_' in sql or 'FROM "customers"' in sql]


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- navigation and access --------------------------------------------------------------


def test_pages_need_a_login(client):
    for url in ("/crm/", "/crm/leads/", "/crm/contacts/", "/crm/tasks/", "/crm/leads/board/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/") or url == "/crm/"


def test_crm_home_is_the_lead_list_and_the_navbar_links_to_it(cashier_page):
    assert cashier_page.get("/crm/")["Location"] == "/crm/leads/"
    page = html(cashier_page.get("/crm/leads/"))
    assert 'href="/crm/"' in page
    assert "My tasks" in page


def test_staff_without_a_crm_role_gets_the_403_page(client):
    client.force_login(UserFactory())
    lead = LeadFactory()
    for url in ("/crm/leads/", "/crm/tasks/", f"/crm/leads/{lead.pk}/", "/crm/leads/new/"):
        assert client.get(url).status_code == 403
    assert client.post(f"/crm/leads/{lead.pk}/convert/").status_code == 403
    assert Customer.objects.count() == 0


# --- lead list and board ----------------------------------------------------------------


def test_lead_list_searches_and_filters(cashier_page, cashier, manager):
    LeadFactory(name="Ann Acme", company="Acme", owner=cashier)
    LeadFactory(name="Bob Beta", status="qualified", owner=manager, phone="+14155552671")
    LeadFactory(name="Cy Lost", status="lost", owner=manager)

    def names(query):
        return [lead.name for lead in cashier_page.get(f"/crm/leads/{query}").context["leads"]]

    assert names("") == ["Cy Lost", "Bob Beta", "Ann Acme"]
    assert names("?status=qualified") == ["Bob Beta"]
    assert names("?status=open") == ["Bob Beta", "Ann Acme"]
    assert names("?owner=me") == ["Ann Acme"]
    assert names("?search=acme") == ["Ann Acme"]
    assert names("?search=555-2671") == ["Bob Beta"]
    assert names("?status=bogus") == ["Cy Lost", "Bob Beta", "Ann Acme"]


def test_lead_list_htmx_returns_only_the_results(cashier_page):
    LeadFactory(name="Partial Pat")
    page = html(cashier_page.get("/crm/leads/?search=pat", HTTP_HX_TARGET="lead-results", **HTMX))
    assert "Partial Pat" in page
    assert "<html" not in page


def test_lead_list_empty_states(cashier_page):
    assert "No leads yet" in html(cashier_page.get("/crm/leads/"))
    LeadFactory()
    assert "No leads match" in html(cashier_page.get("/crm/leads/?search=zzz"))


def test_lead_list_query_count(cashier_page):
    LeadFactory.create_batch(3)
    cashier_page.get("/crm/leads/")
    _, few = page_queries(cashier_page, "/crm/leads/")
    LeadFactory.create_batch(30)
    response, many = page_queries(cashier_page, "/crm/leads/")
    assert len(response.context["leads"]) == 25
    assert len(many) == len(few)  # nothing per row: owners come in the same query
    # count + one page of leads with their owners and customers.
    assert len(own_queries(many)) == 2


def test_board_has_a_column_per_status_with_counts(cashier_page):
    LeadFactory.create_batch(3)
    LeadFactory.create_batch(2, status="contacted")
    LeadFactory(status="lost")
    cashier_page.get("/crm/leads/board/")
    _, few = page_queries(cashier_page, "/crm/leads/board/")
    LeadFactory.create_batch(10, status="qualified")
    response, many = page_queries(cashier_page, "/crm/leads/board/")
    assert len(many) == len(few)
    # the counts per status + one query per column (5).
    assert len(own_queries(many)) == 6
    columns = {column.status: column for column in response.context["columns"]}
    assert list(columns) == ["new", "contacted", "qualified", "converted", "lost"]
    assert [columns[s].count for s in columns] == [3, 2, 10, 0, 1]
    assert len(columns["qualified"].leads) == 10


def test_board_move_to_the_next_status(cashier_page):
    lead = LeadFactory()
    response = cashier_page.post(
        f"/crm/leads/{lead.pk}/status/",
        {"status": "contacted", "next": "/crm/leads/board/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/crm/leads/board/"
    assert f"{lead.name} is now contacted." in messages_of(response)
    lead.refresh_from_db()
    assert lead.status == "contacted"


def test_cashier_is_told_only_a_manager_marks_lost(cashier_page, manager):
    lead = LeadFactory()
    board = html(cashier_page.get("/crm/leads/board/"))
    assert "Mark lost" not in board
    response = cashier_page.post(f"/crm/leads/{lead.pk}/status/", {"status": "lost"}, follow=True)
    assert "Only a Manager can mark a lead lost." in messages_of(response)
    lead.refresh_from_db()
    assert lead.status == "new"
    assert "Mark lost" in html(logged_in(manager).get("/crm/leads/board/"))


# --- lead form --------------------------------------------------------------------------


def test_add_lead_through_the_service(cashier_page, cashier):
    response = cashier_page.post(
        "/crm/leads/new/",
        {
            "name": "  Walk  In ",
            "email": "WALK@example.com",
            "phone": "415 555 2671",
            "company": "",
            "source": "walk_in",
            "status": "new",
            "owner": cashier.pk,
            "notes": "",
        },
    )
    lead = Lead.objects.get()
    assert response["Location"] == f"/crm/leads/{lead.pk}/"
    assert (lead.name, lead.email, lead.phone, lead.owner) == (
        "Walk In",
        "walk@example.com",
        "+14155552671",
        cashier,
    )


def test_form_and_api_give_the_same_messages(cashier_page, cashier_client, cashier):
    bad = {"name": " ", "email": "nope", "phone": "12"}
    page = cashier_page.post(
        "/crm/leads/new/", {**bad, "source": "web", "status": "new", "owner": cashier.pk}
    )
    api = cashier_client.post("/api/leads", bad, format="json").json()["errors"]
    form_errors = page.context["form"].errors
    for field in ("name", "email", "phone"):
        assert form_errors[field] == api[field]
    assert "Enter a name." in html(page)
    assert not Lead.objects.exists()


def test_cashier_form_offers_no_lost_and_no_other_owners(cashier_page, cashier, manager):
    lead = LeadFactory(owner=manager)
    page = html(cashier_page.get(f"/crm/leads/{lead.pk}/edit/"))
    assert 'value="lost"' not in page
    assert "Only a Manager can reassign a lead." in page
    assert f'<option value="{cashier.pk}"' not in page


def test_cashier_editing_lost_or_owner_gets_a_message_beside_the_field(cashier_page, cashier):
    lead = LeadFactory(owner=cashier)
    other = UserFactory()
    data = {"name": lead.name, "source": "web", "status": "lost", "owner": cashier.pk}
    response = cashier_page.post(f"/crm/leads/{lead.pk}/edit/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["status"] == ["Only a Manager can mark a lead lost."]
    assert "Only a Manager can mark a lead lost." in messages_of(response)
    response = cashier_page.post(
        f"/crm/leads/{lead.pk}/edit/", {**data, "status": "new", "owner": other.pk}
    )
    assert response.context["form"].errors["owner"] == ["Only a Manager can reassign a lead."]
    lead.refresh_from_db()
    assert (lead.status, lead.owner) == ("new", cashier)


def test_manager_reassigns_and_marks_lost_on_the_page(manager_page, cashier):
    lead = LeadFactory()
    response = manager_page.post(
        f"/crm/leads/{lead.pk}/edit/",
        {"name": lead.name, "source": "web", "status": "lost", "owner": cashier.pk},
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.status, lead.owner) == ("lost", cashier)


def test_editing_a_converted_lead_leads_to_the_customer(cashier_page, cashier):
    lead = LeadFactory()
    cashier_page.post(f"/crm/leads/{lead.pk}/convert/")
    lead.refresh_from_db()
    response = cashier_page.get(f"/crm/leads/{lead.pk}/edit/")
    assert response["Location"] == f"/customers/{lead.customer_id}/"


# --- lead detail and conversion ---------------------------------------------------------


def test_detail_says_a_new_customer_will_be_created(cashier_page):
    lead = LeadFactory(name="Fresh Face")
    page = html(cashier_page.get(f"/crm/leads/{lead.pk}/"))
    assert "a new customer Fresh Face will be created" in page
    assert "Create customer" in page


def test_detail_says_which_customer_it_will_link_to(cashier_page):
    existing = CustomerFactory(name="Grace Existing", phone="+14155552671")
    lead = LeadFactory(email=None, phone="(415) 555-2671")
    page = html(cashier_page.get(f"/crm/leads/{lead.pk}/"))
    assert f"Grace Existing (customer #{existing.pk}) has the same phone" in page
    assert "Link to Grace Existing" in page
    assert existing.get_absolute_url() in page


def test_detail_for_an_inactive_match_manager_vs_cashier(cashier_page, manager):
    CustomerFactory(name="Quiet Quinn", email="q@example.com", status="inactive")
    lead = LeadFactory(email="q@example.com")
    manager_view = html(logged_in(manager).get(f"/crm/leads/{lead.pk}/"))
    assert "Quiet Quinn is inactive and will be restored." in manager_view
    cashier_view = html(cashier_page.get(f"/crm/leads/{lead.pk}/"))
    assert "Only a Manager can restore them" in cashier_view
    assert 'id="convert-modal"' not in cashier_view
    assert "disabled" in cashier_view


def test_convert_from_the_page_creates_and_redirects_to_the_customer(cashier_page):
    lead = LeadFactory(name="Page Convert")
    LeadActivityFactory(lead=lead, kind="call", subject="First call")
    response = cashier_page.post(f"/crm/leads/{lead.pk}/convert/", follow=True)
    customer = Customer.objects.get()
    assert response.redirect_chain[-1][0] == f"/customers/{customer.pk}/"
    assert "Converted Page Convert: added customer Page Convert." in messages_of(response)
    assert "First call" in html(response)
    again = cashier_page.post(f"/crm/leads/{lead.pk}/convert/", follow=True)
    assert "linked to existing customer" in messages_of(again)[0]
    assert Customer.objects.count() == 1


def test_cashier_converting_onto_an_inactive_customer_gets_the_reason(cashier_page):
    CustomerFactory(name="Quiet Quinn", email="q@example.com", status="inactive")
    lead = LeadFactory(email="q@example.com")
    response = cashier_page.post(f"/crm/leads/{lead.pk}/convert/", follow=True)
    assert response.redirect_chain[-1][0] == f"/crm/leads/{lead.pk}/"
    assert "Only a Manager can restore them" in messages_of(response)[0]
    lead.refresh_from_db()
    assert lead.status == "new"


def test_convert_confirmation_page_without_javascript(cashier_page):
    existing = CustomerFactory(name="Grace Existing", email="g@example.com")
    lead = LeadFactory(email="G@example.com")
    page = html(cashier_page.get(f"/crm/leads/{lead.pk}/convert/"))
    assert f"Grace Existing (customer #{existing.pk}) has the same email" in page
    assert '<form method="post"' in page


def test_converted_lead_page_points_to_the_customer_and_keeps_its_history(cashier_page):
    lead = LeadFactory()
    LeadActivityFactory(lead=lead, subject="Before converting")
    cashier_page.post(f"/crm/leads/{lead.pk}/convert/")
    lead.refresh_from_db()
    page = html(cashier_page.get(f"/crm/leads/{lead.pk}/"))
    assert "Open customer" in page
    assert "Before converting" in page
    assert "Convert to customer" not in page


def test_lead_detail_query_count(cashier_page):
    lead = LeadFactory()
    LeadActivityFactory.create_batch(3, lead=lead)
    cashier_page.get(f"/crm/leads/{lead.pk}/")
    _, few = page_queries(cashier_page, f"/crm/leads/{lead.pk}/")
    LeadActivityFactory.create_batch(10, lead=lead)
    response, many = page_queries(cashier_page, f"/crm/leads/{lead.pk}/")
    assert len(response.context["activities"]) == 13
    assert len(many) == len(few)
    # the lead, a customer with its email, one with its phone, the activities with authors.
    assert len(own_queries(many)) == 4


# --- inline activities ------------------------------------------------------------------


def test_log_a_call_on_a_lead_with_htmx(cashier_page, cashier):
    lead = LeadFactory()
    response = cashier_page.post(
        f"/crm/leads/{lead.pk}/activities/",
        {"kind": "call", "subject": "Rang about mugs", "body": ""},
        **HTMX,
    )
    page = html(response)
    assert page.lstrip().startswith('<section class="card" id="lead-activities"')
    assert "Rang about mugs" in page
    assert 'hx-swap-oob="true"' in page
    assert "Saved call." in page
    activity = Activity.objects.get()
    assert (activity.lead, activity.kind, activity.author) == (lead, "call", cashier)


def test_inline_errors_stay_beside_the_fields(cashier_page):
    customer = CustomerFactory()
    response = cashier_page.post(
        f"/crm/customers/{customer.pk}/activities/",
        {"kind": "note", "subject": "  ", "due_on": timezone.localdate().isoformat()},
        **HTMX,
    )
    page = html(response)
    assert 'id="crm-panel-subject-error">Say what it was about.' in page
    assert "Only tasks have a due date and can be done." in page
    assert "is-invalid" in page
    assert not Activity.objects.exists()


def test_inline_post_without_javascript_redirects_back(cashier_page):
    customer = CustomerFactory()
    response = cashier_page.post(
        f"/crm/customers/{customer.pk}/activities/",
        {"kind": "task", "subject": "Call back", "due_on": "2030-01-31"},
    )
    assert response["Location"] == f"/customers/{customer.pk}/"
    task = Activity.objects.get()
    assert str(task.due_on) == "2030-01-31"


# --- the customer page's CRM panel ------------------------------------------------------


def test_customer_page_shows_the_crm_panel_with_recent_activities(cashier_page):
    customer = CustomerFactory()
    ActivityFactory(customer=customer, kind="call", subject="Asked about beans")
    page = html(cashier_page.get(f"/customers/{customer.pk}/"))
    assert 'id="crm-panel"' in page
    assert "Asked about beans" in page
    assert f'hx-post="/crm/customers/{customer.pk}/activities/"' in page


def test_panel_is_hidden_from_staff_without_crm_permissions(client):
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="customers", codename="view_customer")
    )
    client.force_login(user)
    customer = CustomerFactory()
    ActivityFactory(customer=customer, subject="Private note")
    page = html(client.get(f"/customers/{customer.pk}/"))
    assert 'id="crm-panel"' not in page
    assert "Private note" not in page


def test_panel_query_count(cashier, django_assert_num_queries):
    customer = CustomerFactory()
    ActivityFactory.create_batch(12, customer=customer)
    request = RequestFactory().get(f"/customers/{customer.pk}/")
    request.user = cashier
    request.user.has_perm("crm.add_activity")  # permissions are cached once per request
    # One query: the ten newest activities with their authors.
    with django_assert_num_queries(1):
        context = crm_panel_context(customer, request)
        rendered = render_to_string(
            "crm/_crm_panel.html", {"customer": customer, **context}, request=request
        )
    assert rendered.count('class="list-group-item') == 10


# --- contacts ---------------------------------------------------------------------------


def test_contacts_lists_customers_and_leads_with_a_badge(cashier_page):
    CustomerFactory(name="Alice Customer")
    LeadFactory(name="Bert Lead", company="Bert Co")
    converted = LeadFactory(name="Alice Customer Lead")
    cashier_page.post(f"/crm/leads/{converted.pk}/convert/")
    response = cashier_page.get("/crm/contacts/")
    rows = [(row["name"], row["contact_kind"]) for row in response.context["contacts"]]
    assert rows == [
        ("Alice Customer", "customer"),
        ("Alice Customer Lead", "customer"),
        ("Bert Lead", "lead"),
    ]
    page = html(response)
    assert "contact-badge" in page
    assert "Bert Co" in page


def test_contacts_search_and_kind_filter(cashier_page):
    CustomerFactory(name="Dana Shop", phone="+14155552671")
    LeadFactory(name="Dana Prospect", email="dana@prospect.test")
    LeadFactory(name="Other Person")

    def names(query):
        return [
            row["name"] for row in cashier_page.get(f"/crm/contacts/{query}").context["contacts"]
        ]

    assert names("?search=dana") == ["Dana Prospect", "Dana Shop"]
    assert names("?search=415 555") == ["Dana Shop"]
    assert names("?search=prospect.test") == ["Dana Prospect"]
    assert names("?search=dana&kind=leads") == ["Dana Prospect"]
    assert names("?kind=customers") == ["Dana Shop"]
    assert "No contacts match" in html(cashier_page.get("/crm/contacts/?search=zzz"))


def test_contacts_pagination_and_query_count(cashier_page):
    CustomerFactory.create_batch(3)
    cashier_page.get("/crm/contacts/")
    _, few = page_queries(cashier_page, "/crm/contacts/")
    CustomerFactory.create_batch(20)
    LeadFactory.create_batch(10)
    response, many = page_queries(cashier_page, "/crm/contacts/")
    assert len(many) == len(few)
    # count + one page, each a single UNION of customers and leads.
    assert len(own_queries(many)) == 2
    assert response.context["page_obj"].paginator.count == 33
    assert len(response.context["contacts"]) == 25
    assert len(cashier_page.get("/crm/contacts/?page=2").context["contacts"]) == 8


# --- my tasks ---------------------------------------------------------------------------


def test_my_tasks_are_open_tasks_by_due_date_with_overdue_marked(cashier_page, cashier):
    today = timezone.localdate()
    later = TaskFactory(author=cashier, due_on=today + timedelta(days=5), subject="Later")
    late = TaskFactory(author=cashier, due_on=today - timedelta(days=2), subject="Late one")
    undated = TaskFactory(author=cashier, due_on=None, subject="Someday")
    TaskFactory(author=cashier, due_on=today, done=True, subject="Finished")
    TaskFactory(due_on=today, subject="Someone else's")
    ActivityFactory(author=cashier, subject="A note")
    response = cashier_page.get("/crm/tasks/")
    assert list(response.context["tasks"]) == [late, later, undated]
    page = html(response)
    assert page.count("activity-overdue") == 1
    assert page.count("overdue-badge") == 1
    everyone = cashier_page.get("/crm/tasks/?who=all").context["tasks"]
    assert "Someone else's" in [task.subject for task in everyone]


def test_done_with_one_click(cashier_page, cashier):
    task = LeadActivityFactory(
        kind="task", author=cashier, due_on=timezone.localdate(), subject="Send offer"
    )
    response = cashier_page.post(f"/crm/activities/{task.pk}/done/", {"show_contact": "1"}, **HTMX)
    page = html(response)
    assert page.lstrip().startswith('<li class="list-group-item d-flex gap-2 activity-item')
    assert "activity-done" in page
    assert "Done: Send offer." in page
    task.refresh_from_db()
    assert task.done is True
    assert list(cashier_page.get("/crm/tasks/").context["tasks"]) == []


def test_done_without_javascript_returns_to_the_list(cashier_page, cashier):
    task = TaskFactory(author=cashier)
    response = cashier_page.post(f"/crm/activities/{task.pk}/done/", {"next": "/crm/tasks/"})
    assert response["Location"] == "/crm/tasks/"
    response = cashier_page.post(
        f"/crm/activities/{task.pk}/done/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/crm/tasks/"


def test_task_list_query_count(cashier_page, cashier):
    TaskFactory.create_batch(2, author=cashier)
    cashier_page.get("/crm/tasks/")
    _, few = page_queries(cashier_page, "/crm/tasks/")
    TaskFactory.create_batch(10, author=cashier)
    LeadActivityFactory.create_batch(10, kind="task", author=cashier)
    response, many = page_queries(cashier_page, "/crm/tasks/")
    assert len(response.context["tasks"]) == 22
    assert len(many) == len(few)
    # count + one page of tasks with their authors, customers and leads.
    assert len(own_queries(many)) == 2
