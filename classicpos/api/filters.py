"""Filter-set helpers: parse and check query parameters, then let one selector filter."""

from datetime import UTC

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from drf_spectacular.utils import extend_schema_field

from classicpos.limits import MAX_ID, MAX_POINTS


class BoundedDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date-time, handed on in UTC (year 9999 at -23:59 has none: an error).

    PostgreSQL refuses offsets beyond 15:59 that ISO 8601 allows (+18:28), so
    the database gets the same moment in UTC.
    """

    def to_python(self, value):
        try:
            moment = super().to_python(value)
            return None if moment is None else moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise ValidationError("Enter a date and time between years 1 and 9999.") from None


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedDateTimeField


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.Filter):
    """A database id: a whole number from 1 to ``MAX_ID``."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": -MAX_POINTS, "maximum": MAX_POINTS})
class PointsFilter(django_filters.Filter):
    """A whole number of points (``minPoints=1.5`` is an error, not 1), within the column."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -MAX_POINTS)
        kwargs.setdefault("max_value", MAX_POINTS)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.NullBooleanField):
    """``true`` or ``false`` (also ``1``/``0``); anything else is an error, not "no filter"."""

    widget = forms.TextInput
    default_error_messages = {"invalid": "Enter true or false."}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in (True, "True", "true", "1"):
            return True
        if value in (False, "False", "false", "0"):
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class SharedFields(dict):
    """A form's fields that every instance of the form may share.

    Django deep-copies a form's fields for each instance, so that one form can
    change its fields (choices, widgets) without touching another. The forms of
    query parameters never do: they parse and check, so the copy is skipped.
    """

    def __deepcopy__(self, memo):
        return dict(self)


class SelectorFilterSet(django_filters.FilterSet):
    """Validate parameters with django-filter; ``filter_queryset`` hands them to a selector.

    Filters declare ``method="noop"`` so the rules stay in the selector, applied once.
    ``createdAfter`` / ``createdBefore`` are shared by every list with a date range.
    A parameter sent empty (``?customer=``) is not given, as the schema says
    (``allowEmptyValue``).
    """

    createdAfter = DateTimeFilter(method="noop")
    createdBefore = DateTimeFilter(method="noop")

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        """Share the class's filters instead of deep-copying them for every request.

        django-filter copies each filter (and its form field) per instance so that
        one filtering a queryset cannot disturb another. Here filters only parse:
        they hold no per-request state, and the copies were a fifth of a customer
        search's time.
        """
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = self.base_filters

    @classmethod
    def parameter_form(cls) -> type[forms.Form]:
        """Return the form that parses the parameters, built once per filter set."""
        form = cls.__dict__.get("_parameter_form")
        if form is None:
            fields = {name: filter_.field for name, filter_ in cls.base_filters.items()}
            form = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
            form.base_fields = SharedFields(form.base_fields)
            cls._parameter_form = form
        return form

    def get_form_class(self):
        return self.parameter_form()

    def noop(self, queryset, name, value):
        return queryset

    def int_or_none(self, name: str) -> int | None:
        value = self.form.cleaned_data.get(name)
        return int(value) if value is not None else None
