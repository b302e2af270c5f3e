"""A URL that answers a full page or an htmx fragment says so, and the fragment is not cached."""

import pytest

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "customer-results"}


def test_full_page_varies_on_hx_request(manager_page):
    response = manager_page.get("/customers/?search=a&page=2")
    assert "HX-Request" in response["Vary"]
    assert "no-store" not in response.get("Cache-Control", "")
    assert "<nav" in response.content.decode()


def test_fragment_varies_on_hx_request_and_is_never_stored(manager_page):
    response = manager_page.get("/customers/?search=a&page=2", **HTMX)
    assert "HX-Request" in response["Vary"]
    assert "no-store" in response["Cache-Control"]
    assert '<nav class="navbar' not in response.content.decode()


def test_other_apps_lists_get_the_same_headers(manager_page):
    # The middleware covers every htmx-swapped list, not only the customers'.
    response = manager_page.get("/sales/", HTTP_HX_REQUEST="true")
    assert "HX-Request" in response["Vary"]
    assert "no-store" in response["Cache-Control"]
