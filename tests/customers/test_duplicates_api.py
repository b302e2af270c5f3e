"""``GET /api/customers/duplicates``: the till asks before adding someone whose phone is taken."""

import pytest

from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def duplicates(client, **params):
    response = client.get("/api/customers/duplicates", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_taken_phone_names_its_owners_and_whether_the_name_is_close(
    cashier_client, django_assert_num_queries
):
    rita = CustomerFactory(name="Rita Regular", phone="+14155552671")
    other = CustomerFactory(name="Sam Other", phone="+14155552671", status="inactive")
    CustomerFactory(name="Rita Regular", phone="+14155550000")
    with django_assert_num_queries(2):  # the user and the owners
        found = duplicates(cashier_client, name="Rita Regullar", phone="(415) 555-2671")
    assert found == [
        {
            "id": rita.pk,
            "name": "Rita Regular",
            "phoneDisplay": "(415) 555-2671",
            "status": "active",
            "reasons": ["same phone", "similar name"],
        },
        {
            "id": other.pk,
            "name": "Sam Other",
            "phoneDisplay": "(415) 555-2671",
            "status": "inactive",
            "reasons": ["same phone"],
        },
    ]


@pytest.mark.parametrize(
    "params", [{}, {"name": "Rita"}, {"phone": "not a phone"}, {"phone": "+14155559999"}]
)
def test_no_phone_or_a_free_one_asks_nothing(cashier_client, params):
    CustomerFactory(name="Rita Regular", phone="+14155552671")
    assert duplicates(cashier_client, **params) == []


def test_bad_parameters_are_a_400_naming_them(cashier_client):
    response = cashier_client.get("/api/customers/duplicates", {"name": "x" * 201})
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
