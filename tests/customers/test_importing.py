"""Importing customers from CSV: messy files, matching, dry run, re-runs, the command."""

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum

from customers import importing, services
from customers.importing import ImportFileError, ImportStopped, customer_import
from customers.models import Customer
from customers.validators import MESSAGES
from loyalty.models import LoyaltyProgram, LoyaltyTransaction
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

HEADER = "name,email,phone,address,loyaltyPoints,status"


def run(text: str | bytes, **options):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return customer_import(file=io.BytesIO(data), **options)


def messages(report) -> list[tuple[int, str, str]]:
    return [(error.row, error.column, error.message) for error in report.errors]


# A file as shops really have them: Excel's BOM, Windows line endings, quoted commas
# and line breaks, blank rows, a row repeated, bad emails, phones of several countries.
MESSY = (
    "\ufeffFull Name,E-mail,Phone Number,Address,Loyalty Points,Status,Notes\r\n"
    'Ada Lovelace,ADA@Example.com,(415) 555-0101,"12 St James\'s Square, London",120,active,vip\r\n'
    ",,,,,,\r\n"
    "Bad Mail,not-an-email,,,,,\r\n"
    "Ada Lovelace,ada@example.com,,,,,\r\n"
    "Hans Müller,hans@example.de,+49 30 901820,,,Inactive,\r\n"
    'Chloé Dubois,chloe@example.fr,+33 1 42 68 53 00,"Rue de Rivoli\nParis",0,,\r\n'
    "Priya Shah,priya@example.in,+91 22 2202 5858,,,,\r\n"
    "Tom Smith,tom@example.co.uk,020 7946 0958,,,,\r\n"
    "   ,nobody@example.com,,,,,\r\n"
    "Neg Points,neg@example.com,,,-5,,\r\n"
    "Odd Status,odd@example.com,,,,maybe,\r\n"
)


def test_a_messy_real_world_file_imports_its_good_rows_and_reports_the_bad_ones():
    report = run(MESSY)

    assert (report.created, report.updated, report.unchanged) == (4, 0, 1)
    assert messages(report) == [
        (4, "E-mail", "Enter a valid email address."),
        # No country code, and not a valid number in the shop's region (US).
        (9, "Phone Number", MESSAGES["phone_invalid"]),
        (10, "Full Name", "Enter a name."),
        (11, "Loyalty Points", "Enter a whole number of points, 0 or more."),
        (12, "Status", "Enter active or inactive."),
    ]
    assert report.errors == sorted(report.errors, key=lambda error: error.row)
    # "Notes" is the pinned note's column now.
    assert report.ignored_columns == []
    assert Customer.objects.get(email="ada@example.com").note == "vip"
    ada = Customer.objects.get(email="ada@example.com")
    assert ada.phone == "+14155550101"
    assert ada.address == "12 St James's Square, London"
    assert ada.loyalty_points == 120
    hans = Customer.objects.get(email="hans@example.de")
    assert (hans.name, hans.phone, hans.status) == ("Hans Müller", "+4930901820", "inactive")
    assert Customer.objects.get(email="chloe@example.fr").address == "Rue de Rivoli\nParis"
    assert Customer.objects.get(email="priya@example.in").phone == "+912222025858"


def test_a_phone_without_country_code_is_read_in_the_shops_region(settings):
    settings.CLASSICPOS_DEFAULT_REGION = "GB"
    report = run("name,phone\nTom Smith,020 7946 0958\n")
    assert report.created == 1
    assert Customer.objects.get().phone == "+442079460958"


def test_the_same_file_imported_twice_changes_nothing_the_second_time():
    run(MESSY)
    before = list(Customer.objects.order_by("pk").values())
    ledger = LoyaltyTransaction.objects.count()

    again = run(MESSY)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert list(Customer.objects.order_by("pk").values()) == before
    assert LoyaltyTransaction.objects.count() == ledger


def test_a_dry_run_reports_the_same_and_saves_nothing():
    dry = run(MESSY, dry_run=True)
    assert (dry.created, dry.updated, dry.unchanged, len(dry.errors)) == (4, 0, 1, 5)
    assert dry.dry_run
    assert not Customer.objects.exists()
    assert not LoyaltyTransaction.objects.exists()


def test_rows_matching_by_email_or_phone_update_the_customer():
    by_email = CustomerFactory(name="Old Name", email="ada@example.com", phone=None, address=None)
    by_phone = CustomerFactory(name="Bob", email=None, phone="+14155550102")
    report = run(
        "name,email,phone,address\n"
        "Ada Lovelace,ADA@example.com,,1 Main St\n"
        "Bob Builder,,415-555-0102,\n"
    )
    assert (report.created, report.updated, report.unchanged) == (0, 2, 0)
    by_email.refresh_from_db()
    by_phone.refresh_from_db()
    assert (by_email.name, by_email.address) == ("Ada Lovelace", "1 Main St")
    assert by_phone.name == "Bob Builder"


def test_skip_existing_leaves_matching_customers_alone():
    customer = CustomerFactory(name="Old Name", email="ada@example.com")
    report = run(
        "name,email\nNew Name,ada@example.com\nGrace Hopper,grace@example.com\n", skip_existing=True
    )
    assert (report.created, report.updated, report.unchanged) == (1, 0, 1)
    customer.refresh_from_db()
    assert customer.name == "Old Name"


def test_a_phone_shared_by_two_customers_needs_an_email_to_say_which():
    CustomerFactory(email=None, phone="+14155550103")
    CustomerFactory(email=None, phone="+14155550103")
    report = run("name,phone\nSomeone,415 555 0103\n")
    assert report.created == 0
    assert report.errors[0].column == "phone"
    assert "belongs to 2 customers" in report.errors[0].message


def test_opening_points_enter_the_ledger_as_adjustments_for_new_customers_only():
    existing = CustomerFactory(email="old@example.com")
    run(f"{HEADER}\nNew One,new@example.com,,,250,\nOld One,old@example.com,,,999,\n")
    new = Customer.objects.get(email="new@example.com")
    row = LoyaltyTransaction.objects.get(customer=new)
    assert (row.kind, row.points, row.balance_after) == ("adjustment", 250, 250)
    assert new.loyalty_points == 250
    existing.refresh_from_db()
    assert existing.loyalty_points == 0
    assert not LoyaltyTransaction.objects.filter(customer=existing).exists()
    for customer in Customer.objects.all():
        ledger = LoyaltyTransaction.objects.filter(customer=customer).aggregate(s=Sum("points"))
        assert customer.loyalty_points == (ledger["s"] or 0)


def test_the_same_email_as_the_form_refuses_is_refused_with_the_forms_message():
    from customers.forms import CustomerForm

    report = run("name,email\nAda,not-an-email\n")
    form_message = "Enter a valid email address."
    assert report.errors[0].message == form_message
    form = CustomerForm(data={"name": "Ada", "email": "not-an-email"})
    assert form.is_valid()  # the form collects; the service decides, with the same words


def test_other_headers_map_with_the_column_option():
    mapping = importing.parse_column_map("Client=name, Mobile=phone")
    report = run("Client,Mobile\nAda,415 555 0104\n", column_map=mapping)
    assert report.created == 1
    assert Customer.objects.get().phone == "+14155550104"


def test_an_unknown_mapping_target_is_a_file_error():
    with pytest.raises(ImportFileError, match="Map a column"):
        importing.parse_column_map("Client=nickname")


def test_a_windows_1252_file_is_detected_and_a_wrongly_named_encoding_refused():
    data = "name,email\nJosé Álvarez,jose@example.com\n".encode("cp1252")
    with pytest.raises(ImportFileError, match="not utf-8-sig text"):
        run(data, encoding="utf-8")
    assert not Customer.objects.exists()
    report = run(data)
    assert Customer.objects.get().name == "José Álvarez"
    assert report.created == 1


def test_a_file_without_customer_columns_is_refused_before_anything_is_saved():
    with pytest.raises(ImportFileError, match="No column of the file"):
        run("foo,bar\n1,2\n")
    with pytest.raises(ImportFileError, match="empty"):
        run("")


def test_a_crash_rolls_back_its_whole_batch_and_keeps_the_batches_before(monkeypatch):
    lines = [f"Person {n},p{n}@example.com" for n in range(10)]
    original = importing._Batch.save_new
    calls = {"n": 0}

    def crash_on_second_batch(self):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        original(self)

    monkeypatch.setattr(importing._Batch, "save_new", crash_on_second_batch)
    with pytest.raises(ImportStopped) as stopped:
        run("name,email\n" + "\n".join(lines), batch_size=4)
    assert stopped.value.first_row == 6
    assert Customer.objects.count() == 4
    assert stopped.value.report.created == 4


def test_formula_cells_written_by_the_export_come_back_as_they_were():
    report = run("name,phone\n'=SUM(A1),'+44 20 7946 0958\n''quoted,\n")
    assert report.created == 2
    assert set(Customer.objects.values_list("name", flat=True)) == {"=SUM(A1)", "'quoted"}
    assert Customer.objects.get(name="=SUM(A1)").phone == "+442079460958"


def test_the_command_shows_progress_writes_the_error_report_and_says_what_it_did(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text(
        "name,email\n" + "".join(f"P{n},p{n}@example.com\n" for n in range(30)) + "Bad,bad-email\n"
    )
    out, err = StringIO(), StringIO()
    call_command("import_customers", str(path), stdout=out, stderr=err)

    assert "created 30, updated 0, left unchanged 0; 1 rows with errors." in out.getvalue()
    assert "Row 32: email: Enter a valid email address." in out.getvalue()
    assert "100% 31/31 rows" in err.getvalue()
    report = (tmp_path / "customers.errors.csv").read_text()
    assert report.splitlines() == ["row,column,message", "32,email,Enter a valid email address."]


def test_the_command_dry_run_saves_nothing(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text("name,email\nAda,ada@example.com\n")
    out = StringIO()
    call_command("import_customers", str(path), "--dry-run", stdout=out, stderr=StringIO())
    assert "Dry run, nothing saved: would have created 1" in out.getvalue()
    assert not Customer.objects.exists()


def test_the_command_refuses_a_missing_file_and_an_unreadable_one(tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_customers", str(tmp_path / "nope.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_bytes("name\nJosé\n".encode("cp1252"))
    with pytest.raises(CommandError, match="not utf-8-sig text"):
        call_command("import_customers", str(bad), "--encoding", "utf-8", stderr=StringIO())
    pdf = tmp_path / "customers.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    with pytest.raises(CommandError, match="This looks like a PDF"):
        call_command("import_customers", str(pdf), stderr=StringIO())


def test_a_batch_costs_a_few_queries_not_some_per_row(django_assert_max_num_queries):
    rows = "".join(f"P{n},p{n}@example.com,,,{n + 1},\n" for n in range(60))
    LoyaltyProgram.current()  # a running shop's program (made on first use)
    # 2 lookups, inserts in SQLite-sized chunks, 4 for points (the rows, the program's
    # expiry terms, the points' lots, the balances), 1 for the customers' "created"
    # events and 2 for the service's savepoint; on PostgreSQL 1 more, the contact-details
    # lock that keeps concurrent imports from adding a customer twice.
    lock = 1 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(13 + lock):
        assert run(f"{HEADER}\n{rows}").created == 60
    with django_assert_max_num_queries(4):
        assert run(f"{HEADER}\n{rows}").unchanged == 60


# --- who a row is about: email, phone, never a name alone --------------------------------


def test_two_name_only_rows_with_different_addresses_are_two_customers():
    report = run("name,address\nAnn Lee,1 Oak St\nAnn Lee,9 Elm Rd\n")

    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    addresses = Customer.objects.filter(name="Ann Lee").values_list("address", flat=True)
    assert sorted(addresses) == ["1 Oak St", "9 Elm Rd"]


def test_a_name_only_row_never_updates_an_existing_customer():
    existing = CustomerFactory(name="Ann Lee", email=None, phone=None, address="1 Oak St")

    report = run("name,address\nAnn Lee,9 Elm Rd\n")

    assert (report.created, report.updated, report.unchanged) == (1, 0, 0)
    existing.refresh_from_db()
    assert existing.address == "1 Oak St"
    assert Customer.objects.filter(name="Ann Lee").count() == 2


def test_rows_without_email_or_phone_are_counted_as_added_again_on_every_run():
    report = run("name,email\nAnn Lee,\nBo Chen,bo@example.com\n")
    assert report.new_without_contact == 1
    assert report.as_dict()["newWithoutContact"] == 1


# --- the check says which customers change, and how ---------------------------------------


def test_the_check_lists_each_customer_it_would_update_with_old_and_new_values():
    ada = CustomerFactory(name="Ada L", email="ada@example.com", phone=None, address=None)
    bob = CustomerFactory(name="Bob", email=None, phone="+14155550102", address="1 Elm")
    CustomerFactory(name="Same", email="same@example.com")
    text = (
        "name,email,phone,address,status\n"
        "Ada Lovelace,ADA@example.com,,1 Main St,\n"
        "Bob,,415-555-0102,,inactive\n"
        "Same,same@example.com,,,\n"
        "New Person,new@example.com,,,\n"
        "New Person,new@example.com,,2 New St,\n"
    )

    report = run(text, dry_run=True)

    assert report.updated == 3  # the last row amends the row before it: not a customer yet
    assert [update.as_dict() for update in report.updates] == [
        {
            "row": 2,
            "customerId": ada.pk,
            "name": "Ada L",
            "matchedBy": "email",
            "changes": {"name": ["Ada L", "Ada Lovelace"], "address": [None, "1 Main St"]},
        },
        {
            "row": 3,
            "customerId": bob.pk,
            "name": "Bob",
            "matchedBy": "phone",
            "changes": {"status": ["active", "inactive"]},
        },
    ]
    assert report.as_dict()["updates"] == [update.as_dict() for update in report.updates]
    ada.refresh_from_db()
    assert ada.name == "Ada L"


def test_the_import_lists_the_same_updates_it_made():
    ada = CustomerFactory(name="Ada L", email="ada@example.com")
    services.customer_update(customer=ada, data={"tags": ["VIP"]}, actor=None, channel="command")
    report = run("name,email,tags\nAda Lovelace,ada@example.com,VIP; Regular\n")
    assert [(u.customer_id, u.changes) for u in report.updates] == [
        (ada.pk, {"name": ("Ada L", "Ada Lovelace"), "tags": (["VIP"], ["VIP", "Regular"])})
    ]
    ada.refresh_from_db()
    assert ada.name == "Ada Lovelace"


def test_the_command_dry_run_lists_who_would_change_and_how(tmp_path):
    ada = CustomerFactory(name="Ada L", email="ada@example.com", address=None)
    path = tmp_path / "customers.csv"
    path.write_text("name,email,address\nAda Lovelace,ada@example.com,1 Main St\nAnn Lee,,\n")
    out = StringIO()
    call_command("import_customers", str(path), "--dry-run", stdout=out, stderr=StringIO())
    assert (
        f"Would update #{ada.pk} Ada L (row 2, found by email): "
        "name: Ada L → Ada Lovelace; address: — → 1 Main St"
    ) in out.getvalue()
    assert "1 would be added with neither email nor phone" in out.getvalue()
