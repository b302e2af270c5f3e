"""The outbox: every message the shop sends, written with what caused it.

A message is rendered when it is queued (its subject and both bodies are kept as
sent), so what a Manager reads on the Messages page is what the customer got, and
a later change to a sale or a template never changes a message already written.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from messaging.masking import mask_email

# Where a message's secret goes in its bodies (a self-service link's token). The bodies
# are kept with this mark: the secret is put in at sending and blanked once the message is
# done, so no Manager, data export or copy of the database reads it afterwards.
SECRET_MARK = "secret-sent-by-email"  # noqa: S105 - a placeholder, not a secret


class MessageKind(models.TextChoices):
    RECEIPT = "receipt", "Receipt"
    SELF_SERVICE_LINK = "self_service_link", "Self-service link"
    POINTS_EXPIRY = "points_expiry", "Points expiry notice"
    BIRTHDAY = "birthday", "Birthday greeting"


class MessageState(models.TextChoices):
    QUEUED = "queued", "Queued"
    # Claimed by the worker, which is handing it to the mail server under a lease.
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class MessageQuerySet(models.QuerySet):
    def due(self, *, now=None) -> "MessageQuerySet":
        """Queued messages whose next attempt has come, oldest first."""
        return self.filter(
            state=MessageState.QUEUED, next_attempt_at__lte=now or timezone.now()
        ).order_by("next_attempt_at", "pk")

    def stale(self, *, now=None) -> "MessageQuerySet":
        """Messages a worker claimed and never finished: its lease ran out."""
        return self.filter(state=MessageState.SENDING, lease_until__lt=now or timezone.now())


class Message(models.Model):
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    # What the bodies' SECRET_MARK stands for, until the message is sent or failed.
    secret = models.CharField(max_length=200, blank=True, default="")
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    sale = models.ForeignKey(
        "sales.Sale", on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    state = models.CharField(
        max_length=10, choices=MessageState.choices, default=MessageState.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The failed message this one sends again (a Manager's "Send again"): once only.
    resend_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="resent_as"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        permissions = [("email_receipt", "Can email a sale's receipt")]
        indexes = [
            # The worker's question: what is due now.
            models.Index(fields=["state", "next_attempt_at"], name="message_due"),
            models.Index(fields=["customer", "-created_at"], name="message_customer"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=MessageState.values), name="message_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.state})"

    @property
    def masked_to(self) -> str:
        return mask_email(self.to)
