"""The README's curl examples work as printed, run by bash against a live server."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.factories import UserFactory

README = Path(__file__).resolve().parent.parent / "README.md"
PRINTED_BASE = "http://127.0.0.1:8000"
PASSWORD_PLACEHOLDER = "YOUR-ADMIN-PASSWORD"


def api_examples() -> list[str]:
    """Return the README's ``sh`` blocks that call curl, in order."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(), flags=re.DOTALL)
    return [block for block in blocks if "curl " in block]


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_curl_examples_run_as_printed(live_server):
    from django.contrib.auth.models import Group

    admin = UserFactory(username="admin", is_superuser=True)
    admin.set_password("readme-pass")
    admin.save()
    admin.groups.add(Group.objects.get(name="Manager"))

    examples = api_examples()
    assert len(examples) >= 6
    script = "set -euo pipefail\n" + "\necho '-----'\n".join(examples)
    script = script.replace(PRINTED_BASE, live_server.url).replace(
        PASSWORD_PLACEHOLDER, "readme-pass"
    )
    result = subprocess.run(  # noqa: S603 - runs the README's own examples
        ["/bin/bash", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    token, listing, created, fetched, changed, status_changes = result.stdout.split("-----\n")
    assert '"count":0' in listing
    assert "HTTP/1.1 201 Created" in created
    assert '"name":"Jane Doe"' in created
    assert '"id":1' in fetched
    assert '"name":"Jane Q. Doe"' in changed
    assert '"address":"2 Market St"' in changed
    assert "HTTP/1.1 204 No Content" in status_changes
    assert '"status":"active"' in status_changes
    assert token == ""
