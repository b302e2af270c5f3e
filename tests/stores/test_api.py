"""``/api/stores`` and ``/api/tills``: Managers set the chain up, everyone reads it."""

import pytest

from stores.models import Store, Till
from tests.factories import UserFactory
from tests.stores.factories import StoreFactory, TillFactory

pytestmark = pytest.mark.django_db

DOWNTOWN = {
    "code": "DT",
    "name": "Downtown",
    "address": "1 Main St",
    "phone": "+1 555 0100",
    "taxId": "TX-1",
    "taxRate": "0.0875",
    "timeZone": "America/New_York",
}


def test_a_manager_adds_a_store_and_everyone_reads_it(manager_client, cashier_client):
    created = manager_client.post("/api/stores", DOWNTOWN, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body == {"id": body["id"], **DOWNTOWN}
    assert created["Location"].endswith(f"/api/stores/{body['id']}")
    listed = cashier_client.get("/api/stores").json()["results"]
    assert [store["code"] for store in listed] == ["DT", "S"]
    assert cashier_client.post("/api/stores", {**DOWNTOWN, "code": "X"}).status_code == 403


def test_the_first_store_shows_the_shops_tax_rate_until_it_has_its_own(manager_client, settings):
    settings.CLASSICPOS_TAX_RATE = __import__("decimal").Decimal("0.0725")
    first = Store.objects.get(code="S")
    assert manager_client.get(f"/api/stores/{first.pk}").json()["taxRate"] == "0.0725"
    changed = manager_client.patch(f"/api/stores/{first.pk}", {"taxRate": "0.05"}, format="json")
    assert changed.json()["taxRate"] == "0.0500"
    back = manager_client.patch(f"/api/stores/{first.pk}", {"taxRate": None}, format="json")
    assert back.json()["taxRate"] == "0.0725"
    first.refresh_from_db()
    assert first.tax_rate is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**DOWNTOWN, "code": "dt!"}, "code"),
        ({**DOWNTOWN, "code": "S"}, "code"),
        ({**DOWNTOWN, "code": "TOOLONGCODE"}, "code"),
        ({**DOWNTOWN, "timeZone": "Mars/Olympus"}, "timeZone"),
        ({**DOWNTOWN, "taxRate": "1.5"}, "taxRate"),
        ({**DOWNTOWN, "taxRate": "abc"}, "taxRate"),
        ({**DOWNTOWN, "name": ""}, "name"),
        ({**DOWNTOWN, "colour": "red"}, "colour"),
    ],
)
def test_a_bad_store_is_a_400_naming_the_field(manager_client, body, field):
    response = manager_client.post("/api/stores", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Store.objects.filter(name="Downtown").exists()


def test_a_stores_code_never_changes(manager_client):
    store = StoreFactory(code="DT")
    refused = manager_client.patch(f"/api/stores/{store.pk}", {"code": "XX"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["code"] == [
        "A store's code is printed on its receipts and cannot change."
    ]
    same = manager_client.patch(
        f"/api/stores/{store.pk}", {"code": "DT", "name": "Downtown 2"}, format="json"
    )
    assert same.status_code == 200
    assert manager_client.put(f"/api/stores/{store.pk}", DOWNTOWN, format="json").status_code == 405


def test_a_manager_says_who_sells_at_a_store(manager_client, cashier_client, cashier):
    store = StoreFactory()
    UserFactory(username="ann")
    url = f"/api/stores/{store.pk}/staff"
    assert cashier_client.get(url).json() == {"usernames": []}
    assert cashier_client.put(url, {"usernames": ["ann"]}, format="json").status_code == 403
    set_ = manager_client.put(url, {"usernames": ["cashier", "ann"]}, format="json")
    assert set_.json() == {"usernames": ["ann", "cashier"]}
    unknown = manager_client.put(url, {"usernames": ["nobody"]}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["errors"]["usernames"] == ["No active user is called nobody."]
    assert list(store.staff.order_by("username").values_list("username", flat=True)) == [
        "ann",
        "cashier",
    ]


def test_tills_are_added_renamed_and_retired_never_deleted(manager_client, cashier_client):
    store = StoreFactory()
    created = manager_client.post(
        "/api/tills", {"storeId": store.pk, "name": "Front"}, format="json"
    )
    assert created.status_code == 201
    till = created.json()
    assert till == {"id": till["id"], "storeId": store.pk, "name": "Front", "active": True}
    twin = manager_client.post("/api/tills", {"storeId": store.pk, "name": "Front"}, format="json")
    assert twin.status_code == 400
    assert "The store already has a till of this name." in str(twin.json()["errors"])
    retired = manager_client.patch(f"/api/tills/{till['id']}", {"active": False}, format="json")
    assert retired.json()["active"] is False
    assert manager_client.delete(f"/api/tills/{till['id']}").status_code == 405
    assert cashier_client.post("/api/tills", {"storeId": store.pk, "name": "B"}).status_code == 403
    assert Till.objects.filter(pk=till["id"]).exists()
    unknown_store = manager_client.post(
        "/api/tills", {"storeId": 999999, "name": "X"}, format="json"
    )
    assert unknown_store.status_code == 400
    assert "storeId" in unknown_store.json()["errors"]


def test_tills_list_with_their_store(cashier_client):
    till = TillFactory(name="Back", store=StoreFactory(code="AP"))
    listed = cashier_client.get("/api/tills").json()["results"]
    assert {"id": till.pk, "storeId": till.store_id, "name": "Back", "active": True} in listed
