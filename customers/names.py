"""When two names are close enough to ask whether they are one person.

The form's "possible duplicates" while a cashier types, the API's duplicates
check and the Manager's likely-duplicates list ask the same question, so they
answer it with one function: two copies once could have drifted apart.
"""

from difflib import SequenceMatcher

# "Jon Smith" and "John Smith" (0.95) are alike; "Ann Lee" and "Dan Lee" (0.86) too,
# which is why a name alone never decides anything: it only asks.
SIMILAR_NAME_RATIO = 0.85


def names_alike(first: str, second: str) -> bool:
    """Return whether two names are similar enough to offer them as a possible duplicate."""
    ratio = SequenceMatcher(None, first.casefold(), second.casefold()).ratio()
    return ratio >= SIMILAR_NAME_RATIO
