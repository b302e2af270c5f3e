"""The README's curl examples work as printed, run by bash against a live server."""

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.factories import UserFactory

README = Path(__file__).resolve().parent.parent / "README.md"
PRINTED_BASE = "http://127.0.0.1:8000"
PASSWORD_PLACEHOLDER = "YOUR-ADMIN-PASSWORD"
SEPARATOR = "=====README-EXAMPLE====="


def api_commands() -> list[str]:
    """Return every curl command of the README's ``sh`` blocks, in order."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(), flags=re.DOTALL)
    commands = []
    for block in blocks:
        if "curl " not in block:
            continue
        # Commands are separated by blank lines; a backslash continues a line.
        commands.extend(part.strip() for part in block.split("\n\n") if part.strip())
    return commands


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_curl_examples_run_as_printed(live_server, tmp_path):
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    # The examples name rows by id from 1. reset_sequences alone restarts PostgreSQL's
    # sequences under rows a data migration made (the first store is id 1, and the next
    # store would be given 1 again) when this is a worker's first transactional test: start
    # from an empty database instead, as a shop's first day does (roles come back with
    # post_migrate, the first store with the first sale).
    call_command("flush", interactive=False, verbosity=0)

    admin = UserFactory(username="admin", is_superuser=True)
    admin.set_password("readme-pass")
    admin.save()
    admin.groups.add(Group.objects.get(name="Manager"))

    commands = api_commands()
    script = "set -euo pipefail\n" + f"\necho; echo '{SEPARATOR}'\n".join(commands)
    script = script.replace(PRINTED_BASE, live_server.url).replace(
        PASSWORD_PLACEHOLDER, "readme-pass"
    )
    result = subprocess.run(  # noqa: S603 - runs the README's own examples
        ["/bin/bash", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,  # an example that saves a file (an export) saves it here
    )
    assert result.returncode == 0, result.stderr
    outputs = [part.strip() for part in result.stdout.split(SEPARATOR)]
    by_command = dict(zip((c.split("\n")[0] for c in commands), outputs, strict=True))

    def output(start: str) -> str:
        return next(text for command, text in by_command.items() if command.startswith(start))

    assert output("TOKEN=") == ""
    assert '"status":"queued"' in output(
        "curl -s -i -X POST 'http://127.0.0.1:8000/api/customers/export"
    )
    assert '"count":0' in output("curl -s 'http://127.0.0.1:8000/api/customers?search")
    created = output("curl -s -i -X POST http://127.0.0.1:8000/api/customers ")
    assert "HTTP/1.1 201 Created" in created
    assert '"name":"Jane Doe"' in created
    assert '"id":1' in output("curl -s http://127.0.0.1:8000/api/customers/1 ")
    assert '"name":"Jane Q. Doe"' in output("curl -s -X PUT")
    assert '"address":"2 Market St"' in output("curl -s -X PATCH")
    assert "HTTP/1.1 204 No Content" in output("curl -s -i -X DELETE")
    assert '"status":"active"' in output(
        "curl -s -X POST http://127.0.0.1:8000/api/customers/1/restore"
    )
    assert '"sku":"README-1"' in output("curl -s -X POST http://127.0.0.1:8000/api/products")
    quote = output("curl -s -X POST http://127.0.0.1:8000/api/sales/quote")
    assert '"total":"25.00"' in quote
    assert '"change":"5.00"' in quote
    sale = output("curl -s -X POST http://127.0.0.1:8000/api/sales ")
    assert '"total":"25.00"' in sale
    assert '"change":"5.00"' in sale
    assert '"pointsEarned":25' in sale
    assert '"count":1' in output("curl -s 'http://127.0.0.1:8000/api/sales?customer=1")
    assert '"saleStatus":"partially_refunded"' in output(
        "curl -s -X POST http://127.0.0.1:8000/api/sales/1/refund"
    )
    blocked = output('curl -s -X PATCH http://127.0.0.1:8000/api/customers/1 -H "Authorization')
    assert '"alert":{"level":"block","text":"Two cheques bounced: cash or card only"}' in blocked
    refused = output("curl -s -i -X POST http://127.0.0.1:8000/api/sales/quote")
    assert "HTTP/1.1 400 Bad Request" in refused
    assert '"errors":{"customerId":["Sales to Jane Q. Doe are blocked:' in refused
    assert '"number":"S-000002"' in output("curl -s -X POST 'http://127.0.0.1:8000/api/sales'")
    assert '"alert":null' in output(
        "curl -s -X PATCH http://127.0.0.1:8000/api/customers/1 -H 'Content-Type"
    )
    assert '"kind":"earn"' in output("curl -s http://127.0.0.1:8000/api/customers/1/loyalty ")
    assert '"balanceAfter":' in output(
        "curl -s -X POST http://127.0.0.1:8000/api/customers/1/loyalty-adjustments"
    )
    assert '"redeemStep":100' in output("curl -s http://127.0.0.1:8000/api/loyalty-program")
    assert '"byMonthEarned":[' in output(
        "curl -s http://127.0.0.1:8000/api/reports/points-liability"
    )
    assert '"phone":"+12125550199"' in output("curl -s -X POST http://127.0.0.1:8000/api/leads \\")
    assert '"count":1' in output("curl -s 'http://127.0.0.1:8000/api/leads?status=new")
    assert '"status":"contacted"' in output("curl -s -X PATCH http://127.0.0.1:8000/api/leads/1")
    assert '"leadId":1' in output("curl -s -X POST http://127.0.0.1:8000/api/activities \\")
    assert '"dueOn":"2030-01-15"' in output(
        "curl -s -X POST http://127.0.0.1:8000/api/activities -H"
    )
    assert '"count":1' in output("curl -s 'http://127.0.0.1:8000/api/activities?openTasks=true")
    assert '"done":true' in output("curl -s -X PATCH http://127.0.0.1:8000/api/activities/2")
    assert (
        output("curl -s -X POST http://127.0.0.1:8000/api/leads/1/convert")
        == '{"customerId":2,"created":true}'
    )
    assert (
        output("curl -s -X POST http://127.0.0.1:8000/api/leads/2/convert")
        == '{"customerId":1,"created":false}'
    )
    assert '"count":2' in output("curl -s http://127.0.0.1:8000/api/customers/2/activities")
    assert '"creditLimit":"500.00"' in output(
        "curl -s -X PATCH http://127.0.0.1:8000/api/customers/1/account"
    )
    assert '"invoiceNumber":"INV-S-000001"' in output(
        "curl -s -X POST http://127.0.0.1:8000/api/sales -H"
    )
    assert '"outstanding":"25.00"' in output(
        "curl -s http://127.0.0.1:8000/api/customers/1/account "
    )
    assert '"status":"partially_paid"' in output(
        "curl -s -X POST http://127.0.0.1:8000/api/invoices/1/payments"
    )
    assert '"balanceAfter":"5.00"' in output(
        "curl -s -X POST http://127.0.0.1:8000/api/customers/1/store-credit-adjustments"
    )
    assert '"closingBalance":"15.00"' in output(
        "curl -s 'http://127.0.0.1:8000/api/customers/1/statement"
    )
    assert '"code":"DT"' in output("curl -s -X POST http://127.0.0.1:8000/api/stores ")
    assert '"storeId":2' in output("curl -s -X POST http://127.0.0.1:8000/api/tills ")
    assert '"usernames":[]' in output("curl -s -X PUT http://127.0.0.1:8000/api/stores/2/staff")
    downtown_sale = output("curl -s -X POST http://127.0.0.1:8000/api/sales -H 'Idempotency-Key")
    assert '"number":"DT-000001"' in downtown_sale
    assert '"tax":"1.09"' in downtown_sale
    assert '"gross":"13.59"' in output("curl -s 'http://127.0.0.1:8000/api/reports/sales-by-store")
    issued = output("curl -s -X POST http://127.0.0.1:8000/api/gift-cards ")
    assert '"last4":"0042"' in issued
    assert '"code":"GIFT20260000' in issued
    reloaded = output(
        "curl -s -X POST http://127.0.0.1:8000/api/sales -H 'Idempotency-Key: dt-front-0002'"
    )
    assert '"kind":"load"' in reloaded
    assert '"balance":"45.00"' in output(
        "curl -s -X POST http://127.0.0.1:8000/api/gift-cards/lookup"
    )
    paid = output(
        "curl -s -X POST http://127.0.0.1:8000/api/sales -H 'Idempotency-Key: dt-front-0003'"
    )
    assert '"balanceAfter":"35.00"' in paid
    assert '"kind":"redeem"' in output("curl -s http://127.0.0.1:8000/api/gift-cards/1/entries")
    assert '"messageId":' in output(
        'curl -s -X POST "http://127.0.0.1:8000/api/customers/$PAT/self-service-link"'
    )
    assert (
        output('curl -s -X DELETE "http://127.0.0.1:8000/api/customers/$PAT/self-service-link"')
        == '{"revoked":1}'
    )

    assert '"outstanding":"35.00"' in output(
        "curl -s http://127.0.0.1:8000/api/reports/gift-card-liability"
    )
    profile = output("curl -s -X PATCH 'http://127.0.0.1:8000/api/customers/1'")
    assert '"tags":["VIP"]' in profile
    assert '"marketingConsent":{"email":true,"sms":false}' in profile
    assert '"count":1' in output("curl -s 'http://127.0.0.1:8000/api/customers?tag=vip")
    timeline = output("curl -s 'http://127.0.0.1:8000/api/customers/1/timeline")
    assert '"kind":"customer.changed"' in timeline
    assert '"kind":"customer.alert_overridden"' in timeline
    assert '"actor":"admin"' in timeline
    assert '"created":1' in output("printf 'name,email,phone,loyaltyPoints")
    assert "Ada Lovelace" in output("curl -s 'http://127.0.0.1:8000/api/customers/export")
    assert "301 Moved Permanently" in output("curl -s -i http://127.0.0.1:8000/api/customers/2 ")
    exported = output("curl -s http://127.0.0.1:8000/api/customers/1/data-export ")
    assert '"name": "Jane Q. Doe"' in exported
    assert '"sales": [' in exported
    with zipfile.ZipFile(tmp_path / "customer-1.zip") as archive:
        assert {"customer.csv", "sales.csv", "sales.lines.csv"} <= set(archive.namelist())
    assert '"name":"Anonymised customer #1"' in output(
        "curl -s -X POST http://127.0.0.1:8000/api/customers/1/anonymise"
    )
    assert "HTTP/1.1 204 No Content" in output(
        "curl -s -i -X DELETE http://127.0.0.1:8000/api/auth/token"
    )
