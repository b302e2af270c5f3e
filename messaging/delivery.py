"""The worker's side of the outbox: claim a due message, hand it to the mail server, record
what happened.

**At most once for the one message in flight; exactly once for the rest.** Each message
is claimed on its own: a short transaction locks it (``select_for_update(skip_locked=True)``
on PostgreSQL, so several workers never take one message; SQLite has one writer and
deployments run one worker), marks it ``sending`` with a lease and commits. Only then is
it sent, and a second transaction marks it ``sent`` (or schedules a retry). A worker that
dies mid-batch therefore leaves the messages it finished ``sent`` and those it had not
reached ``queued``: the next run sends each of those once. The one it was sending is left
``sending``; whether the mail server took it cannot be known, so when its lease runs out it
is marked ``failed`` with that reason instead of being sent a second time (a customer
getting the same receipt twice is the failure we refuse; a Manager sees the failed
message and can send the receipt again).

A refused or unreachable server is retried with exponential backoff: 1, 2, 4... minutes,
at most an hour apart; after ``CLASSICPOS_MESSAGE_MAX_ATTEMPTS`` attempts, or at once when
the server refuses for good (an SMTP 5xx reply), the message is ``failed`` with the reason.
"""

import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.utils import timezone

from messaging.models import SECRET_MARK, Message, MessageState

LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
INTERRUPTED = (
    "The worker stopped while sending this message: it may have arrived, so it is not sent "
    "again. Send it again if the customer did not get it."
)


def retry_delay(attempts: int) -> timedelta:
    """Return how long to wait after the ``attempts``-th failed attempt: 1, 2, 4... minutes."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def _is_permanent(error: Exception) -> bool:
    """Whether the server refused for good (a 5xx reply): retrying would not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _describe(error: Exception) -> str:
    text = str(error) or error.__class__.__name__
    return f"{error.__class__.__name__}: {text}"[:500]


def message_claim(*, now=None) -> Message | None:
    """Claim the oldest due message for this worker under a lease, and commit the claim."""
    now = now or timezone.now()
    with transaction.atomic():
        due = Message.objects.due(now=now)
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        message = due.first()
        if message is None:
            return None
        message.state = MessageState.SENDING
        message.attempts += 1
        message.lease_until = now + LEASE
        message.save(update_fields=["state", "attempts", "lease_until"])
    return message


def message_mark_sent(*, message: Message) -> None:
    with transaction.atomic():
        Message.objects.filter(pk=message.pk, state=MessageState.SENDING).update(
            state=MessageState.SENT,
            sent_at=timezone.now(),
            lease_until=None,
            last_error="",
            secret="",
        )


def message_mark_failed_attempt(*, message: Message, error: Exception, now=None) -> None:
    """Schedule the next attempt after ``error``, or fail the message for good."""
    now = now or timezone.now()
    gives_up = _is_permanent(error) or message.attempts >= settings.CLASSICPOS_MESSAGE_MAX_ATTEMPTS
    changes = {"lease_until": None, "last_error": _describe(error)}
    if gives_up:
        changes["state"] = MessageState.FAILED
        changes["secret"] = ""
    else:
        changes["state"] = MessageState.QUEUED
        changes["next_attempt_at"] = now + retry_delay(message.attempts)
    with transaction.atomic():
        Message.objects.filter(pk=message.pk, state=MessageState.SENDING).update(**changes)


def messages_fail_interrupted(*, now=None) -> int:
    """Fail the messages a stopped worker was sending (their lease ran out): never twice."""
    return Message.objects.stale(now=now).update(
        state=MessageState.FAILED, lease_until=None, last_error=INTERRUPTED, secret=""
    )


def _with_secret(body: str, message: Message) -> str:
    return body.replace(SECRET_MARK, message.secret) if message.secret else body


def email_for(message: Message, *, connection=None) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=_with_secret(message.text_body, message),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        connection=connection,
        headers={"X-ClassicPOS-Message": str(message.pk)},
    )
    if message.html_body:
        email.attach_alternative(_with_secret(message.html_body, message), "text/html")
    return email


def messages_deliver(*, limit: int = 50, stopping=lambda: False) -> dict[str, int]:
    """Send up to ``limit`` due messages, one claim each, until ``stopping()``; return how many
    were sent and not."""
    outcome = {"sent": 0, "not_sent": 0}
    messages_fail_interrupted()
    mail = None
    try:
        for _ in range(limit):
            if stopping():
                break
            message = message_claim()
            if message is None:
                break
            try:
                if mail is None:
                    # One connection for the batch; opened here so each send reuses it.
                    mail = get_connection()
                    mail.open()
                email_for(message, connection=mail).send()
            except Exception as error:  # noqa: BLE001 - every failure is recorded on the message
                message_mark_failed_attempt(message=message, error=error)
                outcome["not_sent"] += 1
                if mail is not None:
                    mail.close()
                mail = None
            else:
                message_mark_sent(message=message)
                outcome["sent"] += 1
    finally:
        if mail is not None:
            mail.close()
    return outcome
