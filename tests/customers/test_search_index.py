"""The indexed customer search: the same matches as a search without an index, never a scan.

On SQLite an FTS5 trigram table over the search document (migrations 0005, 0009)
finds candidates; on PostgreSQL trigram indexes serve the ``LIKE``s.
Either way the results must be exactly those of the naive search written out here
in Python, row by row.
"""

import random
import sys

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Lower

from customers import services
from customers.models import Customer
from customers.selectors import CustomerListFilters, customer_list, customer_queryset
from tests.customers.factories import CustomerFactory
from tests.customers.search_reference import naive_search, reference_rank

pytestmark = pytest.mark.django_db

NAMES = [
    "Zoë O'Brien",
    "Zoe Obrien",
    "ÉMILE Zola",
    "émile zola",
    "Dell'Acqua Giulia",
    "100% Organic",
    "Under_Score Ltd",
    'Quincy "Q" Jones',
    "Emoji 😀 Fan",
    "😀😀 Twice",
    "Straße Groß",
    "İlkay Gündoğan",
    "Nguyễn Thảo",
    "Jo Smith",
    "John Smithers",
    "Ann Goldsmith",
    "Smith",
    "A",
    "Al",
    "Li Wei",
    "Mary-Jane Watson",
    "Percent %d",
    "Back\\slash",
]
EMAILS = [
    "zoe.obrien@example.com",
    "emile_z@shop.test",
    "100pct@organic.test",
    "under_score@ltd.test",
    "q+jones@example.com",
    "percent%sign@example.com",
    "li.wei@example.cn",
    "smith@example.com",
    None,
]
PHONES = [
    "+14155550123",
    "+15550123999",
    "+442079460958",
    "+4915112345678",
    "+33612345678",
    "+14155550008",
    None,
]
# Typed searches: accents and case, apostrophes, LIKE's wildcards and escape, quotes
# (FTS5's own quote character), emoji, one and two characters, phone numbers typed
# with punctuation, several words in any order.
TERMS = [
    "zoë",
    "ZOË",
    "zoe",
    "o'brien",
    "'",
    "ll'a",
    "%",
    "0%",
    "% o",
    "_",
    "r_s",
    "_sc",
    '"',
    '"q"',
    'y "q',
    "😀",
    "😀😀",
    "ji 😀",
    "moji 😀",
    "émile",
    "ÉMILE",
    "émi",
    "MILE",
    "straße",
    "STRASSE",
    "groß",
    "gündoğan",
    "ilkay",
    "thảo",
    "a",
    "A",
    "al",
    "jo",
    "JO SM",
    "jo s",
    "li",
    "smi",
    "smith",
    "SMITH jo",
    "jo smith",
    "smith jo",
    "ann smith",
    "gold",
    "555-0123",
    "(555) 0123",
    "5550123",
    "555 0123",
    "+1 415 555 0123",
    "0008",
    "415",
    "41",
    "4",
    "+44 20",
    "20 7946",
    "example",
    ".com",
    "@shop",
    "q+jones",
    "pct@",
    "slash",
    "\\",
    "k\\s",
    "zzz",
    "smith zzz",
    "mary-jane",
    "-",
    "--",
    "jane wat",
]


def ids(queryset) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


@pytest.fixture
def mixed_customers():
    """Customers whose names, emails and phones hold every awkward character."""
    rng = random.Random(12)
    customers = []
    for index in range(160):
        name = NAMES[index % len(NAMES)]
        if index >= len(NAMES):
            name = f"{name} {rng.choice(NAMES).split()[0]}"
        email = EMAILS[index % len(EMAILS)]
        customers.append(
            Customer(
                name=name,
                email=f"{index}.{email}" if email else None,
                phone=PHONES[index % len(PHONES)],
                status="inactive" if index % 5 == 0 else "active",
            )
        )
    # Saved as the seeder does (already normalised), so the triggers index each row.
    return Customer.objects.bulk_create(customers)


def random_terms(
    rng: random.Random, customers, count: int, lengths: tuple[int, int] = (1, 6)
) -> list[str]:
    """Return pieces of the customers' own values, ``lengths`` characters long, one or two words."""
    terms = []
    for _ in range(count):
        customer = rng.choice(customers)
        text = rng.choice([customer.name, customer.email or "x", customer.phone or "+1"])
        start = rng.randrange(len(text))
        piece = text[start : start + rng.randint(*lengths)]
        if rng.random() < 0.3:
            other = rng.choice(customers).name.split()[-1]
            piece = f"{piece} {other[: rng.randint(1, 4)]}"
        terms.append(rng.choice([piece, piece.upper(), piece.lower()]))
    return terms


def test_search_finds_exactly_what_the_naive_search_finds(mixed_customers):
    terms = TERMS + random_terms(random.Random(7), mixed_customers, 300)
    differences = {
        term: (ids(Customer.objects.search(term)), ids(naive_search(term)))
        for term in terms
        if ids(Customer.objects.search(term)) != ids(naive_search(term))
    }
    assert differences == {}
    # The comparison means something: most terms find someone, some find no one.
    found = sum(1 for term in TERMS if naive_search(term).exists())
    assert len(TERMS) // 2 < found < len(TERMS)


def test_long_fragments_find_exactly_what_the_naive_search_finds(mixed_customers):
    # A long word is looked up by trigrams that cover it, not by all of them in a row:
    # the LIKEs must still drop every row that holds those trigrams apart.
    terms = random_terms(random.Random(8), mixed_customers, 200, lengths=(4, 14))
    terms += ["olivia.king", "555-0123 4", "ann smithson", "aaaaaaa", "o'brien-o'neil"]
    for term in terms:
        assert ids(Customer.objects.search(term)) == ids(naive_search(term)), term
    # Both trigrams of "abcdef" apart ("def", then "abc"), and once together.
    apart = Customer.objects.create(name="Defab Cabc", email="def.abc@example.com")
    together = Customer.objects.create(name="Zabcdefz")
    assert ids(Customer.objects.search("ABCDEF")) == [together.pk]
    assert apart.pk in ids(Customer.objects.search("abc def"))


def reference_order(term: str) -> list[int]:
    """Return the ids ``term`` must list, in order: ``reference_rank``, then name, then id."""
    ranks = {customer.pk: reference_rank(customer, term) for customer in naive_search(term)}
    # Only ranks someone has: a CASE of no WHEN is a constant, which ORDER BY reads as a position.
    groups = [
        When(pk__in=pks, then=Value(number))
        for number in range(4)
        if (pks := [pk for pk, value in ranks.items() if value == number])
    ]
    found = Customer.objects.filter(pk__in=ranks)
    if groups:
        rank = Case(*groups, default=Value(4), output_field=IntegerField())
        found = found.alias(rank=rank).order_by("rank", Lower("name"), "id")
    else:
        found = found.order_by(Lower("name"), "id")
    return list(found.values_list("pk", flat=True))


def test_search_results_are_ranked_as_the_reference_ranks_them(mixed_customers):
    terms = TERMS + random_terms(random.Random(11), mixed_customers, 100)
    differences = {}
    for term in terms:
        ours = [customer.pk for customer in customer_list(filters=CustomerListFilters(search=term))]
        expected = reference_order(term)
        if ours != expected:
            differences[term] = (ours, expected)
    assert differences == {}
    # The ranks decide something: the exact name first, a later word's start before a
    # match inside a word, and LIKE's wildcards typed are only themselves.
    smith = customer_list(filters=CustomerListFilters(search="smith"))
    assert smith[0].name == "Smith"
    names = [customer.name for customer in smith]
    assert names.index("Jo Smith") < names.index("Ann Goldsmith")
    assert customer_list(filters=CustomerListFilters(search="100%"))[0].name == "100% Organic"


@pytest.mark.parametrize(
    ("status", "ordering"),
    [("all", "name"), ("active", "name"), ("inactive", "-loyaltyPoints"), ("all", "createdAt")],
)
def test_the_api_search_lists_what_customer_list_lists(
    mixed_customers, manager_client, status, ordering
):
    # The API's search is read by prepared statements (compiled once per shape of term,
    # then only bound): it must give the list's QuerySet's rows, in its order, page by page.
    for customer in mixed_customers[::4]:
        Customer.objects.filter(pk=customer.pk).update(status="inactive")
    terms = TERMS + random_terms(random.Random(5), mixed_customers, 60)
    differences = {}
    for term in terms:
        filters = CustomerListFilters(search=term, status=status, ordering=ordering)
        expected = list(customer_queryset(filters=filters).values_list("pk", flat=True))
        listed, url = [], "/api/customers"
        params = {"search": term, "status": status, "ordering": ordering, "pageSize": 7}
        while url:
            body = manager_client.get(url, params).json()
            assert body["count"] == len(expected), term
            listed += [row["id"] for row in body["results"]]
            url, params = body["next"], None
        if listed != expected:
            differences[term] = (listed, expected)
    assert differences == {}


def test_search_unindexed_is_the_same_naive_search(mixed_customers):
    for term in TERMS:
        assert ids(Customer.objects.search_unindexed(term)) == ids(naive_search(term)), term


@pytest.mark.parametrize("typed", ["555-0123", "(555) 0123", "5550123", "555 0123"])
def test_a_phone_typed_any_way_finds_it_by_its_digits(typed):
    match = CustomerFactory(name="Phone Owner", phone="+14155550123")
    CustomerFactory(name="Other", phone="+14155550124")
    assert list(Customer.objects.search(typed)) == [match]


def test_short_words_each_start_a_word_of_the_name_or_the_email():
    jo = CustomerFactory(name="Jo Smith", email="jo@example.com")
    john = CustomerFactory(name="John Smithers", email="js@example.com")
    jones = CustomerFactory(name="Mary Jones", email="mary@example.com")
    CustomerFactory(name="Major Tom", email="tom@example.com")  # "jo" inside, not at the start
    by_email = CustomerFactory(name="Someone", email="jojo@example.com")
    assert set(Customer.objects.search("jo")) == {jo, john, jones, by_email}
    # Several, in any order.
    assert set(Customer.objects.search("JO S")) == {jo, john, by_email}
    assert set(Customer.objects.search("sm jo")) == {jo, john}


def test_a_word_start_ending_in_the_last_code_point_is_searched(manager_client, manager_page):
    # Once asked as a range ("jo" up to "jp"), where U+10FFFF has no code point after it.
    last = chr(sys.maxunicode)
    found = CustomerFactory(name=f"A{last}b")
    CustomerFactory(name="Ab")
    assert list(Customer.objects.search(f"a{last}")) == [found]
    for term in (last, f"a{last}"):
        assert manager_client.get("/api/customers", {"search": term}).status_code == 200
        assert manager_page.get("/customers/", {"search": term}).status_code == 200


def test_every_word_of_three_or_more_must_match_in_any_order():
    isla = CustomerFactory(name="Isla Davis", email="isla@shop.test", phone="+14155550008")
    CustomerFactory(name="Isla Brown", email="brown@shop.test", phone="+14155550222")
    assert list(Customer.objects.search("davis isla")) == [isla]
    assert list(Customer.objects.search("0008 ISLA")) == [isla]
    # A short word in a longer search still has to match, anywhere.
    assert list(Customer.objects.search("isla vi")) == [isla]


def test_the_index_follows_every_change_to_a_customer():
    customer = services.customer_create(
        actor=None, channel="command", name="Wanda Fish", email="wanda@fish.test"
    )
    assert list(Customer.objects.search("fish")) == [customer]
    services.customer_update(
        actor=None,
        channel="command",
        customer=customer,
        data={"name": "Wanda Bird", "email": "wanda@bird.test", "phone": "(415) 555-0199"},
    )
    assert list(Customer.objects.search("fish")) == []
    assert list(Customer.objects.search("bird")) == [customer]
    assert list(Customer.objects.search("555-0199")) == [customer]
    Customer.objects.filter(pk=customer.pk).update(email="new@bird.test")
    assert list(Customer.objects.search("new@")) == [customer]
    Customer.objects.filter(pk=customer.pk).delete()
    assert list(Customer.objects.search("bird")) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
def test_the_search_index_and_its_triggers_survive_every_migration():
    """A later migration that rebuilds ``customers`` on SQLite drops its triggers.

    If this fails, add a migration that runs 0005's ``create_search_index`` again.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'customers'"
        )
        triggers = {row[0] for row in cursor.fetchall()}
        cursor.execute("INSERT INTO customers_search(customers_search) VALUES ('integrity-check')")
    assert {
        "customers_search_insert",
        "customers_search_update",
        "customers_search_delete",
    } <= triggers


# --- no table scans ------------------------------------------------------------------------

LONG_TERMS = [
    "smith",
    "o'brien",
    "555-0123",
    "(415) 555 0123",
    "isla davis",
    "jo smith",
    "50%",
    "joão",
]
SHORT_TERMS = ["j", "jo", "sø", "jo sm", "j s"]


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Tiny test tables make a scan the cheapest plan; forbid it to see
            # whether an index can serve the query at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(row[-1] for row in cursor.fetchall())


# On SQLite, the way every search reaches customers: by id from the FTS index.
INDEX_ACCESS = "USING INTEGER PRIMARY KEY"


def scans_customers(plan: str) -> bool:
    """Say whether the plan reads customers other than through the search's indexes.

    Walking the status index (nine customers in ten are active) and testing each
    row counts as a scan too: it is one, in index order.
    """
    if connection.vendor == "postgresql":
        return "Seq Scan on customers" in plan
    for line in plan.splitlines():
        step = line.strip()
        if step.startswith("SCAN") and "VIRTUAL TABLE" not in step:
            return True
        if step.startswith("SEARCH") and INDEX_ACCESS not in step:
            return True
    return False


@pytest.fixture
def some_customers():
    CustomerFactory.create_batch(5)
    CustomerFactory(name="Isla Davis", phone="+14155550123")


@pytest.mark.parametrize("term", LONG_TERMS + SHORT_TERMS)
@pytest.mark.parametrize("status", ["all", "active"])
def test_no_search_scans_the_customers_table(some_customers, term, status):
    # The list's QuerySet: the SQL its prepared statements keep (CLASSICPOS_VERIFY_PREPARED).
    listed = customer_queryset(filters=CustomerListFilters(search=term, status=status))
    for queryset in (Customer.objects.search(term), listed[:25], listed.order_by()[:10_001]):
        plan = plan_of(queryset)
        assert not scans_customers(plan), plan


def test_the_scan_check_sees_a_scan(some_customers):
    """The plan check above can fail: a substring of the address, which no index serves."""
    assert scans_customers(plan_of(Customer.objects.filter(address__icontains="smith")))
    if connection.vendor == "sqlite":
        # The active customers, by the status index, each tested against the search.
        assert scans_customers(plan_of(Customer.objects.active().search_unindexed("smith")))


# --- PostgreSQL: what a search reads of a trigram index -----------------------------------

TRIGRAM_INDEXES = {"customers_search_doc_trgm_idx", "customers_phone_trgm_idx"}
GIN_INDEXES_SQL = (
    "SELECT c.relname, c.reloptions FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
    "JOIN pg_am am ON am.oid = c.relam "
    "WHERE i.indrelid = 'customers'::regclass AND am.amname = 'gin'"
)


def pending_pages() -> dict[str, int]:
    """Return each trigram index's pending-list pages (pgstattuple), or skip without it."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
    except DatabaseError:
        pytest.skip("the pgstattuple extension is not installed")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, (pgstatginindex(c.oid)).pending_pages FROM pg_class c "
            "WHERE c.relname = ANY(%s)",
            [sorted(TRIGRAM_INDEXES)],
        )
        return dict(cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes are PostgreSQL's")
def test_the_trigram_indexes_keep_few_new_entries_aside():
    """Every search reads a GIN index's pending list whole: it stops at 64 kB (a few pages)."""
    with connection.cursor() as cursor:
        cursor.execute(GIN_INDEXES_SQL)
        options = dict(cursor.fetchall())
    assert set(options) == TRIGRAM_INDEXES
    for name, reloptions in options.items():
        assert "gin_pending_list_limit=64" in (reloptions or []), name


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes are PostgreSQL's")
def test_customers_added_one_by_one_leave_a_short_pending_list():
    # Under the 4 MB default these leave 34 pages or more pending in an index (8 with 64 kB);
    # at a million customers, 400 added after a load left 270 pages across the three.
    for number in range(800):
        CustomerFactory(name=f"Pending Person {number}", email=f"pending.{number}@example.com")
    for name, pages in pending_pages().items():
        assert pages <= 10, (name, pages)
