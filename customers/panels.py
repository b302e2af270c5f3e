"""Panels other modules add to the customer detail page, without ``customers`` importing them.

A module calls :func:`register_panel` from its ``AppConfig.ready()``; the detail
page renders every registered panel the user may see, in ``order``. A panel may
also give the page's summary its figures (points, store credit, what is owed):
``summary`` reads them from the panel's own context, so the top of the page and
the panel below show the same numbers from one set of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass

from classicpos.registry import Registry


@dataclass(frozen=True)
class SummaryFigure:
    """One figure at the top of the customer page, where a cashier looks first."""

    label: str  # "Points"
    value: str  # "1,250", "$20.00": written as the page shows it
    detail: str = ""  # "worth $12.50", "$45.00 overdue"
    href: str = ""  # "#loyalty-panel": the panel that tells the whole story
    warning: bool = False  # needs attention (money overdue, a negative balance)


@dataclass(frozen=True)
class CustomerPanel:
    template_name: str
    context: Callable  # (customer, request) -> dict
    order: int = 100
    permission: str | None = None
    summary: Callable | None = None  # (customer, context) -> list[SummaryFigure]


@dataclass(frozen=True)
class ShownPanel:
    """A panel the user may see, with its context worked out once for the whole page."""

    panel: CustomerPanel
    context: dict


# A panel is named by its template: one template, one panel.
_panels: Registry[CustomerPanel] = Registry(
    "customer panels", key=lambda panel: panel.template_name
)


def register_panel(panel: CustomerPanel) -> None:
    _panels.register(panel)


def panels_for(user) -> list[CustomerPanel]:
    """Return the panels ``user`` may see, in display order."""
    return _panels.for_user(user)


def customer_page_panels(customer, request) -> list[ShownPanel]:
    """Return the panels ``request.user`` may see on ``customer``'s page, each with its context."""
    return [
        ShownPanel(panel=panel, context=panel.context(customer, request))
        for panel in panels_for(request.user)
    ]


def page_summary(customer, shown: list[ShownPanel]) -> list[SummaryFigure]:
    """Return the summary's figures, in panel order, from the contexts already worked out."""
    figures = []
    for item in shown:
        if item.panel.summary is not None:
            figures += item.panel.summary(customer, item.context)
    return figures


def connect() -> None:
    """The customer's own panel: the timeline of everything that happened, below the rest."""
    from customers.views.timeline import timeline_context

    register_panel(
        CustomerPanel(
            template_name="customers/_timeline_panel.html",
            context=lambda customer, request: timeline_context(customer, request),
            order=900,
        )
    )
