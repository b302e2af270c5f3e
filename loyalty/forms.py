"""The Manager's points adjustment form; the service checks the rules and words them."""

from django import forms


class AdjustPointsForm(forms.Form):
    """Collects a whole number of points and a reason; ``points_adjust`` decides the rest."""

    points = forms.IntegerField(
        error_messages={
            "required": "Enter a whole number of points other than zero.",
            "invalid": "Enter a whole number of points other than zero.",
        }
    )
    reason = forms.CharField(required=False, strip=False)
