"""What other modules do when customers are imported, merged or anonymised.

``customers`` imports no other app, yet a merge must move their rows and an
erasure must remove their notes. Each module registers its steps from its
``AppConfig.ready()``, as it registers its panels (``customers.panels``):

- a :class:`MergeStep` moves the module's rows from a duplicate to the survivor
  inside the merge's transaction (both customers are locked, in the order of
  ``customers.locks``), and counts them for the merge page;
- an :class:`AnonymiseStep` removes the module's personal data about a customer
  (the books stay);
- an :class:`ImportColumn` is an extra CSV column the module reads on import
  and the export writes (loyalty's opening points);
- a :class:`DataExportSection` is the module's part of a customer's "Download my
  data" (``customers.data_export``): its rows about the customer;
- a :class:`SelfServiceSection` is the module's part of the customer's own page
  (``selfservice``, opened by a signed link): what the customer may read of it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from classicpos.registry import Registry


@dataclass(frozen=True)
class MergeStep:
    name: str
    # (*, duplicate, survivor, user) -> None; raise ValidationError to refuse the merge.
    merge: Callable[..., None]
    # (*, customer) -> [(label, count)]: what the merge page says will move.
    count: Callable[..., list[tuple[str, int]]]
    # Every label ``count`` can give ("invoices", "store credit"): the merge pages say
    # what a merge moves in the modules' own words, before there is anything to count.
    moves: tuple[str, ...] = ()
    # Relations (``related_name`` on Customer) that stay on the duplicate on purpose,
    # such as an immutable ledger whose balance moves as a pair of rows instead.
    keeps: tuple[str, ...] = ()
    order: int = 100


@dataclass(frozen=True)
class AnonymiseStep:
    name: str
    anonymise: Callable[..., None]  # (*, customer, user) -> None
    order: int = 100


@dataclass(frozen=True)
class ImportColumn:
    field: str  # the Customer attribute the export writes ("loyalty_points")
    header: str  # the column's name in exported files ("loyaltyPoints")
    aliases: tuple[str, ...]  # other headers that mean the same column on import
    parse: Callable[[str], Any]  # cell text -> value; raise ValidationError(message)
    # (*, values: list[tuple[Customer, value]], user) -> None, for the customers
    # the import created (existing customers keep what their module recorded).
    apply_to_new: Callable[..., None]
    order: int = 100
    # False: read on import only (a balance another system kept in money), never exported.
    exported: bool = True


@dataclass(frozen=True)
class DataExportSection:
    name: str  # its key in the file's "sections" and its CSV's name ("sales")
    label: str  # what a person reads ("Sales")
    # (*, customer) -> [dict]: the module's rows about the customer, in a constant number
    # of queries however many there are. Values are JSON's, or a Decimal, date or datetime
    # (written as text: "12.50", "2026-12-07", ISO 8601 in UTC); a list of dicts is a
    # row's own rows (a sale's lines), a CSV of their own in the ZIP.
    rows: Callable[..., list[dict]]
    # The models ("app_label.ModelName") with a foreign key to Customer whose rows it
    # exports: a test fails when such a model is in no section.
    models: tuple[str, ...] = ()
    order: int = 100


@dataclass(frozen=True)
class SelfServiceSection:
    """A read-only part of the customer's own page (their points, their credit...).

    It shows the customer only their own rows and no staff detail (no internal
    notes, no links to staff pages): the page is opened without a password.
    """

    name: str  # the section's id on the page ("points")
    label: str  # its heading ("Your points")
    template_name: str
    # (*, customer) -> dict: the template's context, in a constant number of queries.
    context: Callable[..., dict]
    order: int = 100


_merge_steps: Registry[MergeStep] = Registry("merge steps")
_anonymise_steps: Registry[AnonymiseStep] = Registry("anonymise steps")
_data_export_sections: Registry[DataExportSection] = Registry("data export sections")
_self_service_sections: Registry[SelfServiceSection] = Registry("self-service sections")
# An import column is named by the customer attribute it fills.
_import_columns: Registry[ImportColumn] = Registry(
    "import columns", key=lambda column: column.field
)


def register_merge_step(step: MergeStep) -> None:
    _merge_steps.register(step)


def register_anonymise_step(step: AnonymiseStep) -> None:
    _anonymise_steps.register(step)


def register_import_column(column: ImportColumn) -> None:
    _import_columns.register(column)


def register_data_export_section(section: DataExportSection) -> None:
    _data_export_sections.register(section)


def register_self_service_section(section: SelfServiceSection) -> None:
    _self_service_sections.register(section)


def merge_steps() -> list[MergeStep]:
    return list(_merge_steps)


def merge_moves() -> list[str]:
    """Return what a merge can move, in the steps' order and words ("sales", "invoices")."""
    return [label for step in _merge_steps for label in step.moves]


def anonymise_steps() -> list[AnonymiseStep]:
    return list(_anonymise_steps)


def import_columns() -> list[ImportColumn]:
    return list(_import_columns)


def data_export_sections() -> list[DataExportSection]:
    return list(_data_export_sections)


def self_service_sections() -> list[SelfServiceSection]:
    return list(_self_service_sections)
