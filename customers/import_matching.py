"""Which existing customer an import row is about: by email, else by phone, never by name.

Two people may share a name (95 of 20,000 rows of one shop's file did), so a
row with neither an email nor a phone is always a new customer: matching it by
name once folded different people into one, the later row overwriting the
earlier one's address. A row with an email or phone is found again, so running
the same file twice changes nothing the second time.

A real import locks what it reads: the rows' contact details first
(``customers.locks.contact_details_lock``, so concurrent imports of one file
match instead of each adding the customers), then the customers it found, in
primary-key order, so a till's edit cannot be overwritten by a value read
before it.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower

from customers.import_file import Row
from customers.locks import contact_details_lock
from customers.models import Customer, CustomerReference


class ImportMatches:
    """The customers one batch's rows may be about, looked up in one query.

    ``source`` is the system the file comes from (``customers.import_sources``):
    its own customer ids are matched first.
    """

    def __init__(self, source: str = "") -> None:
        self.source = source
        self.by_email: dict[str, Customer] = {}
        self.by_phone: dict[str, list[Customer]] = {}
        self.by_reference: dict[str, Customer] = {}

    def load(self, rows: list[Row], *, lock: bool) -> None:
        """Fetch (and with ``lock``, lock) the customers with the rows' ids, emails or phones."""
        emails = {row.email for row in rows if row.email}
        phones = {row.phone for row in rows if row.phone}
        references = {row.reference for row in rows if row.reference} if self.source else set()
        if lock:
            contact_details_lock(emails=emails, phones=phones)
        if not emails and not phones and not references:
            return
        known = dict(
            CustomerReference.objects.filter(
                source=self.source, reference__in=references
            ).values_list("customer_id", "reference")
        )
        # The unique index's own condition and expression, so the lookup uses it.
        by_email = (Q(email__isnull=False) & ~Q(email="")) & Q(email_lower__in=emails)
        candidates = (
            Customer.objects.filter(merge_record__isnull=True, erasure__isnull=True)
            .alias(email_lower=Lower("email"))
            .filter(by_email | Q(phone__in=phones) | Q(pk__in=list(known)))
            .order_by("pk")
        )
        if lock:
            candidates = candidates.select_for_update(of=("self",))
        for customer in candidates:
            self.remember(customer, reference=known.get(customer.pk, ""))

    def remember(self, customer: Customer, *, reference: str = "") -> None:
        """Let later rows find ``customer`` (one found, or one this batch adds)."""
        if reference:
            self.by_reference[reference] = customer
        if customer.email:
            self.by_email[customer.email] = customer
        if customer.phone:
            owners = self.by_phone.setdefault(customer.phone, [])
            if customer not in owners:
                owners.append(customer)

    def match(self, row: Row) -> tuple[Customer | None, str]:
        """Return the customer a row is about and how it was found, or (None, "") for a new one.

        The old system's id decides when it is known, then the email. Otherwise a
        phone number held by one customer is theirs, unless row and customer each
        have a different email (a family sharing a phone). A row with none of them
        is a new customer.
        """
        if row.reference and row.reference in self.by_reference:
            return self.by_reference[row.reference], "reference"
        if row.email and row.email in self.by_email:
            return self.by_email[row.email], "email"
        owners = self.by_phone.get(row.phone, []) if row.phone else []
        if len(owners) > 1 and not row.email:
            ids = ", ".join(f"#{owner.pk}" for owner in owners if owner.pk)
            raise ValidationError(
                {
                    "phone": [
                        f"This phone number belongs to {len(owners)} customers ({ids}); "
                        "add an email to say which."
                    ]
                }
            )
        if len(owners) == 1 and not (row.email and owners[0].email):
            return owners[0], "phone"
        return None, ""
