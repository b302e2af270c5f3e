"""Counts known only from below: "10,000+ customers", "1,000+ matches"."""


class AtLeast(int):
    """A number known only from below: prints as "10,000+".

    A list that stops counting (``CappedPaginator``), or a search that looks at no
    more than its first matches (``customers.selectors.MATCH_LIMIT``), knows there
    are this many rows or more. As a number it is the lower bound (the API's
    ``count``); as text it says so.
    """

    def __str__(self) -> str:
        return f"{int(self):,}+"
