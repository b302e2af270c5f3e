"""The Manager's points adjustment form; the service checks the rules and words them."""

from django import forms


class AdjustPointsForm(forms.Form):
    """Collects a whole number of points and a reason; ``points_adjust`` decides the rest.

    Both may arrive blank: the service then words every missing value at once, so
    the modal shows all its errors together.
    """

    points = forms.IntegerField(
        required=False,
        error_messages={"invalid": "Enter a whole number of points other than zero."},
    )
    reason = forms.CharField(required=False, strip=False)


class SetTierForm(forms.Form):
    """A tier's name (blank: the tier the spend gives), a reason and an optional last day;
    ``loyalty.tiers.tier_set`` decides."""

    tier = forms.CharField(required=False)
    reason = forms.CharField(required=False, strip=False)
    until = forms.DateField(required=False, error_messages={"invalid": "Enter a date."})
