"""On PostgreSQL, several workers sending one outbox at once send each message once."""

import pytest
from django.db import connection

from messaging.delivery import messages_deliver
from messaging.models import Message, MessageState
from messaging.services import receipt_email
from tests.threads import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SKIP LOCKED under real concurrency needs PostgreSQL (make test-postgres); "
        "on SQLite one worker sends the outbox.",
    ),
]


def test_four_workers_send_twenty_messages_once_each(smtp_server, sale, cashier):
    addresses = [f"reader{n}@example.com" for n in range(20)]
    for address in addresses:
        receipt_email(sale=sale, email=address, user=cashier)

    outcomes, errors = run_together(lambda _index: messages_deliver(), threads=4)

    assert errors == []
    assert sum(outcome["sent"] for outcome in outcomes) == 20
    assert Message.objects.filter(state=MessageState.SENT).count() == 20
    for address in addresses:
        assert len(smtp_server.to(address)) == 1, address
