"""Service errors as the API names things: ``ownerId`` not ``owner``, ``dueOn`` not ``due_on``.

The services speak model field names (as forms and the admin expect); this is
the one place that renames them for the JSON API and turns a role's refusal
into a 403 that keeps its message.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from rest_framework import exceptions

from crm.services import CrmPermissionDenied

API_FIELD_NAMES = {
    "owner": "ownerId",
    "due_on": "dueOn",
    "customer": "customerId",
    "lead": "leadId",
}


@contextmanager
def api_errors() -> Iterator[None]:
    """Re-raise service errors with the API's field names."""
    try:
        yield
    except CrmPermissionDenied as error:
        raise exceptions.PermissionDenied(error.message) from None
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise exceptions.ValidationError(
            {
                API_FIELD_NAMES.get(field, field): messages
                for field, messages in error.message_dict.items()
            }
        ) from None
