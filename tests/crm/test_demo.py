"""The CRM's demo data: leads with calls and tasks, one of them already a customer."""

import pytest

from classicpos.demo import seeders
from crm.demo import seed_demo_crm
from crm.models import Activity, Lead
from crm.selectors import lead_conversion_plan
from customers.demo import seed_customers

pytestmark = pytest.mark.django_db


def test_crm_demo_runs_after_the_customers_it_links_to():
    names = [seeder.name for seeder in seeders()]
    assert names.index("crm") > names.index("customers")


def test_demo_leads_are_valid_and_one_matches_a_customer(manager):
    seed_customers(count=12)
    summary = seed_demo_crm(options={"seed": 42})
    assert summary == "Created 7 demo leads and 19 activities."
    leads = list(Lead.objects.all())
    for lead in leads:
        lead.full_clean()
    assert {lead.status for lead in leads} == {"new", "contacted", "qualified", "lost"}
    matching = [lead for lead in leads if lead_conversion_plan(lead=lead, user=manager).customer]
    assert len(matching) == 1
    assert Activity.objects.filter(kind="task", due_on__isnull=False).count() == 7
    assert Activity.objects.filter(customer__isnull=False).count() == 5


def test_demo_without_customers_still_loads():
    assert seed_demo_crm(options={"seed": 1}) == "Created 6 demo leads and 12 activities."
