"""Links that open a customer's own page without a password.

A link is a bearer credential, so only its SHA-256 is stored: the token travels in
the email, and waits in the outbox (``Message.secret``) only until the email is sent.
A link works until it expires or staff revoke it, for one customer only, and only
while their email is the address it was sent to.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SelfServiceLinkQuerySet(models.QuerySet):
    def usable(self, *, now=None) -> "SelfServiceLinkQuerySet":
        """Links that still open a page: not revoked and not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class SelfServiceLink(models.Model):
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="self_service_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Null: the customer asked for it from the public form.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_viewed_at = models.DateTimeField(null=True, blank=True)
    # A keyed hash of the address the link was emailed to (``services._address_key``).
    sent_to_hash = models.CharField(max_length=64, blank=True, default="")

    objects = SelfServiceLinkQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        permissions = [
            ("send_link", "Can email a customer a self-service link"),
            ("revoke_link", "Can revoke a customer's self-service links"),
        ]
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="selfservice_link_customer_idx")
        ]

    def __str__(self) -> str:
        return f"Self-service link of customer #{self.customer_id}"
