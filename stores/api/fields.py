"""``tillId`` in a request body, for every app whose writes record a till."""

from classicpos.api.fields import ServiceCheckedIntegerField
from classicpos.limits import MAX_ID


def till_id_field(help_text: str = "The till it happens at; the chain's only till when omitted."):
    return ServiceCheckedIntegerField(
        minimum=1, maximum=MAX_ID, allow_null=True, required=False, help_text=help_text
    )
