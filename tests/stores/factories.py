import factory

from stores.models import Store, Till


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store

    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.Sequence(lambda n: f"Store {n}")


class TillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Till

    store = factory.SubFactory(StoreFactory)
    name = factory.Sequence(lambda n: f"Till {n + 1}")
