"""Why a change was made, as staff type it: one line, at most ``REASON_MAX_LENGTH`` characters.

Refunds, points and store credit adjustments and payment reversals each keep a
reason in a 500-character column. One rule for all of them: a refund once cut a
long reason at 500 without a word while the adjustments refused it.
"""

from django.core.exceptions import ValidationError

REASON_MAX_LENGTH = 500
TOO_LONG = f"Keep the reason to {REASON_MAX_LENGTH} characters."


def clean_reason(reason, *, missing: str | None = None) -> str:
    """Return ``reason`` on one line (runs of spaces and line breaks made one space).

    Raises ``ValidationError({"reason": [...]})`` for a reason that is too long, and
    for a blank one when ``missing`` (its message) says a reason is required.
    """
    text = " ".join(str(reason or "").split())
    if not text and missing is not None:
        raise ValidationError({"reason": [missing]})
    if len(text) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": [TOO_LONG]})
    return text
