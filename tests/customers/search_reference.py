"""The customer search written out in Python, row by row: what the indexed search must return."""

from customers import validators
from customers.models import Customer
from customers.search_text import document_text, fold, search_document


def naive_matches(customer: Customer, term: str) -> bool:
    """Say whether ``customer`` matches ``term``, written out in Python without any index.

    Name and email are compared folded (no accents, lower case: ``fold``). Every
    word must be in the name or email or, when it looks like part of a phone
    number, in the phone's digits; a phone typed as several words matches by all
    its digits. In a term with no word of three characters, each word starts a
    word of the name or email.
    """
    words = term.split()
    if not words:
        return True
    document = search_document(customer.name, customer.email)
    phone = customer.phone or ""
    whole_digits = validators.phone_search_digits(" ".join(words)) if len(words) > 1 else ""
    if whole_digits and whole_digits in phone:
        return True
    folded = [fold(word) for word in words]
    if all(len(word) < 3 for word in folded):
        return all(f"  {word}" in document for word in folded)
    for word, folded_word in zip(words, folded, strict=True):
        digits = validators.phone_search_digits(word)
        if folded_word not in document and not (digits and digits in phone):
            return False
    return True


def naive_search(term: str):
    """The search written without any index: what ``search`` must return, row for row."""
    found = [customer.pk for customer in Customer.objects.all() if naive_matches(customer, term)]
    return Customer.objects.filter(pk__in=found)


def reference_rank(customer: Customer, term: str) -> int:
    """Return how well ``customer`` matches ``term`` (0 best), folded as the search folds.

    The name is the term, then starts with it, then a later word of it does, then
    the email starts with it; anything else is 4.
    """
    typed = document_text(term)
    name = document_text(customer.name)
    if name == typed:
        return 0
    if name.startswith(typed):
        return 1
    if typed in name:
        return 2
    if document_text(customer.email or "").startswith(typed):
        return 3
    return 4
