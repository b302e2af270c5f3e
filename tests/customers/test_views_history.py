"""What the customer pages tell htmx about the browser's history (no browser needed)."""

import re

import pytest

from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_the_duplicate_check_tells_htmx_to_leave_the_address_alone(manager_page):
    CustomerFactory(name="Grace Existing", phone="+14155552671")
    response = manager_page.get(
        "/customers/duplicates/?name=Ada&phone=415+555+2671", HTTP_HX_REQUEST="true"
    )
    assert "Grace Existing" in response.content.decode()
    # An answer header wins over any hx-push-url the form around the check has.
    assert response["HX-Push-Url"] == "false"


def test_the_form_marks_its_duplicate_check_as_no_history(manager_page):
    html = manager_page.get("/customers/new/").content.decode()
    check = re.search(r"<div class=\"customer-form-layout\"[^>]*>", html).group(0)
    assert 'hx-push-url="false"' in check


def test_the_sort_travels_with_the_results_the_search_form_sends(manager_page):
    CustomerFactory(name="Lena Adams")
    response = manager_page.get(
        "/customers/?search=lena&ordering=-loyaltyPoints",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="customer-results",
    )
    html = response.content.decode()
    # The results (swapped after every sort) carry the sort for the search form's next request.
    assert re.search(
        r'<input type="hidden" name="ordering" value="-loyaltyPoints" form="customer-search">',
        html,
    )


def test_the_list_page_has_one_ordering_field_and_its_history_script(manager_page):
    html = manager_page.get("/customers/?ordering=-createdAt").content.decode()
    assert html.count('name="ordering"') == 1
    assert 'value="-createdAt" form="customer-search"' in html
    assert "customers/list-history.js" in html


def test_an_empty_result_keeps_the_sort_too(manager_page):
    html = manager_page.get(
        "/customers/?search=nobody&ordering=-loyaltyPoints",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="customer-results",
    ).content.decode()
    assert 'name="ordering" value="-loyaltyPoints" form="customer-search"' in html
