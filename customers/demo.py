"""Demo customers for a new shop and for load tests: realistic, valid and unique.

Built from word lists (no test-only packages): names from several countries, with
accents, apostrophes and hyphens; emails in the forms people use; phones from
several countries, stored as E.164 like every saved phone; addresses; customers
who joined over the years; some inactive. Rows go in as plain parameterised
``INSERT``s, not model instances. A million-customer load for the benchmarks
(indexes built once at the end) is not the shop's code: it is ``bench/seed.py``.
"""

import random
import unicodedata
from bisect import bisect
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import islice

from django.db import connection, transaction

from customers.models import Customer, Tag

# Word lists read better as text than as hundreds of one-word lines.
FIRST_NAMES = (  # noqa: SIM905
    "Ava Ben Chloe Daniel Emma Felix Grace Henry Isla Jack Karen Liam Maya Noah Olivia Peter "
    "Quinn Rosa Sam Tara Umar Vera Will Xena Yusuf Zoe Ana Bruno Carmen Diego Amelia Oliver "
    "Sophia Lucas Mia Ethan Harper Mason Evelyn Logan Abigail James Emily Alexander Ella "
    "Michael Scarlett Benjamin Aria Elijah Chloé Hannah Lily Nora Ruby Freya Poppy Alfie "
    "Archie Theo Oscar Harry George Arthur Leo Finley Charlotte Florence Jessica Sean Aoife "
    "Siobhán Niamh Ciarán Eoin Saoirse Mateo Sofía Valentina Martín Lucía Alejandro Camila "
    "José María Javier Paula Álvaro Inés Jürgen Lukas Lena Jonas Anna Felix Marie Paul "
    "Sophie Maximilian Greta Jörg Björn Léa Chloé Hugo Louis Manon Gabriel Jade Raphaël Zoé "
    "Mathéo Giulia Alessandro Francesca Lorenzo Chiara Matteo Aurora Riccardo Wei Jing Hao "
    "Mei Yuki Haruto Sakura Ren Min-jun Seo-yeon Ji-ho Priya Arjun Ananya Rohan Aisha Omar "
    "Fatima Ahmed Layla Yasmin Kwame Ama Chidi Ngozi Thabo Zanele Olga Ivan Dmitri Katarzyna "
    "Piotr Agnieszka Tomasz Ewa Nguyễn Linh Minh Thảo Kai Leilani Mateus Gabriela João "
    "Beatriz Eero Aino Søren Freja Astrid Magnus Ingrid Lars Zoë Noël Renée Dominique"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Smith Jones Garcia Miller Davis Lopez Wilson Clark Lewis Young Walker Hall Allen King "
    "Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips "
    "Johnson Williams Brown Taylor Anderson Thomas Jackson White Harris Martin Thompson "
    "Martinez Robinson Rodriguez Lee Perez Sanchez Ramirez Torres Flores Rivera Gomez Diaz "
    "Evans Turner Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper "
    "Peterson Bailey Reed Kelly Howard Cox Ward Richardson Watson Brooks Wood Bennett Gray "
    "Hughes Price Sanders Patel Shah Kumar Singh Khan Ali Hussain Ahmed O'Brien O'Connor "
    "O'Neill O'Sullivan McCarthy D'Angelo Dell'Acqua Müller Schmidt Schneider "
    "Fischer Weber Meyer Wagner Becker Schäfer Köhler Groß Hoffmann Dubois Durand Lefèvre "
    "Moreau Lambert Bonnet François Girard Rossi Russo Ferrari Esposito Bianchi Romano Colombo "
    "Ricci Marino Greco Bruno Gallo Conti Fernández González Rodríguez Pérez Sánchez "
    "Martínez Gómez Jiménez Muñoz Álvarez Castillo Núñez Peña Wang Li Zhang Liu Chen Yang "
    "Huang Zhao Wu Zhou Tanaka Suzuki Takahashi Watanabe Kim Park Choi Jung Nguyen Tran Pham "
    "Le Hoang Kowalski Nowak Wiśniewski Wójcik Ivanov Petrov Sokolov Novak Horvat Jensen "
    "Nielsen Hansen Johansson Andersson Virtanen Korhonen Okafor Mensah Adeyemi Dlamini "
    "Nkosi Silva Santos Oliveira Souza Costa Pereira Almeida Smith-Jones Lloyd-Webber "
    "Ben-David Al-Sayed Jansen Bakker Visser Smit Meijer"
).split()
# A few surnames of two words, so some names have three or four words.
COMPOUND_LAST_NAMES = ("De Luca", "Van der Berg", "De Vries", "Van Dijk", "Ó Súilleabháin")
EMAIL_DOMAINS = (
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "hotmail.com",
    "icloud.com",
    "proton.me",
    "gmx.de",
    "web.de",
    "orange.fr",
    "libero.it",
    "btinternet.com",
    "example.com",
    "shop.test",
)
STREETS = (  # noqa: SIM905
    "Oak St|Maple Ave|Cedar Rd|Pine St|Elm St|Lake Dr|Hill Rd|Park Ave|River Rd|Main St|"
    "High St|Station Rd|Church Ln|Mill Ln|Victoria Rd|Kings Rd|Hauptstraße|Bahnhofstraße|"
    "Rue de la Paix|Rue Victor Hugo|Calle Mayor|Gran Vía|Via Roma|Corso Italia"
).split("|")
CITIES = (
    ("Springfield, IL 62701", "US"),
    ("Portland, OR 97201", "US"),
    ("Austin, TX 78701", "US"),
    ("Denver, CO 80202", "US"),
    ("Toronto, ON M5V 2T6", "CA"),
    ("London SW1A 1AA", "GB"),
    ("Manchester M1 1AE", "GB"),
    ("10115 Berlin", "DE"),
    ("80331 München", "DE"),
    ("75001 Paris", "FR"),
    ("69002 Lyon", "FR"),
    ("28013 Madrid", "ES"),
    ("08002 Barcelona", "ES"),
    ("00184 Roma", "IT"),
    ("Sydney NSW 2000", "AU"),
)
# Number ranges that are valid (checked with ``phonenumbers``) in each country:
# the country code and leading digits, then how many random digits follow.
PHONE_PLANS = {
    "US": (("+1415", 7), ("+1212", 7), ("+1512", 7), ("+1303", 7), ("+1617", 7), ("+1702", 7)),
    "CA": (("+1416", 7), ("+1604", 7), ("+1514", 7)),
    "GB": (("+4478", 8), ("+4475", 8), ("+44207", 7)),
    "DE": (("+49151", 8), ("+49152", 8), ("+49157", 8)),
    "FR": (("+3361", 7), ("+3362", 7), ("+3366", 7), ("+3367", 7)),
    "ES": (("+346", 8),),
    "IT": (("+3932", 7), ("+3934", 7)),
    "AU": (("+6140", 7), ("+6141", 7)),
}
# Most customers are local (the shop's region); the rest come from elsewhere.
COUNTRY_WEIGHTS = {"US": 70, "CA": 5, "GB": 8, "DE": 5, "FR": 4, "ES": 3, "IT": 3, "AU": 2}
START = datetime(2018, 1, 1, tzinfo=UTC)
JOINED_EVERY = timedelta(minutes=4)
INSERT_COLUMNS = (
    "name",
    "email",
    "phone",
    "address",
    '"loyaltyPoints"',
    "status",
    '"createdAt"',
    '"updatedAt"',
    "birthday",
    "birthday_md",
    "email_consent",
    "sms_consent",
)


def _ascii(text: str) -> str:
    """Return ``text`` as an email's local part: accents dropped, letters only."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


_ASCII_FIRST = {name: _ascii(name) for name in FIRST_NAMES}
_ASCII_LAST = {name: _ascii(name) for name in LAST_NAMES}
_COUNTRIES = tuple(COUNTRY_WEIGHTS)
_COUNTRY_CUMULATIVE = tuple(
    sum(COUNTRY_WEIGHTS[c] for c in _COUNTRIES[: i + 1]) for i in range(len(_COUNTRIES))
)


def _email(first: str, last: str, index: int, below) -> str:
    first, last = _ASCII_FIRST[first], _ASCII_LAST.get(last) or _ascii(last)
    style = index % 6
    if style == 0:
        local = f"{first}.{last}"
    elif style == 1:
        local = f"{first[0]}{last}"
    elif style == 2:
        local = f"{first}_{last}"
    elif style == 3:
        local = f"{first}{last}{1950 + below(59)}"  # a birth year, 1950-2008
    elif style == 4:
        local = f"{last}.{first}"
    else:
        local = f"{first}"
    # The index keeps every address unique, as a million real people's are.
    return f"{local}.{index:x}@{EMAIL_DOMAINS[index % len(EMAIL_DOMAINS)]}"


def _phone(country: str, below) -> str:
    plans = PHONE_PLANS[country]
    prefix, digits = plans[below(len(plans))]
    if prefix.startswith("+1"):
        # North American exchanges start with 2-9.
        return prefix + str(2 + below(8)) + str(below(10 ** (digits - 1))).zfill(digits - 1)
    return prefix + str(below(10**digits)).zfill(digits)


def _timestamps():
    """Return ``index -> createdAt`` as the database takes it: customers joined one
    every few minutes over the years, in id order.

    SQLite stores UTC text (what Django's adapter makes of an aware datetime, built
    here without its per-value checks); other databases take the datetime itself.
    """
    if connection.vendor == "sqlite":
        start = START.replace(tzinfo=None)
        return lambda index: str(start + JOINED_EVERY * index)
    adapt = connection.ops.adapt_datetimefield_value
    return lambda index: adapt(START + JOINED_EVERY * index)


def demo_customer_rows(start: int, count: int, rng: random.Random) -> Iterator[tuple]:
    """Yield ``count`` customers' column values (``INSERT_COLUMNS`` order) from ``start``.

    ``index`` keeps the email unique; about 1 in 5 customers gives no email and 1 in
    7 no phone, 1 in 17 is inactive. Each pick is ``rng._randbelow(n)``, which is
    exactly what ``rng.choice``, ``randint`` and ``randrange`` draw (so a seed gives
    the same customers it always did) without their argument checks: at a million
    rows those checks were a third of the seeding time.
    """
    below = rng._randbelow  # a private method on purpose: see the docstring
    uniform = rng.random
    stamp = _timestamps()
    n_first, n_last, n_compound = len(FIRST_NAMES), len(LAST_NAMES), len(COMPOUND_LAST_NAMES)
    n_cities, n_streets = len(CITIES), len(STREETS)
    # rng.choices(_COUNTRIES, cum_weights=...)[0], written out as it computes it.
    total, highest = _COUNTRY_CUMULATIVE[-1] + 0.0, len(_COUNTRIES) - 1
    for index in range(start, start + count):
        first = FIRST_NAMES[below(n_first)]
        if index % 97 == 0:
            last = COMPOUND_LAST_NAMES[below(n_compound)]
        else:
            last = LAST_NAMES[below(n_last)]
        if index % 41 == 0:
            last = f"{LAST_NAMES[below(n_last)]}-{last}"
        middle = f" {FIRST_NAMES[below(n_first)][0]}." if index % 9 == 0 else ""
        city, country = CITIES[below(n_cities)]
        if uniform() < 0.6:
            # Most customers have a phone from their own country; others from anywhere.
            country = _COUNTRIES[bisect(_COUNTRY_CUMULATIVE, uniform() * total, 0, highest)]
        created = stamp(index)
        email = _email(first, last, index, below) if index % 5 else None
        phone = _phone(country, below) if index % 7 else None
        address = f"{1 + below(999)} {STREETS[below(n_streets)]}, {city}" if index % 4 else None
        status = "inactive" if index % 17 == 0 else "active"
        # Profile fields from the index alone, so a seed's names and contacts stay the same:
        # a birthday for one in three, consent from some of those who gave an address.
        birthday, birthday_md = _birthday(index) if index % 3 == 0 else (None, None)
        email_consent = bool(email) and index % 4 == 1
        sms_consent = bool(phone) and index % 6 == 1
        yield (
            f"{first}{middle} {last}",
            email,
            phone,
            address,
            0,
            status,
            created,
            created,
            birthday,
            birthday_md,
            email_consent,
            sms_consent,
        )


def _birthday(index: int) -> tuple[str, int]:
    """Return a birthday (ISO text, as both databases take it) spread over the year and over
    1945-2006, and its month-day key."""
    born = date(1945 + index % 62, 1 + index % 12, 1 + (index // 12) % 28)
    return born.isoformat(), born.month * 100 + born.day


# Rows per INSERT statement. Many rows per statement matter on SQLite: the FTS5
# search index flushes its pending terms at the end of every statement that
# changes it (through the triggers), so one row per statement is ten times slower.
ROWS_PER_STATEMENT = 1000


def _insert_sql(rows: int) -> str:
    placeholders = "(" + ", ".join(["%s"] * len(INSERT_COLUMNS)) + ")"
    columns = ", ".join(INSERT_COLUMNS)
    return f"INSERT INTO customers ({columns}) VALUES " + ", ".join([placeholders] * rows)  # noqa: S608 - constants


def chunks(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    """Cut ``rows`` into lists of ``size``: a load's batches, each its own transaction."""
    while chunk := list(islice(rows, size)):
        yield chunk


def new_customer_rows(*, count: int, seed: int = 42) -> Iterator[tuple]:
    """Yield ``count`` demo customers' rows, numbered on from the last customer's id.

    The numbering keeps each email unique, so a second load beside the first clashes
    with nothing; the same ``seed`` on the same table gives the same customers.
    """
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    last_id = Customer.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return demo_customer_rows(last_id + 1, count, rng)


def insert_customer_rows(
    rows: Iterator[tuple], *, count: int, batch_size: int = 20_000, progress=None
) -> int:
    """Insert ``rows`` (``INSERT_COLUMNS`` order) in batches; return how many went in.

    Demo rows are valid by construction, so they skip per-row validation and model
    instances. ``progress(done, total)`` hears after each batch.
    """
    report = progress or (lambda done, total, stage="": None)
    full_statement = _insert_sql(ROWS_PER_STATEMENT)
    created = 0
    for batch in chunks(rows, batch_size):
        with transaction.atomic(), connection.cursor() as cursor:
            for offset in range(0, len(batch), ROWS_PER_STATEMENT):
                chunk = batch[offset : offset + ROWS_PER_STATEMENT]
                statement = (
                    full_statement if len(chunk) == ROWS_PER_STATEMENT else _insert_sql(len(chunk))
                )
                cursor.execute(statement, [value for row in chunk for value in row])
        created += len(batch)
        report(created, count)
    return created


def seed_customers(*, count: int, seed: int = 42, batch_size: int = 20_000, progress=None) -> int:
    """Insert ``count`` demo customers; return how many were created.

    Each batch goes through every index as it is written, which suits a demo shop of
    thousands; a million for the benchmarks is ``bench/seed.py``'s load, which builds
    the indexes once at the end.
    """
    rows = new_customer_rows(count=count, seed=seed)
    return insert_customer_rows(rows, count=count, batch_size=batch_size, progress=progress)


# Demo tags, and which customers carry them (by id, so any number of customers works).
DEMO_TAGS = (("VIP", 7), ("Wholesale", 13), ("Staff", 31), ("Regular", 4))
# (every, note, how loudly the till shows it: customers.alerts). No demo customer is blocked:
# the demo's sales are rung up for customers picked at random.
DEMO_NOTES = (
    (9, "Prefers paper receipts.", None),
    (16, "Allergic to nuts: check the bakery labels.", "warn"),
    (23, "Calls ahead for large orders.", None),
)


# Only the first this many new customers get tags and notes: enough to try every
# segment, and a million-customer load stays a matter of seconds.
PROFILED_CUSTOMERS = 5000


def seed_demo_profiles(*, after_id: int) -> None:
    """Tag some of the customers past ``after_id`` and pin a few notes, in a handful of
    statements whatever the size of the load."""
    through = Customer.tags.through._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        for name, every in DEMO_TAGS:
            tag, _ = Tag.objects.get_or_create(name=name)
            cursor.execute(
                f"INSERT INTO {through} (customer_id, tag_id) "  # noqa: S608 - constants
                "SELECT id, %s FROM customers WHERE id > %s AND id <= %s AND id %% %s = 0",
                [tag.pk, after_id, after_id + PROFILED_CUSTOMERS, every],
            )
        for every, note, alert in DEMO_NOTES:
            cursor.execute(
                "UPDATE customers SET note = %s, note_alert = %s "
                "WHERE id > %s AND id <= %s AND id %% %s = 0",
                [note, alert, after_id, after_id + PROFILED_CUSTOMERS, every],
            )


def seed_demo_customers(*, options: dict, progress=None, load=seed_customers) -> str:
    """The customers of ``manage.py seed_demo``, with their tags and notes.

    ``load`` puts the rows in (``seed_customers``'s signature): the benchmarks pass
    their bulk loader, so a million-customer shop is this same shop.
    """
    last_before = Customer.objects.order_by("-id").values_list("id", flat=True).first() or 0
    created = load(count=options["customers"], seed=options["seed"], progress=progress)
    # The new rows' ids start past the sequence, which may have moved on beyond the last
    # row (rolled-back inserts on PostgreSQL): profile from the first new one.
    first_new = (
        Customer.objects.filter(id__gt=last_before).order_by("id").values_list("id", flat=True)
    ).first()
    seed_demo_profiles(after_id=(first_new or last_before + 1) - 1)
    return f"Created {created} demo customers."


def connect() -> None:
    from classicpos.demo import DemoSeeder, register_seeder

    register_seeder(
        DemoSeeder(
            name="customers",
            seed=seed_demo_customers,
            is_loaded=Customer.objects.exists,
            order=10,
        )
    )
