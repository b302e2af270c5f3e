"""The customer: the record every other module links to.

The table follows the specification exactly (``customers`` with camelCase
columns such as ``loyaltyPoints``); Python uses snake_case attributes.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, lookups
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from classicpos.id_lists import among
from classicpos.prepared import slots
from customers import validators
from customers.search_text import FoldedPattern, SearchDocument, fold

# The fields staff and integrations edit, in form order. The serializer, the admin
# form, the page form and its template, the services and the CSV columns all take
# them from here; everything else on a customer is bookkeeping. The till's
# quick-add asks for the contact fields only.
CONTACT_FIELDS = ("name", "email", "phone", "address")
PROFILE_FIELDS = (
    "birthday",
    "preferred_contact",
    "email_consent",
    "sms_consent",
    "note",
)
EDITABLE_FIELDS = (*CONTACT_FIELDS, *PROFILE_FIELDS, "tags")
# What a merge chooses field by field (tags are the union of both customers').
MERGEABLE_FIELDS = (*CONTACT_FIELDS, *PROFILE_FIELDS)
# The fields whose changes are personal data: an erasure blanks them in the history too.
PERSONAL_FIELDS = ("name", "email", "phone", "address", "birthday", "note")


class PreferredContact(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    SMS = "sms", "Text message"
    NONE = "none", "No preference"


class CustomerStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"


def duplicate_email_message(other: "Customer") -> str:
    """Say which customer already has an email, so staff can open that record instead."""
    state = "" if other.is_active else ", inactive"
    return f"{other.name} (customer #{other.pk}{state}) already has this email."


class CustomerQuerySet(models.QuerySet):
    """Reusable filters; the list selectors combine them."""

    def active(self):
        return self.filter(status=CustomerStatus.ACTIVE)

    def inactive(self):
        return self.filter(status=CustomerStatus.INACTIVE)

    def search(self, term: str | None):
        """Match every word of ``term``, in any order, through an index.

        Accents and case do not count ("joao" finds "João", "gross" finds "Groß":
        ``customers/search_text.py``). A word matches the name or the email or, when
        it looks like part of a phone number, the phone by its digits: "davis isla"
        and "isla 0008" both find Isla Davis. A whole phone number typed with spaces
        ("+1 415 555 0123") also matches by all its digits.

        When no word has three characters (a trigram), a word cannot be looked up
        inside words: each must start a word of the name or the email instead, in
        any order ("jo" finds Jo, John and Mary Jones; "jo sm" and "sm jo" find
        John Smith). All the words are asked of the whole index at once, so no
        customer who matches every word is missed, however many match one.

        The matches are exactly ``search_unindexed``'s: on SQLite the FTS5 trigram
        index over the search document (migration 0009) picks candidates, which
        the same ``LIKE``s then confirm; on PostgreSQL the trigram indexes on the
        document and the phone serve the ``LIKE``s themselves.
        """
        found = search_term(term, connections[self.db])
        if found is None:
            return self
        return self.search_for(found.shape, slots(found.values))

    def search_for(self, shape: tuple, slot):
        """Return the matches of a term of ``shape`` whose values ``slot(name)`` binds.

        What ``search`` builds, written so that a prepared statement can compile it
        once per shape and bind each new term's values (``SearchTerm``).
        """
        queryset = self.filter(_search_condition(shape, slot))
        if connections[self.db].vendor == "sqlite" and shape[-1]:
            # A join, not ``id IN (SELECT rowid ...)``: SQLite then walks the index's
            # matches lazily, so a LIMIT stops it early even for a common word.
            queryset = queryset.filter(search_entry__document__match=slot("fts"))
        return queryset

    def with_tag_names(self):
        """Add ``tag_names`` (a JSON list) to each row: a page's tags in the same query.

        A subquery in the select list runs only for the rows of the page, so a
        list stays one query instead of one more for its tags.
        """
        vendor = connections[self.db].vendor
        aggregate = "json_agg(t.name)" if vendor == "postgresql" else "json_group_array(t.name)"
        return self.annotate(
            tag_names=RawSQL(  # noqa: S611 - constant SQL, no user input
                f"SELECT {aggregate} FROM customers_tags ct "  # noqa: S608
                "JOIN customer_tag_names t ON t.id = ct.tag_id "
                "WHERE ct.customer_id = customers.id",
                (),
            )
        )

    def among(self, ids, *, limit: int | None = None) -> "CustomerQuerySet":
        """Return the customers whose id is one of ``ids`` (bound as one parameter).

        With ``limit``, the first ``limit`` of them, counted as "at least" that many
        when there were more (``classicpos.id_lists.among``).
        """
        return among(self, ids, limit=limit)

    def search_unindexed(self, term: str | None):
        """Return ``search``'s matches by ``LIKE`` alone: the reference tests and benchmarks use."""
        found = search_term(term, connections[self.db])
        if found is None:
            return self
        return self.filter(_search_condition(found.shape, slots(found.values)))


# A trigram index needs a search word of at least three characters to look up.
TRIGRAM_LENGTH = 3


def _has_trigram(words: list[str]) -> bool:
    return any(len(word) >= TRIGRAM_LENGTH for word in words)


def _whole_term_digits(words: list[str]) -> str:
    """Return the digits of a phone number typed as several words ("415 555 0123"), else ''."""
    return validators.phone_search_digits(" ".join(words)) if len(words) > 1 else ""


# The two kinds of search: words of which one at least has a trigram, or words too
# short for one, which each start a word.
WORDS = "words"
WORD_STARTS = "word starts"


@dataclass(frozen=True)
class SearchTerm:
    """What a typed search asks: the shape of its SQL, and the values that SQL binds.

    ``shape`` is all the conditions' structure depends on: its kind (``WORDS`` or
    ``WORD_STARTS``), whether each word looks like part of a phone number, whether
    the whole term does, and whether the search index can pick the candidates
    (last). ``values`` are the term's patterns, by slot name. Two terms of one shape
    are one statement with other values, which a prepared search compiles once
    (``classicpos.prepared``).
    """

    shape: tuple
    values: dict


def search_term(term: str | None, connection) -> SearchTerm | None:
    """Return ``term`` as a ``SearchTerm``, its patterns as ``connection`` writes them.

    None for a term of no words: nothing to search. Words are measured folded
    ("ß" is two letters), as the index holds them.
    """
    words = (term or "").split()
    if not words:
        return None
    folded = [fold(word) for word in words]
    whole_digits = _whole_term_digits(words)
    values = {f"word{position}": word for position, word in enumerate(words)}
    if whole_digits:
        values["digits"] = f"%{connection.ops.prep_for_like_query(whole_digits)}%"
    with_digits = []
    for position, word in enumerate(words):
        digits = validators.phone_search_digits(word)
        if digits:
            values[f"digits{position}"] = f"%{connection.ops.prep_for_like_query(digits)}%"
        with_digits.append(bool(digits))
    kind = WORDS if _has_trigram(folded) else WORD_STARTS
    values["fts"] = _fts_query(words, folded, starts=kind == WORD_STARTS)
    shape = (kind, tuple(with_digits), bool(whole_digits), bool(values["fts"]))
    return SearchTerm(shape=shape, values=values)


class _BoundPattern:
    """A pattern lookup whose right side is the finished pattern: a ``Slot`` or a
    ``FoldedPattern``.

    The SQL is Django's own for a value (``"phone" LIKE %s ESCAPE '\\'`` on SQLite,
    ``"phone"::text LIKE %s`` on PostgreSQL, which the trigram indexes serve);
    ``search_term`` writes a slot's pattern as the lookup would.
    """

    def process_rhs(self, compiler, connection):
        return compiler.compile(self.rhs)

    def get_rhs_op(self, connection, rhs):
        return connection.operators[self.lookup_name] % rhs


class _Contains(_BoundPattern, lookups.Contains):
    pass


def _word_condition(position: int, has_digits: bool, slot, *, starts: bool) -> models.Q:
    """Return the condition one search word (the ``position``-th) puts on a customer.

    ``starts``: the word must start a word of the name or email, not merely be in one.
    """
    pattern = FoldedPattern(slot(f"word{position}"), before="%  " if starts else "%", after="%")
    condition = models.Q(_Contains(F("search_document"), pattern))
    if has_digits:
        condition |= models.Q(_Contains(F("phone"), slot(f"digits{position}")))
    return condition


def _search_condition(shape: tuple, slot) -> models.Q:
    kind, with_digits, whole_digits, _ = shape
    condition = models.Q()
    for position, has_digits in enumerate(with_digits):
        condition &= _word_condition(position, has_digits, slot, starts=kind == WORD_STARTS)
    if whole_digits:
        condition |= models.Q(_Contains(F("phone"), slot("digits")))
    return condition


def _fts_phrase(text: str) -> str:
    """Quote text as one FTS5 string: with the trigram tokenizer, a substring match."""
    return '"' + text.replace('"', '""') + '"'


def _fts_trigrams(text: str) -> str:
    """Return an FTS5 query for the rows that hold every trigram of a cover of ``text``.

    "958.7a241" becomes ``("958" AND ".7a" AND "241")``: a row holding the text
    holds each of them, and the ``LIKE``s confirm the few that hold them apart.
    FTS5 reads the list of rows of every trigram it is asked for, and the
    phrase asked for all seven of them: a rare email fragment took 0.41 ms, now
    0.28; a seven-digit phone 1.56, now 1.01 (1M customers).
    """
    if len(text) <= TRIGRAM_LENGTH:
        return _fts_phrase(text)
    starts = list(range(0, len(text) - TRIGRAM_LENGTH + 1, TRIGRAM_LENGTH))
    if len(text) % TRIGRAM_LENGTH:
        starts.append(len(text) - TRIGRAM_LENGTH)
    pieces = dict.fromkeys(text[start : start + TRIGRAM_LENGTH] for start in starts)
    return "(" + " AND ".join(_fts_phrase(piece) for piece in pieces) + ")"


def _fts_query(words: list[str], folded: list[str], *, starts: bool) -> str:
    """Return the FTS5 query whose matches include every ``_search_condition`` match.

    The document holds the folded text, so a word is asked folded; with ``starts``,
    after the spaces that start a word: " jo" for "jo" (every space in the document
    is one of the two before a word, so " jo" is only ever a word's start), "  j"
    for "j". Asking "  j" as well as " jo" read the row list of every word starting
    with j: "jo sm" took 13 ms at a million customers. Words too short for a
    trigram are left to the ``LIKE``s that confirm each candidate; '' when every
    word is (the index cannot help).
    """
    parts = []
    for word, folded_word in zip(words, folded, strict=True):
        text = folded_word
        if starts and folded_word:
            text = (" " if len(folded_word) > 1 else "  ") + folded_word
        if len(text) < TRIGRAM_LENGTH:
            continue
        part = "search_document : " + _fts_trigrams(text)
        digits = validators.phone_search_digits(word)
        if digits:
            part += " OR phone : " + _fts_trigrams(digits)
        parts.append(f"({part})")
    query = " AND ".join(parts)
    digits = _whole_term_digits(words)
    if digits and query:
        query = f"({query}) OR phone : {_fts_trigrams(digits)}"
    return query


class Customer(models.Model):
    """A shop's customer. Never hard-deleted: deactivation keeps the row and its history."""

    id = models.AutoField(primary_key=True)
    # blank=True: clean() is the one place that decides (and words) "name required".
    name = models.TextField(blank=True)
    # NULL, not "", means "not given": the spec's columns are nullable and the
    # case-insensitive unique index on email skips NULLs.
    email = models.TextField(null=True, blank=True)  # noqa: DJ001
    phone = models.TextField(null=True, blank=True)  # noqa: DJ001
    address = models.TextField(null=True, blank=True)  # noqa: DJ001
    loyalty_points = models.IntegerField(db_column="loyaltyPoints", default=0, db_default=0)
    status = models.TextField(
        choices=CustomerStatus.choices,
        default=CustomerStatus.ACTIVE,
        db_default=CustomerStatus.ACTIVE,
    )
    created_at = models.DateTimeField(db_column="createdAt", auto_now_add=True)
    updated_at = models.DateTimeField(db_column="updatedAt", auto_now=True)
    birthday = models.DateField(null=True, blank=True)
    # The birthday's month * 100 + day (March 14 -> 314), kept by clean(): "birthdays
    # this week" is then a lookup in an index, whatever the year of birth.
    birthday_md = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    preferred_contact = models.TextField(
        choices=PreferredContact.choices,
        default=PreferredContact.NONE,
        db_default=PreferredContact.NONE,
        blank=True,
        verbose_name="preferred contact",
    )
    email_consent = models.BooleanField(
        default=False, db_default=False, verbose_name="email marketing consent"
    )
    sms_consent = models.BooleanField(
        default=False, db_default=False, verbose_name="text message marketing consent"
    )
    note = models.TextField(null=True, blank=True)  # noqa: DJ001
    tags = models.ManyToManyField("Tag", blank=True, related_name="customers")
    # What a search compares (customers/search_text.py): kept by the database itself,
    # so no write (a bulk load, a queryset update) can leave it behind the name.
    search_document = models.GeneratedField(
        expression=SearchDocument(F("name"), F("email")),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = CustomerQuerySet.as_manager()

    class Meta:
        db_table = "customers"
        ordering = ["name", "id"]
        permissions = [
            ("deactivate_customer", "Can deactivate and restore customers"),
            ("import_customer", "Can import customers from a CSV file"),
            ("export_customer", "Can export customers to a CSV file"),
            ("merge_customer", "Can merge duplicate customers"),
            ("anonymise_customer", "Can erase a customer's personal data"),
            ("tag_customer", "Can tag customers"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CustomerStatus.values),
                name="customers_status_valid",
                violation_error_message="Status must be active or inactive.",
            ),
            models.CheckConstraint(
                condition=~models.Q(name=""),
                name="customers_name_not_blank",
                violation_error_message=validators.MESSAGES["name_required"],
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(email__isnull=False) & ~models.Q(email=""),
                name="customers_email_unique_ci",
                violation_error_message="A customer with this email already exists.",
            ),
        ]
        indexes = [
            models.Index(Lower("name"), "id", name="customers_name_lower_idx"),
            models.Index(fields=["phone"], name="customers_phone_idx"),
            models.Index(fields=["status", "name"], name="customers_status_name_idx"),
            # The staff list: active customers by name, page after page.
            models.Index("status", Lower("name"), "id", name="customers_status_lname_idx"),
            models.Index(fields=["created_at"], name="customers_created_idx"),
            models.Index(fields=["loyalty_points"], name="customers_points_idx"),
            # The list's status filter combined with each sortable column.
            models.Index(fields=["status", "loyalty_points"], name="customers_status_points_idx"),
            models.Index(fields=["status", "created_at"], name="customers_status_created_idx"),
            models.Index(fields=["birthday_md"], name="customers_birthday_md_idx"),
            models.Index(
                fields=["email_consent"],
                name="customers_email_consent_idx",
                condition=models.Q(email_consent=True),
            ),
            models.Index(
                fields=["sms_consent"],
                name="customers_sms_consent_idx",
                condition=models.Q(sms_consent=True),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("customers:detail", kwargs={"pk": self.pk})

    def clean_fields(self, exclude=None) -> None:
        """Leave the editable fields to ``clean()``: one message per field, the validators'."""
        super().clean_fields(exclude={*(exclude or ()), *CONTACT_FIELDS, *PROFILE_FIELDS})

    def clean(self) -> None:
        """Normalise every field through the shared validators, collecting all errors."""
        errors = {}
        for field, normalize in (
            ("name", validators.normalize_name),
            ("email", validators.normalize_email),
            ("phone", validators.normalize_phone),
            ("address", validators.normalize_address),
            ("birthday", validators.normalize_birthday),
            ("preferred_contact", validators.normalize_preferred_contact),
            ("email_consent", validators.normalize_consent),
            ("sms_consent", validators.normalize_consent),
            ("note", validators.normalize_note),
        ):
            try:
                setattr(self, field, normalize(getattr(self, field)))
            except ValidationError as error:
                errors[field] = error.messages
        if "birthday" not in errors:
            birthday = self.birthday
            self.birthday_md = birthday.month * 100 + birthday.day if birthday else None
        if "email" not in errors:
            duplicate = self.find_email_owner()
            if duplicate is not None:
                errors["email"] = [duplicate_email_message(duplicate)]
        if errors:
            raise ValidationError(errors)

    def find_email_owner(self) -> "Customer | None":
        """Return another customer who already has this email, active or not."""
        if not self.email:
            return None
        # The same condition and expression as the unique index, so it serves the
        # lookup (``iexact`` compiles to LIKE/UPPER, which scans the table).
        others = Customer.objects.alias(email_lower=Lower("email")).filter(
            models.Q(email__isnull=False) & ~models.Q(email=""),
            email_lower=self.email.lower(),
        )
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        return others.order_by("id").first()

    def tag_name_list(self) -> list[str]:
        """Return the tag names, alphabetically; from ``with_tag_names()`` when the row has them."""
        if "tag_names" in self.__dict__:
            names = self.tag_names
            names = json.loads(names) if isinstance(names, str) else (names or [])
        else:
            names = [tag.name for tag in self.tags.all()] if self.pk else []
        return sorted(names, key=str.lower)

    @property
    def is_active(self) -> bool:
        return self.status == CustomerStatus.ACTIVE

    @property
    def phone_display(self) -> str:
        """Return the phone number in the shop's national format."""
        return validators.format_phone_national(self.phone)


class Match(models.Lookup):
    """``document MATCH query``: a full-text query on an FTS5 table."""

    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class FullTextField(models.TextField):
    """The hidden column of an FTS5 table named like the table: ``MATCH`` searches all columns."""


FullTextField.register_lookup(Match)


class CustomerSearchEntry(models.Model):
    """A customer in SQLite's FTS5 trigram index (migration 0005); the table exists on SQLite only.

    Only ``CustomerQuerySet.search`` uses it, to join the index's matches to their
    customers; the triggers of 0005 write it.
    """

    customer = models.OneToOneField(
        Customer,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        related_name="search_entry",
    )
    document = FullTextField(db_column="customers_search")

    class Meta:
        managed = False
        db_table = "customers_search"

    def __str__(self) -> str:
        return f"Search index entry of customer #{self.pk}"


class CustomerMerge(models.Model):
    """The record that ``duplicate`` was merged into ``survivor``: who, when.

    The duplicate stays (inactive) so its id still leads to the survivor in the
    pages and the API; its history now hangs on the survivor.
    """

    duplicate = models.OneToOneField(
        Customer, on_delete=models.PROTECT, primary_key=True, related_name="merge_record"
    )
    survivor = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="merged_customers"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        db_table = "customer_merges"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(survivor=models.F("duplicate")),
                name="customer_merge_not_into_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.duplicate_id} merged into #{self.survivor_id}"


class CustomerErasure(models.Model):
    """The record that a customer's personal data was erased on request: who, when."""

    customer = models.OneToOneField(
        Customer, on_delete=models.PROTECT, primary_key=True, related_name="erasure"
    )
    erased_at = models.DateTimeField(auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        db_table = "customer_erasures"

    def __str__(self) -> str:
        return f"#{self.customer_id} anonymised"


class Tag(models.Model):
    """A label Managers put on customers ("VIP", "wholesale") to find and group them."""

    name = models.TextField()

    class Meta:
        db_table = "customer_tag_names"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="customer_tag_name_unique_ci",
                violation_error_message="A tag with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    """Where a change to a customer came from."""

    PAGE = "page", "Staff page"
    API = "api", "API"
    ADMIN = "admin", "Admin"
    IMPORT = "import", "Import"
    COMMAND = "command", "Command"


class CustomerEventKind(models.TextChoices):
    CREATED = "customer.created", "Created"
    CHANGED = "customer.changed", "Changed"
    DEACTIVATED = "customer.deactivated", "Deactivated"
    RESTORED = "customer.restored", "Restored"
    MERGED = "customer.merged", "Merged a duplicate in"
    MERGED_AWAY = "customer.merged_away", "Merged into another customer"
    ANONYMISED = "customer.anonymised", "Personal data erased"
    NOT_DUPLICATE = "customer.not_duplicate", "Not the same person as another customer"


class CustomerEventQuerySet(models.QuerySet):
    """Events are written once: bulk updates and deletes are refused here too."""

    def update(self, **kwargs):
        raise TypeError("Customer events are never changed.")

    def delete(self):
        raise TypeError("Customer events are never deleted.")

    def blank_personal_data(self) -> int:
        """Blank the old and new values of personal fields in these events (an erasure).

        The one change an event ever takes: the person asked to be forgotten, so
        their old email or phone must not survive in the history. The event
        itself (what happened, when, by whom) stays.
        """
        blanked = 0
        for event in self.exclude(changes={}):
            changes = {
                field: [None, None] if field in PERSONAL_FIELDS else values
                for field, values in event.changes.items()
            }
            if changes != event.changes:
                models.QuerySet.update(self.model.objects.filter(pk=event.pk), changes=changes)
                blanked += 1
        return blanked


class CustomerEvent(models.Model):
    """Something that happened to a customer's record: immutable, in the same transaction.

    The customer services write one for every change, with the acting user and
    the channel; ``changes`` holds ``{"field": [old, new]}`` for ``customer.changed``.
    """

    id = models.BigAutoField(primary_key=True)
    # Customers are never deleted (deactivated instead); CASCADE only keeps the database
    # consistent should a row be removed outside the application.
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.TextField(choices=CustomerEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.TextField(choices=Channel.choices)
    changes = models.JSONField(default=dict, blank=True)
    # Another customer the event is about: the duplicate merged in, or the survivor.
    other_customer_id = models.IntegerField(null=True, blank=True)

    objects = CustomerEventQuerySet.as_manager()

    class Meta:
        db_table = "customer_events"
        ordering = ["-at", "-id"]
        indexes = [
            # The timeline: one customer's events, newest first, page after page.
            models.Index(fields=["customer", "-at", "-id"], name="customer_events_timeline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of customer #{self.customer_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Customer events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Customer events are never deleted.")


# Models of one purpose in modules of their own (this one is long), registered with the
# app by this import like the models above.
from customers.distinct import DistinctCustomers  # noqa: E402, F401
from customers.import_uploads import CheckedImportFile  # noqa: E402, F401
