"""Sale numbers as receipts print them (``S-000044``), and read back as people type them."""

import re

# ASCII digits only: "S-٤٤" is not a number anyone printed.
_TYPED = re.compile(r"^\s*[Ss]\s*-?\s*0*(\d{1,12})\s*$", re.ASCII)


def sale_number(pk: int) -> str:
    """Return the number printed on the receipt of the sale with this id (checkout sets it)."""
    return f"S-{pk:06d}"


def parse_sale_number(text: str | None) -> str | None:
    """Return the receipt's number that ``text`` spells (``s-44``, ``S000044``), or None."""
    match = _TYPED.match(text or "")
    if match is None:
        return None
    return sale_number(int(match.group(1)))
