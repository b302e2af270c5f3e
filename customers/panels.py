"""Panels other modules add to the customer detail page, without ``customers`` importing them.

A module calls :func:`register_panel` from its ``AppConfig.ready()``; the detail
page renders every registered panel the user may see, in ``order``.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CustomerPanel:
    template_name: str
    context: Callable  # (customer, request) -> dict
    order: int = 100
    permission: str | None = None


_panels: list[CustomerPanel] = []


def register_panel(panel: CustomerPanel) -> None:
    if panel not in _panels:
        _panels.append(panel)
        _panels.sort(key=lambda item: item.order)


def panels_for(user) -> list[CustomerPanel]:
    """Return the panels ``user`` may see, in display order."""
    return [panel for panel in _panels if not panel.permission or user.has_perm(panel.permission)]


def connect() -> None:
    """The customer's own panel: the timeline of everything that happened, below the rest."""
    from customers.views import timeline_context

    register_panel(
        CustomerPanel(
            template_name="customers/_timeline_panel.html",
            context=lambda customer, request: timeline_context(customer, request),
            order=900,
        )
    )
