"""Demo customers for a new shop and for load tests: realistic, valid and unique.

Built from word lists (no test-only packages): names from several countries, with
accents, apostrophes and hyphens; emails in the forms people use; phones from
several countries, stored as E.164 like every saved phone; addresses; customers
who joined over the years; some inactive. A million rows take about a minute on
SQLite: rows go in as plain parameterised ``INSERT``s, not model instances.
"""

import random
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction

from customers.models import Customer

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


def _email(first: str, last: str, index: int, rng: random.Random) -> str:
    first, last = _ASCII_FIRST[first], _ASCII_LAST.get(last) or _ascii(last)
    style = index % 6
    if style == 0:
        local = f"{first}.{last}"
    elif style == 1:
        local = f"{first[0]}{last}"
    elif style == 2:
        local = f"{first}_{last}"
    elif style == 3:
        local = f"{first}{last}{rng.randint(1950, 2008)}"
    elif style == 4:
        local = f"{last}.{first}"
    else:
        local = f"{first}"
    # The index keeps every address unique, as a million real people's are.
    return f"{local}.{index:x}@{EMAIL_DOMAINS[index % len(EMAIL_DOMAINS)]}"


def _phone(country: str, rng: random.Random) -> str:
    prefix, digits = rng.choice(PHONE_PLANS[country])
    if prefix.startswith("+1"):
        # North American exchanges start with 2-9.
        return (
            prefix
            + str(rng.randint(2, 9))
            + str(rng.randrange(10 ** (digits - 1))).zfill(digits - 1)
        )
    return prefix + str(rng.randrange(10**digits)).zfill(digits)


def demo_customer_row(index: int, rng: random.Random) -> tuple:
    """Return one customer's column values (``INSERT_COLUMNS`` order), valid and normalised.

    ``index`` keeps the email unique; about 1 in 5 customers gives no email and 1 in
    7 no phone, 1 in 17 is inactive.
    """
    first = rng.choice(FIRST_NAMES)
    last = rng.choice(COMPOUND_LAST_NAMES) if index % 97 == 0 else rng.choice(LAST_NAMES)
    if index % 41 == 0:
        last = f"{rng.choice(LAST_NAMES)}-{last}"
    middle = f" {rng.choice(FIRST_NAMES)[0]}." if index % 9 == 0 else ""
    name = f"{first}{middle} {last}"
    city, country = rng.choice(CITIES)
    if rng.random() < 0.6:
        # Most customers have a phone from their own country; others from anywhere.
        country = rng.choices(_COUNTRIES, cum_weights=_COUNTRY_CUMULATIVE)[0]
    # Customers joined one every few minutes over the years, in id order.
    created = connection.ops.adapt_datetimefield_value(START + JOINED_EVERY * index)
    return (
        name,
        _email(first, last, index, rng) if index % 5 else None,
        _phone(country, rng) if index % 7 else None,
        f"{rng.randint(1, 999)} {rng.choice(STREETS)}, {city}" if index % 4 else None,
        0,
        "inactive" if index % 17 == 0 else "active",
        created,
        created,
    )


def _batches(start: int, count: int, size: int, rng: random.Random) -> Iterator[list[tuple]]:
    for offset in range(0, count, size):
        stop = min(offset + size, count)
        yield [demo_customer_row(start + i, rng) for i in range(offset, stop)]


# Rows per INSERT statement. Many rows per statement matter on SQLite: the FTS5
# search index flushes its pending terms at the end of every statement that
# changes it (through the triggers), so one row per statement is ten times slower.
ROWS_PER_STATEMENT = 1000


def _insert_sql(rows: int) -> str:
    placeholders = "(" + ", ".join(["%s"] * len(INSERT_COLUMNS)) + ")"
    columns = ", ".join(INSERT_COLUMNS)
    return f"INSERT INTO customers ({columns}) VALUES " + ", ".join([placeholders] * rows)  # noqa: S608 - constants


def seed_customers(*, count: int, seed: int = 42, batch_size: int = 20_000, progress=None) -> int:
    """Insert ``count`` demo customers in batches; return how many were created.

    Demo rows are valid by construction, so they skip per-row validation and model
    instances: that is what makes a million rows take a minute rather than hours.
    The search index's triggers keep it in step as rows go in.
    """
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    last_id = Customer.objects.order_by("-id").values_list("id", flat=True).first() or 0
    full_statement = _insert_sql(ROWS_PER_STATEMENT)
    created = 0
    with _large_page_cache():
        for batch in _batches(last_id + 1, count, batch_size, rng):
            with transaction.atomic(), connection.cursor() as cursor:
                for offset in range(0, len(batch), ROWS_PER_STATEMENT):
                    rows = batch[offset : offset + ROWS_PER_STATEMENT]
                    statement = (
                        full_statement
                        if len(rows) == ROWS_PER_STATEMENT
                        else _insert_sql(len(rows))
                    )
                    cursor.execute(statement, [value for row in rows for value in row])
            created += len(batch)
            if progress is not None:
                progress(created, count)
    return created


@contextmanager
def _large_page_cache():
    """On SQLite, give this connection a 256 MB page cache while it seeds.

    A million rows go into ten indexes in random order; with the default 2 MB cache
    most of those inserts wait on reads of index pages it has just evicted.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def seed_demo_customers(*, options: dict, progress=None) -> str:
    created = seed_customers(count=options["customers"], seed=options["seed"], progress=progress)
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
