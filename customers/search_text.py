"""The text a customer search compares: accents and case folded, every word marked.

A shop's staff type "joao" for João, "gross" for Groß and "soren" for Søren, and
"jo sm" for John Smith. So a search does not compare what was typed with the
name as stored, but both folded (``fold``) into a *search document*
(``SearchDocument``, the generated column ``customers.search_document``): the
name and the email, folded, each word preceded by two spaces, a line break
between them. "  john  smith\\n  jsmith@example.com" holds "  sm" where a word
starts with "sm", a trigram ("  s") even for a word of one letter, so both
databases' trigram indexes serve "every word starts with what was typed" as
they serve "contains". A typed word never holds a space or a line break, so it
never matches across two words, nor across the name and the email; the line
break tells the rank where the name ends.

The database folds the stored text and the typed text alike, so the two can never
disagree: ``customers_fold(text)`` is this module's ``fold`` on SQLite
(registered on each connection, ``register_fold``) and, on PostgreSQL, a SQL
function over ``unaccent`` (migration 0009), which the typed text passes through
in the same statement (``FoldedPattern``).
"""

import unicodedata

from django.db.models import Func, TextField

FUNCTION = "customers_fold"

# Letters with no accent to drop, spelt as PostgreSQL's unaccent spells them.
_SPELT_OUT = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "ss",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "\u0131": "i",  # dotless i
        "ħ": "h",
        "Ħ": "H",
    }
)


def fold(text: str | None) -> str | None:
    """Return ``text`` as a search compares it: no accents, lower case, single spaces.

    Letters are decomposed and their combining marks dropped ("é" -> "e"), then
    composed again, so scripts whose letters decompose into others (Hangul) keep
    their letters.
    """
    if text is None:
        return None
    if not text.isascii():
        decomposed = unicodedata.normalize("NFD", text.translate(_SPELT_OUT))
        bare = "".join(char for char in decomposed if not unicodedata.combining(char))
        text = unicodedata.normalize("NFC", bare)
    return " ".join(text.lower().split())


def document_text(text: str) -> str:
    """Return ``text`` as it reads in the search document: folded, each word after two spaces."""
    return "  " + fold(text).replace(" ", "  ")


def search_document(name: str, email: str | None) -> str:
    """Return the search document of a name and an email, as ``SearchDocument`` writes it."""
    return f"{document_text(name)}\n{document_text(email or '')}"


def register_fold(sender, connection, **kwargs) -> None:
    """Give each new SQLite connection ``customers_fold``, which the search document uses.

    Deterministic, so SQLite lets a generated column and an index use it. A
    connection without it (another program) can read customers but not write them.
    """
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 1, fold, deterministic=True)


def _document_sql(value_sql: str) -> str:
    """Return the SQL of ``document_text`` applied to the SQL ``value_sql``."""
    return f"'  ' || REPLACE({FUNCTION}({value_sql}), ' ', '  ')"


class SearchDocument(Func):
    """The search document of a name and an email (``search_document`` in SQL).

    The same SQL on both databases; ``customers.search_document`` is generated from it.
    """

    output_field = TextField()

    def __init__(self, name, email, **extra):
        super().__init__(name, email, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        (name, name_params), (email, email_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        no_email = f"COALESCE({email}, '')"
        # A line break inside the quotes: the same literal on both databases.
        sql = f"({_document_sql(name)} || '\n' || {_document_sql(no_email)})"
        return sql, [*name_params, *email_params]


class FoldedPattern(Func):
    """A ``LIKE`` pattern of typed text, folded by the database as the document is.

    ``before`` and ``after`` are constant pattern pieces ("%", the two spaces that
    start a word). The typed text is escaped after folding: unaccent turns some
    characters (the full-width percent sign and low line) into ``LIKE``'s wildcards.
    """

    output_field = TextField()

    def __init__(self, typed, *, before: str, after: str):
        super().__init__(typed)
        self.before = before
        self.after = after

    def as_sql(self, compiler, connection, **extra_context):
        typed, params = compiler.compile(self.get_source_expressions()[0])
        folded = f"REPLACE({FUNCTION}({typed}), ' ', '  ')"
        escaped = f"REPLACE(REPLACE(REPLACE({folded}, '\\', '\\\\'), '%%', '\\%%'), '_', '\\_')"
        before, after = (piece.replace("%", "%%") for piece in (self.before, self.after))
        return f"('{before}' || {escaped} || '{after}')", params
