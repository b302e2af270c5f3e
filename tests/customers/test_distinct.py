"""Not the same person: pairs the duplicate finder offered that staff said are different."""

import pytest
from django.core.exceptions import ValidationError

from customers import services
from customers.distinct import DistinctCustomers
from customers.duplicates import customer_duplicate_groups
from customers.models import CustomerEvent, CustomerEventKind
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

PHONE = "+14155550150"


def group_ids() -> set[tuple[int, ...]]:
    return {
        tuple(customer.pk for customer in group.customers) for group in customer_duplicate_groups()
    }


@pytest.fixture
def household():
    """Three people who share the family's phone."""
    return [CustomerFactory(name=name, phone=PHONE) for name in ("Mum Ng", "Dad Ng", "Kid Ng")]


def test_marking_a_pair_remembers_who_and_when_once_for_both_orders(household, manager):
    mum, dad, _ = household
    pair = services.customer_mark_distinct(customer=dad, other=mum, actor=manager, channel="page")
    assert (pair.first_id, pair.second_id) == (mum.pk, dad.pk)
    assert pair.decided_by == manager
    assert pair.decided_at is not None
    # Said again, either way round: the same row, no second event.
    again = services.customer_mark_distinct(customer=mum, other=dad, actor=manager, channel="page")
    assert again.pk == pair.pk
    assert DistinctCustomers.objects.count() == 1
    events = CustomerEvent.objects.filter(kind=CustomerEventKind.NOT_DUPLICATE)
    assert sorted(events.values_list("customer_id", "other_customer_id")) == sorted(
        [(mum.pk, dad.pk), (dad.pk, mum.pk)]
    )
    assert {event.actor for event in events} == {manager}


def test_a_customer_is_never_distinct_from_themselves(household, manager):
    with pytest.raises(ValidationError):
        services.customer_mark_distinct(
            customer=household[0], other=household[0], actor=manager, channel="page"
        )
    assert not DistinctCustomers.objects.exists()


def test_the_database_refuses_a_pair_stored_the_wrong_way_round(household):
    from django.db import IntegrityError

    mum, dad, _ = household
    with pytest.raises(IntegrityError):
        DistinctCustomers.objects.create(first=dad, second=mum)


def test_a_household_leaves_the_duplicates_once_each_pair_is_decided(household, manager):
    mum, dad, kid = household
    assert group_ids() == {(mum.pk, dad.pk, kid.pk)}
    services.customer_mark_distinct(customer=mum, other=dad, actor=manager, channel="page")
    # Dad is still offered, against the kid; the kid against Mum.
    assert group_ids() == {(mum.pk, kid.pk)}
    services.customer_mark_distinct(customer=kid, other=mum, actor=manager, channel="page")
    assert group_ids() == {(dad.pk, kid.pk)}
    services.customer_mark_distinct(customer=dad, other=kid, actor=manager, channel="page")
    assert group_ids() == set()
    # A fourth person with the phone is offered against the first of them.
    newcomer = CustomerFactory(name="Nan Ng", phone=PHONE)
    assert group_ids() == {(mum.pk, newcomer.pk)}


def test_a_pair_found_for_two_reasons_leaves_with_one_decision(manager):
    a = CustomerFactory(name="Sam Lee", phone=PHONE, address="5 Elm St")
    b = CustomerFactory(name="Sam Lee Jr", phone=PHONE, address="5 elm st")
    assert group_ids() == {(a.pk, b.pk)}
    services.customer_mark_distinct(customer=a, other=b, actor=manager, channel="page")
    assert group_ids() == set()


def test_finding_duplicates_costs_one_query_more_whatever_the_decisions(
    manager, django_assert_num_queries
):
    for n in range(3):
        first = CustomerFactory(phone=f"+1415555017{n}", name=f"Twin {n}")
        second = CustomerFactory(phone=f"+1415555017{n}", name=f"Twin {n}", email=None)
    services.customer_mark_distinct(customer=first, other=second, actor=manager, channel="page")
    with django_assert_num_queries(5):
        assert len(customer_duplicate_groups()) == 2
    for n in range(3, 6):
        first = CustomerFactory(phone=f"+1415555017{n}", name=f"Twin {n}")
        second = CustomerFactory(phone=f"+1415555017{n}", name=f"Twin {n}", email=None)
        services.customer_mark_distinct(customer=first, other=second, actor=manager, channel="page")
    with django_assert_num_queries(5):
        assert len(customer_duplicate_groups()) == 2


# --- the pages ---------------------------------------------------------------------------


def test_the_duplicates_page_offers_not_the_same_person(manager_page, household):
    mum, dad, _ = household
    html = manager_page.get("/customers/likely-duplicates/").content.decode()
    assert f'action="/customers/{mum.pk}/not-duplicate/"' in html
    assert f'name="other" value="{dad.pk}"' in html
    assert "Not the same person" in html


def test_not_the_same_person_takes_the_pair_off_the_page(manager_page, manager):
    a = CustomerFactory(name="Ann Shared", phone=PHONE)
    b = CustomerFactory(name="Bob Shared", phone=PHONE)
    response = manager_page.post(f"/customers/{a.pk}/not-duplicate/", {"other": b.pk})
    assert response.status_code == 302
    assert response["Location"] == "/customers/likely-duplicates/"
    assert DistinctCustomers.objects.get().decided_by == manager
    page = manager_page.get("/customers/likely-duplicates/")
    html = page.content.decode()
    assert "Ann Shared and Bob Shared are kept apart" in html
    assert "No likely duplicates" in html


def test_the_decision_is_in_both_customers_timelines(manager_page, manager):
    a = CustomerFactory(name="Ann Shared", phone=PHONE)
    b = CustomerFactory(name="Bob Shared", phone=PHONE)
    manager_page.post(f"/customers/{a.pk}/not-duplicate/", {"other": b.pk})
    html = manager_page.get(f"/customers/{b.pk}/").content.decode()
    assert f"Not the same person as customer #{a.pk}" in html
    assert f'href="/customers/{a.pk}/"' in html
    entries = manager_page.get(f"/api/customers/{a.pk}/timeline").json()["results"]
    assert entries[0]["kind"] == "customer.not_duplicate"
    assert entries[0]["actor"] == manager.username


def test_not_the_same_person_is_a_managers_decision(cashier_page):
    a = CustomerFactory(name="Ann Shared", phone=PHONE)
    b = CustomerFactory(name="Bob Shared", phone=PHONE)
    response = cashier_page.post(f"/customers/{a.pk}/not-duplicate/", {"other": b.pk})
    assert response.status_code == 403
    assert not DistinctCustomers.objects.exists()


def test_not_the_same_person_is_only_ever_a_post(manager_page):
    a = CustomerFactory(name="Ann Shared", phone=PHONE)
    b = CustomerFactory(name="Bob Shared", phone=PHONE)
    response = manager_page.get(f"/customers/{a.pk}/not-duplicate/?other={b.pk}")
    assert response.status_code == 405
    assert not DistinctCustomers.objects.exists()


@pytest.mark.parametrize("other", ["", "abc", "²", "-1", "0"])
def test_a_bad_other_customer_is_a_message_not_an_error(manager_page, other):
    a = CustomerFactory(name="Ann Shared", phone=PHONE)
    response = manager_page.post(f"/customers/{a.pk}/not-duplicate/", {"other": other}, follow=True)
    assert response.status_code == 200
    assert "Choose two different customers" in response.content.decode()
    assert not DistinctCustomers.objects.exists()


def test_unknown_customers_are_404(manager_page):
    a = CustomerFactory(name="Ann Shared", phone=PHONE)
    assert manager_page.post("/customers/999999/not-duplicate/", {"other": a.pk}).status_code == 404
    assert (
        manager_page.post(f"/customers/{a.pk}/not-duplicate/", {"other": 999999}).status_code == 404
    )


def test_the_same_customer_twice_is_refused_with_a_message(manager_page):
    a = CustomerFactory(name="Ann Shared", phone=PHONE)
    response = manager_page.post(f"/customers/{a.pk}/not-duplicate/", {"other": a.pk}, follow=True)
    assert "Choose two different customers" in response.content.decode()
    assert not DistinctCustomers.objects.exists()


def test_a_merge_keeps_what_was_decided_about_the_customer_merged_away(manager):
    ann = CustomerFactory(name="Ann Lee", phone="+14155550199")
    ann_again = CustomerFactory(name="Ann Lee", phone=PHONE, email=None)
    dan = CustomerFactory(name="Dan Lee", phone=PHONE)
    services.customer_mark_distinct(customer=ann_again, other=dan, actor=manager, channel="page")
    services.customer_merge(
        survivor=ann,
        duplicate=ann_again,
        actor=manager,
        channel="page",
        fields={"phone": "duplicate"},
    )
    ann.refresh_from_db()
    assert ann.phone == PHONE
    # The record merged away was Ann all along: Ann is not Dan either.
    assert group_ids() == set()
    pair = DistinctCustomers.objects.get(first=ann, second=dan)
    assert pair.decided_by == manager


def test_the_form_no_longer_hints_at_someone_decided_apart(manager):
    from customers.selectors import customer_duplicates_to_confirm, customer_find_duplicates

    mia = CustomerFactory(name="Mia Ng", phone=PHONE)
    dan = CustomerFactory(name="Dan Ng", phone="+14155550177")
    assert [item.customer for item in customer_find_duplicates(phone=PHONE, exclude_id=dan.pk)] == [
        mia
    ]
    assert [
        item.customer for item in customer_duplicates_to_confirm(phone=PHONE, customer=dan)
    ] == [mia]
    services.customer_mark_distinct(customer=dan, other=mia, actor=manager, channel="page")
    # Editing Dan: Mia is neither hinted at nor asked about.
    assert customer_find_duplicates(phone=PHONE, exclude_id=dan.pk) == []
    assert customer_duplicates_to_confirm(phone=PHONE, customer=dan) == []
    # Someone new with the phone still hears about Mia.
    assert [item.customer for item in customer_find_duplicates(phone=PHONE)] == [mia]
