"""Factories for customers: valid, normalised values, unique emails and phones."""

import factory

from customers.models import Customer


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    # 555-01XX numbers are reserved for fiction; the exchange keeps them unique and valid.
    phone = factory.Sequence(lambda n: f"+1415{200 + n // 10000:03d}{n % 10000:04d}")
    address = factory.Faker("address")
