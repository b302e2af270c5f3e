from django import forms

from selfservice.services import CONSENTS


class LinkRequestForm(forms.Form):
    """The public "email me a link" form: one address."""

    email = forms.EmailField(label="Your email address", max_length=254)


class ConsentForm(forms.Form):
    """Give or withdraw one marketing consent on the customer's own page."""

    consent = forms.ChoiceField(choices=list(CONSENTS.items()))
    given = forms.TypedChoiceField(
        choices=[("yes", "Give"), ("no", "Withdraw")], coerce=lambda value: value == "yes"
    )
