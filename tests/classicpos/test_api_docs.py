"""The API's documentation pages: each path once, nothing fetched from another host."""

import re
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.django_db


def test_schema_lists_the_token_endpoint_once(manager_client):
    paths = manager_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    token_paths = [path for path in paths if path.startswith("/api/auth/token")]
    assert token_paths == ["/api/auth/token"]


def test_token_endpoint_still_answers_with_a_slash(anonymous_client):
    response = anonymous_client.post("/api/auth/token/", {}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_link_nothing_on_another_host(manager_client, path):
    html = manager_client.get(path).content.decode()
    assert "fonts.googleapis.com" not in html
    # The page's scripts, styles and icons all come from this server.
    hosts = {urlparse(url).netloc for url in re.findall(r'(?:src|href)="([^"]+)"', html)}
    assert hosts <= {"", "testserver"}, hosts
