"""Read a timeline source or the whole timeline page by page, as the customer page does."""

from customers.timeline import TimelinePage, customer_timeline, decode_cursor, encode_cursor

# More pages than any test's history fills: a cursor that does not move fails, not hangs.
MAX_PAGES = 50


def walk_source(entries, customer, *, limit: int, kind: str = "") -> tuple[list, list[int]]:
    """Page through one source's ``entries`` until a short page; return entries and page sizes.

    The cursor goes through ``encode_cursor``/``decode_cursor`` as it does between
    requests, so a timestamp that does not survive the round trip shows up here.
    """
    found, sizes, cursor = [], [], None
    for _ in range(MAX_PAGES):
        page = entries(TimelinePage(customer=customer, limit=limit, cursor=cursor, kind=kind))
        found += page
        sizes.append(len(page))
        if len(page) < limit:
            return found, sizes
        cursor = decode_cursor(encode_cursor(page[-1].key))
    raise AssertionError(f"The source was still giving pages after {MAX_PAGES}.")


def walk_timeline(customer, user, *, limit: int, kind: str = "") -> tuple[list, list[int]]:
    """Page through ``customer_timeline`` by its ``next_cursor``; return entries and page sizes."""
    found, sizes, cursor = [], [], None
    for _ in range(MAX_PAGES):
        page = customer_timeline(
            customer=customer, user=user, limit=limit, cursor=cursor, kind=kind
        )
        found += page.entries
        sizes.append(len(page.entries))
        if page.next_cursor is None:
            return found, sizes
        cursor = page.next_cursor
    raise AssertionError(f"The timeline was still giving pages after {MAX_PAGES}.")
