"""One shape for every registry: the points where a module plugs into a lower one.

A lower app (``customers``, ``sales``) owns a registry; the modules above it
register entries from their ``AppConfig.ready()`` and the lower app never names
them. Every registry behaves alike: entries are keyed by name (a second, different
entry under one name is a mistake, said at start-up), read in their ``order``
(then in the order they came), and filtered for a user by the permission an
entry names. Registering the very same entry again changes nothing, so a
``ready()`` that runs twice is harmless.
"""

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

Entry = TypeVar("Entry")


def _attribute(name: str, default=None) -> Callable:
    return lambda entry: getattr(entry, name, default)


# How an entry is read unless a registry says otherwise: its name, order and permission.
BY_NAME = _attribute("name")
BY_ORDER = _attribute("order", 100)
BY_PERMISSION = _attribute("permission")


class Registry(Generic[Entry]):
    """Entries keyed by name, kept in order; ``what`` names them in errors ("job kinds")."""

    def __init__(
        self,
        what: str,
        *,
        key: Callable[[Entry], str] = BY_NAME,
        order: Callable[[Entry], int] = BY_ORDER,
        permission: Callable[[Entry], str | None] = BY_PERMISSION,
    ):
        self.what = what
        self._key = key
        self._order = order
        self._permission = permission
        self._entries: dict[str, Entry] = {}

    def register(self, entry: Entry) -> Entry:
        name = self._key(entry)
        existing = self._entries.get(name)
        if existing is not None and existing != entry:
            raise ImproperlyConfigured(f"Two {self.what} are named {name!r}.")
        self._entries.setdefault(name, entry)
        return entry

    def __iter__(self) -> Iterator[Entry]:
        arrival = {name: index for index, name in enumerate(self._entries)}
        return iter(
            sorted(
                self._entries.values(),
                key=lambda entry: (self._order(entry) or 0, arrival[self._key(entry)]),
            )
        )

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, name: str) -> bool:
        return name in self._entries

    def get(self, name: str) -> Entry | None:
        return self._entries.get(name)

    def __getitem__(self, name: str) -> Entry:
        try:
            return self._entries[name]
        except KeyError:
            raise ImproperlyConfigured(f"No {self.what} is named {name!r}.") from None

    def for_user(self, user) -> list[Entry]:
        """The entries ``user`` may see: those naming no permission, or one they hold."""
        return [
            entry
            for entry in self
            if not (permission := self._permission(entry)) or user.has_perm(permission)
        ]
