"""The customer search: which customers a typed term matches, and how well.

Every word of the term must match, in any order: the name or the email, with
accents and case folded (``customers/search_text.py``), or, for a word that looks
like part of a phone number, the phone by its digits. A whole phone number typed
with spaces ("+1 415 555 0123") also matches by all its digits. When no word has
three characters (a trigram), each word must start a word of the name or the
email instead ("jo sm" finds John Smith). All the words are asked of the whole
index at once, so no customer who matches every word is missed, however many
match one.

The matches are always the same ``LIKE``s (``search_condition``); an index only
finds the candidates faster. On SQLite the FTS5 trigram table over the search
document and the phone (migrations 0005 and 0009) picks them and the ``LIKE``s
confirm each; on PostgreSQL the ``pg_trgm`` indexes serve the ``LIKE``s
themselves.

A term is split into its *shape* (what the SQL's structure depends on) and its
*values* (what the SQL binds), so that ``classicpos.prepared`` can compile one
statement per shape and bind each keystroke's values (``SearchTerm``).
"""

from dataclasses import dataclass

from django.db import connections, models
from django.db.models import Case, F, IntegerField, Value, When, lookups

from customers import validators
from customers.search_text import FoldedPattern, fold

# A trigram index needs a search word of at least three characters to look up.
TRIGRAM_LENGTH = 3

# The two kinds of search: words of which one at least has a trigram, or words too
# short for one, which each start a word.
WORDS = "words"
WORD_STARTS = "word starts"


class Match(models.Lookup):
    """``document MATCH query``: a full-text query on an FTS5 table."""

    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class FullTextField(models.TextField):
    """The hidden column of an FTS5 table named like the table: ``MATCH`` searches all columns."""


FullTextField.register_lookup(Match)


@dataclass(frozen=True)
class SearchTerm:
    """What a typed search asks: the shape of its SQL, and the values that SQL binds.

    ``shape`` is all the conditions' structure depends on: its kind (``WORDS`` or
    ``WORD_STARTS``), whether each word looks like part of a phone number, whether
    the whole term does, and whether the search index can pick the candidates
    (last). ``values`` are the term's patterns, by slot name. Two terms of one shape
    are one statement with other values, which a prepared search compiles once
    (``classicpos.prepared``).
    """

    shape: tuple
    values: dict


def _has_trigram(words: list[str]) -> bool:
    return any(len(word) >= TRIGRAM_LENGTH for word in words)


def _whole_term_digits(words: list[str]) -> str:
    """Return the digits of a phone number typed as several words ("415 555 0123"), else ''."""
    return validators.phone_search_digits(" ".join(words)) if len(words) > 1 else ""


def search_term(term: str | None, connection) -> SearchTerm | None:
    """Return ``term`` as a ``SearchTerm``, its patterns as ``connection`` writes them.

    None for a term of no words: nothing to search. Words are measured folded
    ("ß" is two letters), as the index holds them.
    """
    words = (term or "").split()
    if not words:
        return None
    folded = [fold(word) for word in words]
    whole_digits = _whole_term_digits(words)
    values = {f"word{position}": word for position, word in enumerate(words)}
    if whole_digits:
        values["digits"] = f"%{connection.ops.prep_for_like_query(whole_digits)}%"
    with_digits = []
    for position, word in enumerate(words):
        digits = validators.phone_search_digits(word)
        if digits:
            values[f"digits{position}"] = f"%{connection.ops.prep_for_like_query(digits)}%"
        with_digits.append(bool(digits))
    kind = WORDS if _has_trigram(folded) else WORD_STARTS
    values["fts"] = _fts_query(words, folded, starts=kind == WORD_STARTS)
    shape = (kind, tuple(with_digits), bool(whole_digits), bool(values["fts"]))
    return SearchTerm(shape=shape, values=values)


def matching(queryset, shape: tuple, slot):
    """Return the rows of ``queryset`` that a term of ``shape`` matches, its values from ``slot``.

    ``slot(name)`` gives each value the term binds (``classicpos.prepared.slots``).
    """
    queryset = queryset.filter(search_condition(shape, slot))
    if connections[queryset.db].vendor == "sqlite" and shape[-1]:
        # A join, not ``id IN (SELECT rowid ...)``: SQLite then walks the index's
        # matches lazily, so a LIMIT stops it early even for a common word.
        queryset = queryset.filter(search_entry__document__match=slot("fts"))
    return queryset


class _BoundPattern:
    """A pattern lookup whose right side is the finished pattern: a ``Slot`` or a
    ``FoldedPattern``.

    The SQL is Django's own for a value (``"phone" LIKE %s ESCAPE '\\'`` on SQLite,
    ``"phone"::text LIKE %s`` on PostgreSQL, which the trigram indexes serve);
    ``search_term`` writes a slot's pattern as the lookup would.
    """

    def process_rhs(self, compiler, connection):
        return compiler.compile(self.rhs)

    def get_rhs_op(self, connection, rhs):
        return connection.operators[self.lookup_name] % rhs


class _Contains(_BoundPattern, lookups.Contains):
    pass


def _word_condition(position: int, has_digits: bool, slot, *, starts: bool) -> models.Q:
    """Return the condition one search word (the ``position``-th) puts on a customer.

    ``starts``: the word must start a word of the name or email, not merely be in one.
    """
    pattern = FoldedPattern(slot(f"word{position}"), before="%  " if starts else "%", after="%")
    condition = models.Q(_Contains(F("search_document"), pattern))
    if has_digits:
        condition |= models.Q(_Contains(F("phone"), slot(f"digits{position}")))
    return condition


def search_condition(shape: tuple, slot) -> models.Q:
    """Return the ``LIKE``s a customer must pass to match a term of ``shape``: the match itself."""
    kind, with_digits, whole_digits, _ = shape
    condition = models.Q()
    for position, has_digits in enumerate(with_digits):
        condition &= _word_condition(position, has_digits, slot, starts=kind == WORD_STARTS)
    if whole_digits:
        condition |= models.Q(_Contains(F("phone"), slot("digits")))
    return condition


# How well a customer matches, 0 best: (pattern before the folded term, after it, rank).
# The name is the term itself, then starts with it, then a later word of it does
# ("smi" ranks "Ann Smith" above "Tom Goldsmith"), then the email starts with it.
# The document's line break ends the name.
RANK_RULES = (
    ("  ", "\n%", 0),
    ("  ", "%", 1),
    ("%  ", "%\n%", 2),
    ("%\n  ", "%", 3),
)
RANK_OTHERWISE = 4


def rank_values(term: str) -> dict[str, str]:
    """Return what the rank of ``term`` binds: the term, its spaces made single."""
    return {"rank_term": " ".join(term.split())}


def search_rank(slot) -> Case:
    """Return how well a customer matches the term ``slot("rank_term")`` binds: 0 is best.

    Asked of the search document, folded as the match was, so "siobhan murphy"
    ranks "Siobhán Murphy" first, not "Siobhan Murphy-Jones".
    ``tests/customers/test_search_index.py`` holds it to a ranking written in
    Python on both backends.
    """
    term = slot("rank_term")
    return Case(
        *(
            When(
                _Contains(F("search_document"), FoldedPattern(term, before=before, after=after)),
                then=Value(rank),
            )
            for before, after, rank in RANK_RULES
        ),
        default=Value(RANK_OTHERWISE),
        output_field=IntegerField(),
    )


def _fts_phrase(text: str) -> str:
    """Quote text as one FTS5 string: with the trigram tokenizer, a substring match."""
    return '"' + text.replace('"', '""') + '"'


def _fts_trigrams(text: str) -> str:
    """Return an FTS5 query for the rows that hold every trigram of a cover of ``text``.

    "958.7a241" becomes ``("958" AND ".7a" AND "241")``: a row holding the text
    holds each of them, and the ``LIKE``s confirm the few that hold them apart.
    FTS5 reads the list of rows of every trigram it is asked for, and the
    phrase asked for all seven of them: a rare email fragment took 0.41 ms, now
    0.28; a seven-digit phone 1.56, now 1.01 (1M customers).
    """
    if len(text) <= TRIGRAM_LENGTH:
        return _fts_phrase(text)
    starts = list(range(0, len(text) - TRIGRAM_LENGTH + 1, TRIGRAM_LENGTH))
    if len(text) % TRIGRAM_LENGTH:
        starts.append(len(text) - TRIGRAM_LENGTH)
    pieces = dict.fromkeys(text[start : start + TRIGRAM_LENGTH] for start in starts)
    return "(" + " AND ".join(_fts_phrase(piece) for piece in pieces) + ")"


def _fts_query(words: list[str], folded: list[str], *, starts: bool) -> str:
    """Return the FTS5 query whose matches include every ``search_condition`` match.

    The document holds the folded text, so a word is asked folded; with ``starts``,
    after the spaces that start a word: " jo" for "jo" (every space in the document
    is one of the two before a word, so " jo" is only ever a word's start), "  j"
    for "j". Asking "  j" as well as " jo" read the row list of every word starting
    with j: "jo sm" took 13 ms at a million customers. Words too short for a
    trigram are left to the ``LIKE``s that confirm each candidate; '' when every
    word is (the index cannot help).
    """
    parts = []
    for word, folded_word in zip(words, folded, strict=True):
        text = folded_word
        if starts and folded_word:
            text = (" " if len(folded_word) > 1 else "  ") + folded_word
        if len(text) < TRIGRAM_LENGTH:
            continue
        part = "search_document : " + _fts_trigrams(text)
        digits = validators.phone_search_digits(word)
        if digits:
            part += " OR phone : " + _fts_trigrams(digits)
        parts.append(f"({part})")
    query = " AND ".join(parts)
    digits = _whole_term_digits(words)
    if digits and query:
        query = f"({query}) OR phone : {_fts_trigrams(digits)}"
    return query
