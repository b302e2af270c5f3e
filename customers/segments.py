"""Segments: filters of the customer list that modules add without ``customers`` importing them.

A segment is one query parameter (``tag``, ``minSpend``, ``hasOverdue``), the same
in the API, the list page's URL and the export. It has a form field that parses
the parameter (so a bad value is a 400 naming it, or a message beside it on the
page) and a condition on customers. Conditions must be served by an index or a
bounded subquery at a million customers: a module keeps whatever table makes
that true (sales keeps each customer's totals) and filters by ``pk__in`` on it.

``customers`` registers its own (tags, consent, birthdays) in ``ready()``; sales
and accounting register theirs the same way.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.choices import CallableChoiceIterator

from classicpos.limits import MAX_ID, is_id
from classicpos.registry import Registry
from customers.home_stores import several_stores, store_choices
from customers.validators import MAX_TAGS, TAG_MAX_LENGTH


@dataclass(frozen=True)
class Segment:
    name: str  # the query parameter, camelCase as the API spells it
    label: str  # what the list page calls it
    field: Callable[[], forms.Field]  # parses the parameter; returns None when not given
    condition: Callable[[object], Q]  # value -> a condition on customers
    help_text: str = ""
    schema: dict | None = None  # the parameter's OpenAPI schema, when the field's is not enough
    permission: str | None = None
    order: int = 100
    # Whether the list page offers it (a store filter, only in a chain of several stores);
    # a value in the URL is read all the same. Asked only when the filters are drawn.
    offered: Callable[[], bool] | None = None


_segments: Registry[Segment] = Registry("segments")


def register_segment(segment: Segment) -> None:
    _segments.register(segment)


def segments() -> list[Segment]:
    return list(_segments)


def segment_conditions(values: tuple[tuple[str, object], ...]) -> Q:
    """Return the conditions of the given (name, value) pairs, all together."""
    condition = Q()
    for name, value in values:
        condition &= _segments[name].condition(value)
    return condition


class TagNamesField(forms.Field):
    """A repeatable parameter (``tag=VIP&tag=wholesale``): the customer has every one."""

    widget = forms.SelectMultiple

    def to_python(self, value) -> list[str]:
        if value in (None, "", []):
            return []
        names = [value] if isinstance(value, str) else list(value)
        names = [" ".join(str(name).split()) for name in names]
        names = [name for name in names if name]
        if len(names) > MAX_TAGS:
            raise ValidationError(f"Choose at most {MAX_TAGS} tags.")
        if any(len(name) > TAG_MAX_LENGTH or "\x00" in name for name in names):
            raise ValidationError(f"A tag has at most {TAG_MAX_LENGTH} characters.")
        return names


STORE_ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


class StoreIdField(forms.Field):
    """A store by its id (``homeStore=3``), offered as a list of the stores on the page.

    An id no store has is refused with the id named, as the API's ``homeStoreId`` is:
    a filter on a store that does not exist would list no one and say nothing.
    """

    widget = forms.Select

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Asked only when the filter is drawn: the htmx results alone cost no query.
        self.widget.choices = CallableChoiceIterator(lambda: [("", "Any store"), *store_choices()])

    def to_python(self, value) -> int | None:
        if value in self.empty_values:
            return None
        text = str(value)
        if not re.fullmatch(r"[0-9]{1,19}", text, re.ASCII):
            raise ValidationError("Choose a store by its id, e.g. 1.", code="invalid")
        return int(text)

    def validate(self, value) -> None:
        from stores.models import Store

        super().validate(value)
        if value is not None and (not is_id(value) or not Store.objects.filter(pk=value).exists()):
            raise ValidationError(f"There is no store #{value}.", code="invalid")


def store_id_field() -> StoreIdField:
    return StoreIdField(required=False)


def _has_tags(names: list[str]) -> Q:
    from customers.models import Customer, Tag

    condition = Q()
    through = Customer.tags.through
    for name in names:
        # From the tag's side: the tag by the unique index on its lower-cased name, its
        # customers by the link table's index; never a walk through every customer.
        tag = Tag.objects.alias(name_lower=Lower("name")).filter(name_lower=name.lower())
        condition &= Q(pk__in=through.objects.filter(tag__in=tag).values("customer_id"))
    return condition


CONSENT_CHOICES = [("email", "Email"), ("sms", "Text messages")]


def _consent(channel: str) -> Q:
    return Q(email_consent=True) if channel == "email" else Q(sms_consent=True)


def birthday_keys(today: datetime.date, days: int) -> list[int]:
    """Return the month * 100 + day of every date from today through ``days`` ahead.

    February 29 birthdays count on February 28 in years without one.
    """
    keys = []
    for offset in range(days + 1):
        date = today + datetime.timedelta(days=offset)
        keys.append(date.month * 100 + date.day)
        leap = date.year % 4 == 0 and (date.year % 100 != 0 or date.year % 400 == 0)
        if date.month == 2 and date.day == 28 and not leap:
            keys.append(229)
    return keys


def _birthday_within(days: int) -> Q:
    return Q(birthday_md__in=birthday_keys(timezone.localdate(), days))


def _home_store(store_id: int) -> Q:
    return Q(home_store_id=store_id)


def connect() -> None:
    register_segment(
        Segment(
            name="tag",
            label="Tags",
            field=lambda: TagNamesField(required=False),
            condition=_has_tags,
            help_text="Customers with every tag chosen (tag= repeats in a URL).",
            schema={
                "type": "array",
                "items": {"type": "string", "maxLength": TAG_MAX_LENGTH},
                "maxItems": MAX_TAGS,
            },
            order=10,
        )
    )
    register_segment(
        Segment(
            name="consent",
            label="Marketing consent",
            field=lambda: forms.ChoiceField(
                required=False, choices=[("", "Any"), *CONSENT_CHOICES]
            ),
            condition=_consent,
            help_text="Customers who agreed to marketing this way (email or sms).",
            schema={"type": "string", "enum": [value for value, _ in CONSENT_CHOICES]},
            order=20,
        )
    )
    register_segment(
        Segment(
            name="birthdayWithinDays",
            label="Birthday within (days)",
            field=lambda: forms.IntegerField(required=False, min_value=0, max_value=366),
            condition=_birthday_within,
            schema={"type": "integer", "minimum": 0, "maximum": 366},
            help_text="Birthdays from today through this many days ahead: 7 is this week.",
            order=30,
        )
    )
    register_segment(
        Segment(
            name="homeStore",
            label="Home store",
            field=store_id_field,
            condition=_home_store,
            help_text="Customers whose home store is this one (a store id).",
            schema=STORE_ID_SCHEMA,
            order=70,
            offered=several_stores,
        )
    )
