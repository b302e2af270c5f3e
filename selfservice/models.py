"""Links that open a customer's own page without a password, and the public form's requests.

A link is a bearer credential, so only its SHA-256 is stored (a copy of the database
opens no one's page): the token travels once, in the email. A link works until it
expires or staff revoke it, for one customer only.
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


class LinkRequest(models.Model):
    """One use of the public "email me a link" form, counted for its rate limits.

    It keeps the client's address and a hash of the address typed (never the address
    itself: most requests name no customer, and the table must hold no one's email).
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    client = models.CharField(max_length=64)
    email_hash = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(fields=["client", "at"], name="selfservice_request_client_idx"),
            models.Index(fields=["email_hash", "at"], name="selfservice_request_email_idx"),
        ]

    def __str__(self) -> str:
        return f"Link request at {self.at:%Y-%m-%d %H:%M}"
