"""The worker against a real SMTP server (aiosmtpd): delivery, retries, a crash mid-batch."""

from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.core.management import call_command
from django.utils import timezone

from messaging import delivery
from messaging.delivery import INTERRUPTED, messages_deliver, retry_delay
from messaging.models import Message, MessageState
from messaging.services import receipt_email

pytestmark = pytest.mark.django_db


def _parsed(envelope):
    return message_from_bytes(envelope.original_content, policy=policy.default)


def _make_due(*messages):
    Message.objects.filter(pk__in=[m.pk for m in messages]).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_a_receipt_arrives_with_its_content_and_is_marked_sent(smtp_server, sale, cashier):
    message = receipt_email(sale=sale, user=cashier)

    assert messages_deliver() == {"sent": 1, "not_sent": 0}

    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["mary@example.com"]
    assert envelope.mail_from == "receipts@shop.example"
    email = _parsed(envelope)
    assert email["Subject"] == f"Your receipt {sale.number} from {sale.store.receipt_name}"
    text = email.get_body(preferencelist=("plain",)).get_content()
    html = email.get_body(preferencelist=("html",)).get_content()
    for body in (text, html):
        assert sale.store.receipt_name in body
        assert "Blue scarf" in body
        assert "$40.00" in body
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    # Nothing is sent twice: the next round finds nothing due.
    assert messages_deliver() == {"sent": 0, "not_sent": 0}
    assert len(smtp_server.envelopes) == 1


def test_a_refusal_is_retried_with_backoff_then_sent(smtp_server, sale, cashier):
    smtp_server.refusals = ["451 4.3.0 Mailbox busy, try again later"]
    message = receipt_email(sale=sale, user=cashier)
    before = timezone.now()

    assert messages_deliver() == {"sent": 0, "not_sent": 1}

    message.refresh_from_db()
    assert message.state == MessageState.QUEUED
    assert message.attempts == 1
    assert "Mailbox busy" in message.last_error
    assert message.next_attempt_at >= before + timedelta(minutes=1)
    # Not due yet: the worker waits.
    assert messages_deliver() == {"sent": 0, "not_sent": 0}
    _make_due(message)
    assert messages_deliver() == {"sent": 1, "not_sent": 0}
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (MessageState.SENT, 2, "")
    assert len(smtp_server.to("mary@example.com")) == 1


def test_backoff_doubles_and_is_capped():
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
    ]
    assert retry_delay(20) == timedelta(hours=1)


def test_a_permanent_refusal_fails_at_once(smtp_server, sale, cashier):
    smtp_server.refusals = ["550 5.1.1 No such user here"]
    message = receipt_email(sale=sale, user=cashier)
    messages_deliver()
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert "No such user" in message.last_error


def test_a_message_fails_for_good_after_the_last_attempt(smtp_server, sale, cashier, settings):
    settings.CLASSICPOS_MESSAGE_MAX_ATTEMPTS = 2
    smtp_server.refusals = ["451 busy", "451 still busy"]
    message = receipt_email(sale=sale, user=cashier)
    messages_deliver()
    _make_due(message)
    messages_deliver()
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.FAILED, 2)
    assert "still busy" in message.last_error
    assert smtp_server.envelopes == []


def test_an_unreachable_server_is_retried(settings, sale, cashier):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard: nothing listens
    message = receipt_email(sale=sale, user=cashier)
    messages_deliver()
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.QUEUED, 1)
    assert message.last_error


class WorkerKilled(BaseException):
    """The process dies: no ``except Exception`` catches it."""


def test_a_crash_mid_batch_sends_every_message_exactly_once(
    smtp_server, sale, cashier, monkeypatch
):
    addresses = ["one@example.com", "two@example.com", "three@example.com"]
    first, second, third = (receipt_email(sale=sale, email=a, user=cashier) for a in addresses)
    marked = delivery.message_mark_sent
    calls = []

    def killed_after_the_second_send(*, message):
        calls.append(message.pk)
        if len(calls) == 2:
            raise WorkerKilled  # the server took the message; the worker died before recording it
        marked(message=message)

    monkeypatch.setattr(delivery, "message_mark_sent", killed_after_the_second_send)
    with pytest.raises(WorkerKilled):
        messages_deliver()
    states = dict(Message.objects.values_list("pk", "state"))
    assert states == {
        first.pk: MessageState.SENT,
        second.pk: MessageState.SENDING,
        third.pk: MessageState.QUEUED,
    }

    monkeypatch.setattr(delivery, "message_mark_sent", marked)
    # A new worker starts; the dead one's lease has not run out yet: it is left alone.
    assert messages_deliver() == {"sent": 1, "not_sent": 0}
    Message.objects.filter(pk=second.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert messages_deliver() == {"sent": 0, "not_sent": 0}

    for address in addresses:
        assert len(smtp_server.to(address)) == 1, address
    second.refresh_from_db()
    assert second.state == MessageState.FAILED
    assert second.last_error == INTERRUPTED
    assert Message.objects.filter(state=MessageState.SENT).count() == 2


def test_the_command_sends_what_is_due_once(smtp_server, sale, cashier, capsys):
    receipt_email(sale=sale, user=cashier)
    call_command("deliver_messages", "--once")
    assert "Sent 1, not sent 0." in capsys.readouterr().out
    assert len(smtp_server.envelopes) == 1


def test_without_a_mail_server_messages_are_written_as_files(settings, tmp_path, sale, cashier):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    receipt_email(sale=sale, user=cashier)
    messages_deliver()
    [written] = list(tmp_path.iterdir())
    assert "Blue scarf" in written.read_text()
