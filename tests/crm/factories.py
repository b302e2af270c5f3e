"""Factories for leads and activities: valid, normalised values, unique emails and phones."""

import factory

from crm.models import Activity, ActivityKind, Lead
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"lead{n}@example.com")
    # A different exchange from the customer factory's, so leads match no customer by chance.
    phone = factory.Sequence(lambda n: f"+1212{300 + n // 10000:03d}{n % 10000:04d}")
    company = factory.Faker("company")
    owner = factory.SubFactory(UserFactory)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    kind = ActivityKind.NOTE
    subject = factory.Sequence(lambda n: f"Activity {n}")
    body = "Some details."
    customer = factory.SubFactory(CustomerFactory)
    lead = None
    author = factory.SubFactory(UserFactory)


class LeadActivityFactory(ActivityFactory):
    customer = None
    lead = factory.SubFactory(LeadFactory)


class TaskFactory(ActivityFactory):
    kind = ActivityKind.TASK
    due_on = None
