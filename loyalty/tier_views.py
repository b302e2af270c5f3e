"""The program's tier table page: edit, see how many customers it moves, then save.

The page never decides: ``loyalty.tier_table.tiers_replace`` checks the table and
counts the moves (``dry_run`` for "Check"), and its errors go beside their fields.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import TemplateView

from classicpos.views import StaffPageMixin
from loyalty.permissions import CHANGE_TIERS
from loyalty.tier_table import MAX_TIERS, TierInput, tier_table, tiers_replace

BLANK_ROWS = 2


class TierTableView(StaffPageMixin, TemplateView):
    """``/loyalty/tiers/``: "Check" shows what the table would move; "Save" saves it."""

    permission_required = CHANGE_TIERS
    template_name = "loyalty/tier_table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("table", tier_table())
        if "rows" not in context:
            rows = [
                {"name": t.name, "spend": t.qualifying_spend, "multiplier": t.multiplier}
                for t in context["table"].tiers
            ]
            context["rows"] = rows
            context["window"] = context["table"].window_months
        errors = context.get("errors", {})
        rows = [
            {**row, "errors": errors.get("rows", {}).get(index, {})}
            for index, row in enumerate(context["rows"])
        ]
        blank = max(0, min(BLANK_ROWS, MAX_TIERS - len(rows)))
        context["rows"] = rows + [{"errors": {}} for _ in range(blank)]
        context["grace_days"] = settings.CLASSICPOS_LOYALTY_TIER_GRACE_DAYS
        return context

    def post(self, request, *args, **kwargs):
        rows = [
            {"name": name, "spend": spend, "multiplier": multiplier}
            for name, spend, multiplier in zip(
                request.POST.getlist("name"),
                request.POST.getlist("spend"),
                request.POST.getlist("multiplier"),
                strict=False,
            )
            if name.strip() or spend.strip() or multiplier.strip()
        ]
        window = request.POST.get("window_months", "")
        save = "save" in request.POST
        try:
            table = tiers_replace(
                tiers=[TierInput(row["name"], row["spend"], row["multiplier"]) for row in rows],
                window_months=_whole_number(window),
                dry_run=not save,
            )
        except ValidationError as error:
            context = self.get_context_data(rows=rows, window=window, errors=_by_row(error))
            return self.render_to_response(context, status=400)
        if save:
            messages.success(request, "Tiers saved. " + _moves_sentence(table.moves))
            return redirect("loyalty:tiers")
        context = self.get_context_data(rows=rows, window=window, checked=table)
        return self.render_to_response(context)


def _whole_number(text: str) -> int | str:
    """Return ``text`` as a number when it is ASCII digits (``²`` is a digit to Python)."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else text


def _by_row(error: ValidationError) -> dict:
    """Return ``{"rows": {index: {field: message}}, "form": [...]}`` from the service's keys."""
    rows: dict[int, dict[str, str]] = {}
    general = []
    fields = {"name": "name", "qualifying_spend": "spend", "multiplier": "multiplier"}
    for key, errors in error.message_dict.items():
        if key.startswith("tiers[") and "]." in key:
            index, field = key[len("tiers[") :].split("].", 1)
            rows.setdefault(int(index), {})[fields.get(field, field)] = " ".join(errors)
        elif key == "window_months":
            rows.setdefault(-1, {})["window"] = " ".join(errors)
        else:
            general.extend(errors)
    return {"rows": rows, "window": rows.get(-1, {}).get("window"), "form": general}


def _moves_sentence(moves) -> str:
    return (
        f"{moves.up} customer(s) move up at their next sale or the daily recompute; "
        f"{moves.down} move down once the grace period ends, if their spend stays below."
    )
