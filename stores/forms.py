from django import forms

from stores.models import Till


class PairTillForm(forms.Form):
    """A Manager picks which till this browser is."""

    till = forms.ModelChoiceField(
        queryset=Till.objects.active().select_related("store").order_by("store__code", "name"),
        widget=forms.RadioSelect,
        empty_label=None,
        label="This device is",
        error_messages={"required": "Choose the till this device is."},
    )
