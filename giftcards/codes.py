"""Gift card codes: generated, read as typed or scanned, hashed, printed once.

A generated code is 16 characters from an alphabet without look-alikes (no 0/O,
1/I/L): 80 random bits, shown in groups of four. A printed card's own code is
accepted when scanned (8 to 40 letters and digits). Either is stored only as its
SHA-256; guessing a generated code is out of reach, and the lookup's rate limit
(``giftcards.lookups``) guards the shorter printed ones.

A card generated in a sale is printed once, on the sale's first receipt: the card
keeps a random seed from which, with the ``SECRET_KEY``, the code can be rebuilt;
printing blanks the seed. The database alone never holds a usable code.
"""

import hashlib
import re
import secrets

from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 letters and digits, none alike
GENERATED_LENGTH = 16
SCANNED_PATTERN = re.compile(r"[A-Z0-9]{8,40}")
# What a cashier or a scanner may put between groups: spaces and dashes.
SEPARATORS = re.compile(r"[\s-]+")
BAD_CODE = "A gift card code is 8 to 40 letters and digits."


def normalize(text) -> str:
    """Return the code as stored and hashed: upper case, without spaces or dashes."""
    if not isinstance(text, str):
        return ""
    return SEPARATORS.sub("", text).upper()


def checked(text, *, field: str = "code") -> str:
    """Return ``text`` normalised, or raise ``ValidationError`` on ``field``."""
    code = normalize(text)
    if not SCANNED_PATTERN.fullmatch(code):
        raise ValidationError({field: [BAD_CODE]})
    return code


def code_hash(code: str) -> str:
    return hashlib.sha256(normalize(code).encode()).hexdigest()


def last4(code: str) -> str:
    return normalize(code)[-4:]


def pretty(code: str) -> str:
    """Return ``code`` in groups of four, as printed (``ABCD-EFGH-JKMN-PQRS``)."""
    code = normalize(code)
    return "-".join(code[start : start + 4] for start in range(0, len(code), 4))


def _from_seed(seed: str) -> str:
    digest = salted_hmac("giftcards.codes.print", seed, algorithm="sha256").digest()
    # Rejection sampling keeps every letter equally likely (31 does not divide 256).
    letters = [ALPHABET[byte % 31] for byte in digest if byte < 248]
    return "".join(letters[:GENERATED_LENGTH])


def generate() -> tuple[str, str]:
    """Return a new ``(code, seed)``: the seed rebuilds the code until it is printed."""
    while True:
        seed = secrets.token_hex(16)
        code = _from_seed(seed)
        if len(code) == GENERATED_LENGTH:
            return code, seed


def code_to_print(*, seed: str, expected_hash: str) -> str | None:
    """Rebuild a generated code from its seed, or ``None`` when it cannot be (printed
    already, or the ``SECRET_KEY`` changed since: the rebuilt code would be another)."""
    if not seed:
        return None
    code = _from_seed(seed)
    return code if code_hash(code) == expected_hash else None
