"""The systems shops switch from, each a small preset: its columns, its words, its habits.

A shop leaving Shopify, Square, WooCommerce, Lightspeed, Loyverse or Odoo uploads
the customer export that system gives it, and the import recognises it from the
header alone (``recognise``): each preset names a few columns that together
only that export has (``identify``), and maps its columns onto ours
(``columns``: header -> a field, or one of the parts below that the import
joins: a name in parts, an address in parts, a second phone column, the
source's own customer id, what the customer spent there). Adding a system is
one ``register_import_source`` call. The header lines and their sources are in
``tests/customers/import_formats/README.md``.

Column names are compared folded (``csv_io.header_key``: "E-Mail" is "email"),
and a preset recognises a file by a handful of its columns, not the whole line:
every one of these systems adds and reorders columns between versions.
"""

from dataclasses import dataclass, field

from classicpos.registry import Registry
from customers.csv_io import header_key

# Parts the import joins into one field, and what is kept beside the customer.
FIRST_NAME, NAME_PREPOSITION, LAST_NAME = "name.first", "name.preposition", "name.last"
STREET, HOUSE_NUMBER, HOUSE_EXTENSION = "address.street", "address.number", "address.extension"
STREET_2, CITY, REGION = "address.street2", "address.city", "address.region"
POSTAL_CODE, COUNTRY = "address.postal_code", "address.country"
ADDRESS_PARTS = (
    STREET,
    HOUSE_NUMBER,
    HOUSE_EXTENSION,
    STREET_2,
    CITY,
    REGION,
    POSTAL_CODE,
    COUNTRY,
)
OTHER_PHONE = "phone.other"  # a second phone column: used when ``phone`` is empty
ACTIVE = "active"  # true/false: an archived record arrives inactive
NOTE_HTML = "note.html"  # a note written as HTML (Odoo's ``comment``)
REFERENCE = "reference"  # the source's own customer id
SPENT, ORDERS = "history.spent", "history.orders"
FIRST_VISIT, LAST_VISIT = "history.first_visit", "history.last_visit"
HISTORY_PARTS = (SPENT, ORDERS, FIRST_VISIT, LAST_VISIT)
NAME_PARTS = (FIRST_NAME, NAME_PREPOSITION, LAST_NAME)
PARTS = frozenset(
    {*NAME_PARTS, *ADDRESS_PARTS, OTHER_PHONE, ACTIVE, NOTE_HTML, REFERENCE, *HISTORY_PARTS}
)
# How the import page names what a column fills, when it is not one of the customer's fields.
PART_LABELS = {
    FIRST_NAME: "Name (first name)",
    NAME_PREPOSITION: "Name (preposition)",
    LAST_NAME: "Name (last name)",
    STREET: "Address (street)",
    HOUSE_NUMBER: "Address (house number)",
    HOUSE_EXTENSION: "Address (house number addition)",
    STREET_2: "Address (second line)",
    CITY: "Address (city)",
    REGION: "Address (state or region)",
    POSTAL_CODE: "Address (postal code)",
    COUNTRY: "Address (country)",
    OTHER_PHONE: "Phone (when the phone column is empty)",
    ACTIVE: "Status (active: true or false)",
    NOTE_HTML: "Note (from HTML)",
    REFERENCE: "Their id in the old system",
    SPENT: "Spent before ClassicPOS",
    ORDERS: "Orders before ClassicPOS",
    FIRST_VISIT: "First visit before ClassicPOS",
    LAST_VISIT: "Last visit before ClassicPOS",
}
# Dates in a file: year first (ISO), day first (most of the world) or month first (the US).
YMD, DMY, MDY = "ymd", "dmy", "mdy"


@dataclass(frozen=True)
class ImportSource:
    """One system's customer export: how to recognise it and read it."""

    name: str  # "shopify": what ``--source`` and the API's ``source`` name
    label: str  # "Shopify customer export": what the report says
    identify: tuple[str, ...]  # headers only this export has, all of them
    columns: dict[str, str]  # its header -> our field or one of the PARTS above
    date_order: str = YMD
    # Shopify writes an apostrophe before ids, phones and postal codes so a
    # spreadsheet keeps them as text; the cell's value is without it.
    leading_apostrophe: bool = False
    # Odoo writes each further tag of a record on a line of its own, every other
    # cell empty: such a line belongs to the record above.
    continued_in: str = ""
    keys: frozenset = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", frozenset(header_key(name) for name in self.identify))
        folded = {header_key(header): target for header, target in self.columns.items()}
        object.__setattr__(self, "columns", folded)


_sources: Registry[ImportSource] = Registry("import sources")


def register_import_source(source: ImportSource) -> None:
    _sources.register(source)


def import_sources() -> list[ImportSource]:
    return sorted(_sources, key=lambda source: source.label)


def import_source(name: str) -> ImportSource | None:
    return _sources.get((name or "").strip().casefold())


def recognise(header_cells: list[str]) -> ImportSource | None:
    """Return the preset whose identifying columns the header has (the most specific one)."""
    present = {header_key(cell) for cell in header_cells}
    matches = [source for source in _sources if source.keys <= present]
    return max(matches, key=lambda source: len(source.keys), default=None)


_SHOPIFY_COMMON = {
    "Customer ID": REFERENCE,
    "First Name": FIRST_NAME,
    "Last Name": LAST_NAME,
    "Email": "email",
    "Accepts Email Marketing": "email_consent",
    "Accepts Marketing": "email_consent",
    "Phone": "phone",
    "Accepts SMS Marketing": "sms_consent",
    "Total Spent": SPENT,
    "Total Orders": ORDERS,
    "Note": "note",
    "Tags": "tags",
}
_ODOO = {"date_order": YMD, "continued_in": "tags"}

PRESETS = (
    ImportSource(
        name="shopify",
        label="Shopify customer export",
        identify=("First Name", "Last Name", "Default Address Address1", "Accepts Email Marketing"),
        columns={
            **_SHOPIFY_COMMON,
            "Default Address Address1": STREET,
            "Default Address Address2": STREET_2,
            "Default Address City": CITY,
            "Default Address Province Code": REGION,
            "Default Address Zip": POSTAL_CODE,
            "Default Address Country Code": COUNTRY,
            "Default Address Phone": OTHER_PHONE,
        },
        leading_apostrophe=True,
    ),
    ImportSource(
        name="shopify-legacy",
        label="Shopify customer export (before default addresses)",
        identify=(
            "First Name",
            "Last Name",
            "Address1",
            "Province Code",
            "Accepts Email Marketing",
        ),
        columns={
            **_SHOPIFY_COMMON,
            "Address1": STREET,
            "Address2": STREET_2,
            "City": CITY,
            "Province Code": REGION,
            "Zip": POSTAL_CODE,
            "Country Code": COUNTRY,
        },
        leading_apostrophe=True,
    ),
    ImportSource(
        name="square",
        label="Square customer export",
        identify=("Square Customer ID", "Email Address", "Phone Number"),
        columns={
            "Square Customer ID": REFERENCE,
            "First Name": FIRST_NAME,
            "Last Name": LAST_NAME,
            "Email Address": "email",
            "Phone Number": "phone",
            "Street Address 1": STREET,
            "Street Address 2": STREET_2,
            "City": CITY,
            "State": REGION,
            "Postal Code": POSTAL_CODE,
            "Birthday": "birthday",
            "Memo": "note",
            "First Visit": FIRST_VISIT,
            "Last Visit": LAST_VISIT,
            "Transaction Count": ORDERS,
            "Lifetime Spend": SPENT,
            "Email Subscription Status": "email_consent",
        },
    ),
    ImportSource(
        name="woocommerce",
        label="WooCommerce customers report",
        identify=("Username", "AOV", "Country / Region"),
        columns={
            "Name": "name",
            "Email": "email",
            "Orders": ORDERS,
            "Total spend": SPENT,
            "Date registered": FIRST_VISIT,
            "Sign Up": FIRST_VISIT,
            "Last active": LAST_VISIT,
            "City": CITY,
            "Region": REGION,
            "Postal code": POSTAL_CODE,
            "Country / Region": COUNTRY,
            "Billing Phone": "phone",
            "Shipping Phone": OTHER_PHONE,
        },
    ),
    ImportSource(
        name="lightspeed-ecom",
        label="Lightspeed eCom customer export",
        identify=("Firstname", "LastnamePreposition", "Lastname"),
        columns={
            "Internal ID": REFERENCE,
            "Firstname": FIRST_NAME,
            "LastnamePreposition": NAME_PREPOSITION,
            "Lastname": LAST_NAME,
            "E-Mail": "email",
            "Phone": "phone",
            "Mobile": OTHER_PHONE,
            "Streetname": STREET,
            "Number": HOUSE_NUMBER,
            "Extension": HOUSE_EXTENSION,
            "Address 2": STREET_2,
            "Zipcode": POSTAL_CODE,
            "City": CITY,
            "Region": REGION,
            "Country": COUNTRY,
            "Groups": "tags",
            "Birthdate": "birthday",
            "Newsletter": "email_consent",
        },
    ),
    ImportSource(
        name="lightspeed-x",
        label="Lightspeed Retail (X-Series) customer export",
        identify=("customer_code", "first_name", "last_name", "loyalty_balance"),
        columns={
            "id": REFERENCE,
            "first_name": FIRST_NAME,
            "last_name": LAST_NAME,
            "email": "email",
            "phone": "phone",
            "mobile": OTHER_PHONE,
            "date_of_birth": "birthday",
            "physical_address_1": STREET,
            "physical_address_2": STREET_2,
            "physical_city": CITY,
            "physical_state": REGION,
            "physical_postcode": POSTAL_CODE,
            "physical_country_id": COUNTRY,
            "customer_group_name": "tags",
            "note": "note",
            "year_to_date": SPENT,
            # A dollar balance: loyalty's import column turns it into the points worth it.
            "loyalty_balance": "loyalty_value",
        },
    ),
    ImportSource(
        name="loyverse",
        label="Loyverse customer export",
        identify=("Customer name", "Customer code", "Points balance"),
        columns={
            "Customer name": "name",
            "Email": "email",
            "Phone": "phone",
            "Address": STREET,
            "City": CITY,
            "Region": REGION,
            "Postal code": POSTAL_CODE,
            "Country": COUNTRY,
            "Customer code": REFERENCE,
            "Note": "note",
            "First visit": FIRST_VISIT,
            "Last visit": LAST_VISIT,
            "Total visits": ORDERS,
            "Total spent": SPENT,
            "Points balance": "loyalty_points",
        },
        date_order=DMY,
    ),
    ImportSource(
        name="odoo",
        label="Odoo contacts export",
        identify=("External ID", "Is a Company", "Related Company"),
        columns={
            "External ID": REFERENCE,
            "Name": "name",
            "Email": "email",
            "Phone": "phone",
            "Mobile": OTHER_PHONE,
            "Street": STREET,
            "Street2": STREET_2,
            "City": CITY,
            "State": REGION,
            "Zip": POSTAL_CODE,
            "Country": COUNTRY,
            "Tags": "tags",
            "Notes": NOTE_HTML,
            "Active": ACTIVE,
        },
        **_ODOO,
    ),
    ImportSource(
        name="odoo-fields",
        label="Odoo contacts export (import-compatible field names)",
        identify=("id", "is_company", "parent_id", "category_id"),
        columns={
            "id": REFERENCE,
            "name": "name",
            "email": "email",
            "phone": "phone",
            "mobile": OTHER_PHONE,
            "street": STREET,
            "street2": STREET_2,
            "city": CITY,
            "state_id": REGION,
            "zip": POSTAL_CODE,
            "country_id": COUNTRY,
            "category_id": "tags",
            "comment": NOTE_HTML,
            "active": ACTIVE,
        },
        **_ODOO,
    ),
)


def connect() -> None:
    for source in PRESETS:
        register_import_source(source)
