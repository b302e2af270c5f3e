"""The API's documentation pages: each path once, nothing fetched from another host."""

import json
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


@pytest.fixture
def schema_builds(monkeypatch):
    """Count how often drf-spectacular builds the document."""
    from drf_spectacular.generators import SchemaGenerator

    builds = []
    build = SchemaGenerator.get_schema

    def counted(self, *args, **kwargs):
        builds.append(1)
        return build(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    return builds


def test_the_schema_is_built_once_per_process(manager_client, cashier_client, schema_builds):
    json_first = manager_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    json_again = cashier_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    yaml = manager_client.get("/api/schema/")

    assert len(schema_builds) <= 1
    assert json_first.status_code == json_again.status_code == yaml.status_code == 200
    assert json_first.json() == json_again.json()
    assert yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert "openapi: 3" in yaml.content.decode()


def test_the_kept_schema_is_the_one_a_fresh_build_gives_every_user(
    manager, cashier, manager_client
):
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.request import ForcedAuthentication, Request
    from rest_framework.test import APIRequestFactory

    kept = manager_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for user in (manager, cashier):
        request = Request(
            APIRequestFactory().get("/api/schema/"),
            authenticators=[ForcedAuthentication(user, None)],
        )
        fresh = SchemaGenerator().get_schema(request=request, public=True)
        assert kept == json.loads(json.dumps(fresh, default=str))


def test_the_schema_still_needs_a_staff_user(anonymous_client, schema_builds):
    assert anonymous_client.get("/api/schema/").status_code == 401
