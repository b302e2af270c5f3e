"""Demo leads, calls and follow-up tasks, created through the CRM services.

One lead shares its email with a demo customer, so converting it shows the
"link, don't duplicate" path; the others would become new customers.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from crm import services
from crm.models import ActivityKind, Lead, LeadSource, LeadStatus
from customers.models import Customer

DEMO_LEADS = [
    ("Nora Field", "Field & Sons Catering", LeadSource.PHONE, LeadStatus.NEW),
    ("Omar Haddad", "Haddad Office Supplies", LeadSource.WEB, LeadStatus.CONTACTED),
    ("Priya Raman", "", LeadSource.WALK_IN, LeadStatus.QUALIFIED),
    ("Leo Brandt", "Brandt Bakery", LeadSource.REFERRAL, LeadStatus.NEW),
    ("Mina Cho", "Cho Design Studio", LeadSource.WEB, LeadStatus.CONTACTED),
    ("Ivan Petrov", "", LeadSource.OTHER, LeadStatus.LOST),
]
CALL_SUBJECTS = ["Asked about bulk coffee", "Wants a quote for mugs", "Interested in gift cards"]
TASK_SUBJECTS = ["Send the price list", "Call back about the order", "Invite to the tasting"]


def _demo_owner():
    user_model = get_user_model()
    owner = user_model.objects.filter(is_staff=True, is_active=True).order_by("id").first()
    if owner is None:
        owner, _ = user_model.objects.get_or_create(
            username="demo-crm", defaults={"is_staff": True, "is_active": True}
        )
    return owner


def seed_demo_crm(*, options: dict, progress=None) -> str:
    """Create demo leads with calls and tasks, and a few activities on customers."""
    rng = random.Random(options["seed"])  # noqa: S311 - demo data, not security
    owner = _demo_owner()
    today = timezone.localdate()
    leads = []
    for index, (name, company, source, status) in enumerate(DEMO_LEADS):
        slug = name.lower().replace(" ", ".")
        lead = services.lead_create(
            user=owner,
            name=name,
            email=f"{slug}@example.net",
            phone=f"+1503555{index + 100:04d}",
            company=company,
            source=source,
            status=LeadStatus.NEW if status == LeadStatus.LOST else status,
        )
        if status == LeadStatus.LOST:
            # Marking lost is a Manager's call; the demo owner may have no role yet.
            Lead.objects.filter(pk=lead.pk).update(status=LeadStatus.LOST)
        leads.append(lead)
    customer = Customer.objects.active().exclude(email=None).order_by("id").first()
    if customer is not None:
        leads.append(
            services.lead_create(
                user=owner,
                name=customer.name,
                email=customer.email.upper(),
                source=LeadSource.REFERRAL,
                notes="Met at the tasting; may already shop with us.",
            )
        )
    activities = 0
    for lead in leads:
        services.activity_create(
            author=owner, kind=ActivityKind.CALL, subject=rng.choice(CALL_SUBJECTS), lead=lead
        )
        services.activity_create(
            author=owner,
            kind=ActivityKind.TASK,
            subject=rng.choice(TASK_SUBJECTS),
            lead=lead,
            due_on=today + timedelta(days=rng.randint(-3, 7)),
        )
        activities += 2
    for customer in Customer.objects.active().order_by("id")[:5]:
        services.activity_create(
            author=owner,
            kind=ActivityKind.NOTE,
            subject="Prefers oat milk",
            body="Ask about the new oat biscuits next visit.",
            customer=customer,
        )
        activities += 1
    return f"Created {len(leads)} demo leads and {activities} activities."


def connect() -> None:
    from classicpos.demo import DemoSeeder, register_seeder

    register_seeder(
        DemoSeeder(name="crm", seed=seed_demo_crm, is_loaded=Lead.objects.exists, order=30)
    )
