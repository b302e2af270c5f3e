"""Files as shops have them: encodings, separators, line ends, workbooks; and what is not one."""

import io

import pytest
from openpyxl import Workbook

from customers.import_errors import ImportFileError
from customers.import_readers import detect_encoding, sniff_separator, table_rows
from customers.importing import customer_import
from customers.models import Customer

ROWS = [["name", "email", "note"], ["Zoë Ärger", "zoe@example.com", "likes\nline breaks"]]


def csv_text(separator: str = ",", line_end: str = "\r\n") -> str:
    lines = []
    for row in ROWS:
        cells = [f'"{cell}"' if "\n" in cell or separator in cell else cell for cell in row]
        lines.append(separator.join(cells))
    return line_end.join(lines) + line_end


def rows(data: bytes, encoding: str = "auto") -> list[list[str]]:
    return [cells for _, cells in table_rows(io.BytesIO(data), encoding)]


@pytest.mark.parametrize(
    ("encoded", "codec"),
    [
        (csv_text().encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + csv_text().encode("utf-8"), "utf-8-sig"),
        (csv_text().encode("utf-16"), "utf-16"),
        (csv_text().encode("utf-16-le"), "utf-16-le"),
        (csv_text().encode("cp1252"), "cp1252"),
    ],
    ids=["utf-8", "utf-8 with BOM", "utf-16", "utf-16 without BOM", "windows-1252"],
)
def test_the_encoding_is_found_and_the_rows_read_alike(encoded, codec):
    assert detect_encoding(io.BytesIO(encoded)) == codec
    assert rows(encoded) == ROWS


@pytest.mark.parametrize("separator", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
@pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "cr"])
def test_separators_and_line_ends_are_sniffed(separator, line_end):
    assert rows(csv_text(separator, line_end).encode()) == ROWS


def test_a_header_decides_the_separator_even_when_names_hold_commas():
    sample = 'Name;Email\n"Lee, Ann";ann@example.com\n'
    assert sniff_separator(sample) == ";"
    assert sniff_separator("name\nAda\n") == ","


def test_a_workbook_reads_like_its_csv(tmp_path):
    from datetime import date

    book = Workbook()
    sheet = book.active
    sheet.append(["name", "phone", "birthday", "points"])
    sheet.append(["Ada", 4155550101, date(1990, 5, 17), 12.0])
    sheet.append(["Bo", None, None, 2.5])
    path = tmp_path / "customers.xlsx"
    book.save(path)

    assert rows(path.read_bytes()) == [
        ["name", "phone", "birthday", "points"],
        ["Ada", "4155550101", "1990-05-17", "12"],
        ["Bo", "", "", "2.5"],
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3", "This looks like a PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "This looks like an image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "This looks like an image"),
        (b"", "The file is empty"),
        (b"\n\r\n  ", "The file is empty"),
        (b"PK\x03\x04\x14\x00\x00\x00notes.txt", "ZIP archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", r"old Excel \(\.xls\)"),
        (b"\x00\x01\x02\x03binary\x00\x00", "not a text file"),
    ],
    ids=["pdf", "png", "jpeg", "empty", "blank lines", "zip", "xls", "binary"],
)
def test_what_is_not_a_table_is_named_before_anything_is_read(data, message):
    with pytest.raises(ImportFileError, match=message):
        rows(data)


@pytest.mark.django_db
def test_a_semicolon_file_from_a_european_spreadsheet_imports():
    data = "Name;E-mail;Phone\r\nJosé Álvarez;jose@example.com;+34 912 345 678\r\n".encode("cp1252")

    report = customer_import(file=io.BytesIO(data))

    assert (report.created, report.errors) == (1, [])
    assert Customer.objects.get().name == "José Álvarez"


@pytest.mark.django_db
def test_the_api_and_the_page_say_what_a_wrong_file_is(token_client, manager_page):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.api_helpers import assert_problem

    pdf = SimpleUploadedFile("customers.pdf", b"%PDF-1.7\n", content_type="application/pdf")
    body = assert_problem(
        token_client.post("/api/customers/import", {"file": pdf}, format="multipart"), 400
    )
    assert "This looks like a PDF" in body["errors"]["file"][0]

    photo = SimpleUploadedFile("list.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    page = manager_page.post("/customers/import/", {"file": photo, "encoding": "auto"})
    assert "This looks like an image" in page.context["form"].errors["file"][0]
