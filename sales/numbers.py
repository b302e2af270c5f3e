"""Sale numbers as receipts print them (``DT-000044``: the store's code and its own series),
and read back as people type them (``dt-44``, ``S000044``)."""

import re

# ASCII only: "S-٤٤" is not a number anyone printed. Without a dash the code is letters
# alone, or "S000044" could not be told apart from a code with digits in it.
_TYPED = re.compile(
    r"^\s*(?:([A-Za-z][A-Za-z0-9]{0,7})\s*[-\s]\s*|([A-Za-z]{1,8}))0*(\d{1,12})\s*$", re.ASCII
)


def sale_number(store_code: str, number: int) -> str:
    """Return the number printed on a receipt: the store's code and the sale's place in
    the store's series (``stores.services.next_number``)."""
    return f"{store_code}-{number:06d}"


def parse_sale_number(text: str | None) -> str | None:
    """Return the receipt's number that ``text`` spells (``s-44``, ``S000044``), or None."""
    match = _TYPED.match(text or "")
    if match is None:
        return None
    code = (match.group(1) or match.group(2)).upper()
    return sale_number(code, int(match.group(3)))
