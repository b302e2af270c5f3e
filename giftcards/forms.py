"""Forms of the gift card pages. They collect text; the services and the lookup parse codes
and amounts and word every rule, so a page and the API say the same thing about the same
input."""

from django import forms

AMOUNT_ATTRS = {"inputmode": "decimal", "autocomplete": "off", "placeholder": "0.00"}
# A code is a secret: the browser neither remembers nor suggests it.
CODE_ATTRS = {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}


def whole_number_or_text(text: str) -> int | str | None:
    """Blank is ``None``; ASCII digits a whole number; anything else stays as typed, for
    the service to refuse in its own words (``²`` is not a number)."""
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() else text


class PageForm(forms.Form):
    """A form on a page that holds several: its own prefix for the fields' ids."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class BalanceCheckForm(PageForm):
    id_prefix = "lookup"
    code = forms.CharField(
        label="Card code",
        max_length=100,
        widget=forms.TextInput(attrs=CODE_ATTRS),
        error_messages={"required": "Scan or type the card's code."},
    )


class IssueCardForm(PageForm):
    id_prefix = "issue"
    amount = forms.CharField(
        max_length=20,
        widget=forms.TextInput(attrs=AMOUNT_ATTRS),
        error_messages={"required": "Enter an amount such as 25.00."},
    )
    code = forms.CharField(
        label="Code of a printed card (optional)",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs=CODE_ATTRS),
        help_text="Leave it blank to generate a code, shown once on the next page.",
    )
    customer = forms.CharField(
        label="Customer number (optional)",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_customer(self) -> int | str | None:
        return whole_number_or_text(self.cleaned_data["customer"])


class ValidityForm(PageForm):
    id_prefix = "validity"
    months = forms.CharField(
        label="Valid for (months)",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text="Blank: cards never expire.",
    )

    def clean_months(self) -> int | str | None:
        # Blank: never expire. The service checks the range (1 to 120).
        return whole_number_or_text(self.cleaned_data["months"])


class VoidCardForm(PageForm):
    """Why the card is voided; the service says when it is missing, as the API does."""

    id_prefix = "void"
    reason = forms.CharField(label="Why is it voided?", required=False, max_length=1000)


class BlockCardForm(forms.Form):
    blocked = forms.TypedChoiceField(
        choices=[("true", "Block"), ("false", "Unblock")],
        coerce=lambda value: value == "true",
    )


class AdjustCardForm(PageForm):
    id_prefix = "adjust"
    amount = forms.CharField(
        label="Amount (negative to take away)",
        max_length=20,
        widget=forms.TextInput(attrs={**AMOUNT_ATTRS, "inputmode": "text"}),
        error_messages={"required": "Enter an amount such as 5.00 or -5.00."},
    )
    reason = forms.CharField(required=False, max_length=1000)
