"""An uploaded customer file as rows of text, whatever the shop's old system saved.

Shops switch with the file their system gives them: CSV in UTF-8 (with or
without a byte order mark), UTF-16 (Excel's "Unicode text") or Windows-1252
(older Excel), separated by commas, semicolons (a European spreadsheet) or tabs,
with any line ends and quoted cells that hold line breaks; or an ``.xlsx``
workbook, read like a CSV (its first sheet, with ``openpyxl``). The encoding and
separator are found, not asked for (the Manager may still name the encoding).
Anything else (a PDF, a photo of the list, an old ``.xls``) is refused with a
sentence saying what it looks like and what to export instead, before any row is
read. Every reader streams: memory stays flat however long the file.
"""

import codecs
import csv
import io
from collections.abc import Iterator
from contextlib import suppress
from datetime import date, datetime, time

from customers.import_errors import ImportFileError

MAX_FILE_MB = 50
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
AUTO = "auto"
SAMPLE_BYTES = 64 * 1024
SEPARATORS = ",;\t|"
EXPORT_AS_CSV = "export the customers from your old system as CSV (or .xlsx) and upload that."
# What a file's first bytes say it is, when it is not text: said to the Manager as is.
NOT_A_TABLE = (
    (b"%PDF", "This looks like a PDF: " + EXPORT_AS_CSV),
    (b"\x89PNG", "This looks like an image: " + EXPORT_AS_CSV),
    (b"\xff\xd8\xff", "This looks like an image: " + EXPORT_AS_CSV),
    (b"GIF8", "This looks like an image: " + EXPORT_AS_CSV),
    (b"RIFF", "This looks like an image or a recording: " + EXPORT_AS_CSV),
    (
        b"\xd0\xcf\x11\xe0",
        "This looks like an old Excel (.xls) or Word file: save it as .xlsx or CSV.",
    ),
    (b"\x1f\x8b", "This looks like a compressed (.gz) file: unpack it and upload the CSV inside."),
)
XLSX = b"PK\x03\x04"


def too_big(size: int) -> str | None:
    """Say why a file of ``size`` bytes is refused, or None: the one limit of every upload."""
    if size > MAX_FILE_BYTES:
        return f"The file is larger than {MAX_FILE_MB} MB: split it into parts and import each."
    return None


def _head(binary, size: int = SAMPLE_BYTES) -> bytes:
    binary.seek(0)
    head = binary.read(size)
    binary.seek(0)
    return head


def file_kind(binary) -> str:
    """Return ``"xlsx"`` or ``"csv"``; raise ``ImportFileError`` saying what else the file is."""
    head = _head(binary)
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ImportFileError("The file is empty: it needs a header row and a row per customer.")
    for magic, message in NOT_A_TABLE:
        if head.startswith(magic):
            raise ImportFileError(message)
    if head.startswith(XLSX):
        if b"xl/" in head or b"[Content_Types].xml" in head:
            return "xlsx"
        raise ImportFileError(
            "This looks like a ZIP archive: unpack it and upload the CSV (or .xlsx) inside."
        )
    if _utf16(head) is None and b"\x00" in head:
        raise ImportFileError("This is not a text file: " + EXPORT_AS_CSV)
    return "csv"


def _utf16(head: bytes) -> str | None:
    """Return the UTF-16 codec a file is in (by its byte order mark, or its zero bytes), or None."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    pairs = head[: len(head) // 2 * 2]
    if len(pairs) >= 4:
        # Latin letters in UTF-16 without a mark: every other byte is zero.
        if pairs[1::2].count(0) > len(pairs) // 4 and pairs[0::2].count(0) == 0:
            return "utf-16-le"
        if pairs[0::2].count(0) > len(pairs) // 4 and pairs[1::2].count(0) == 0:
            return "utf-16-be"
    return None


def detect_encoding(binary) -> str:
    """Return the codec a CSV is in: UTF-16 or UTF-8 by their marks, else UTF-8 if it all decodes.

    Reads the file once, in chunks; a file that is not UTF-8 throughout is
    Windows-1252, the encoding of every Excel "CSV" saved on Windows in Western
    Europe and the Americas (and one in which every byte is some character).
    """
    head = _head(binary, 4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    utf16 = _utf16(_head(binary))
    if utf16 is not None:
        return utf16
    decoder = codecs.getincrementaldecoder("utf-8")()
    binary.seek(0)
    try:
        while chunk := binary.read(SAMPLE_BYTES):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        binary.seek(0)
    return "utf-8"


def _codec(binary, encoding: str) -> str:
    if not encoding or encoding == AUTO:
        return detect_encoding(binary)
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise ImportFileError(f'Unknown encoding "{encoding}"; try utf-8 or cp1252.') from None
    # A byte order mark is not part of the first header.
    return "utf-8-sig" if codec == "utf-8" else codec


def sniff_separator(sample: str) -> str:
    """Return the separator of a CSV from its first lines: the one that splits the header most.

    ``csv.Sniffer`` alone guesses wrong on a one-column file or on names with
    commas in quotes, so its answer is taken only when the header agrees.
    """
    lines = sample.splitlines()
    header = lines[0] if lines else ""
    counts = {separator: header.count(separator) for separator in SEPARATORS}
    with suppress(csv.Error):
        sniffed = csv.Sniffer().sniff(sample[:SAMPLE_BYTES], delimiters=SEPARATORS).delimiter
        if counts.get(sniffed):
            return sniffed
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_rows(binary, encoding: str) -> Iterator[list[str]]:
    codec = _codec(binary, encoding)
    binary.seek(0)
    stream = io.TextIOWrapper(binary, encoding=codec, newline="")
    try:
        separator = sniff_separator(stream.read(SAMPLE_BYTES))
        stream.seek(0)
        yield from csv.reader(stream, delimiter=separator)
    except UnicodeDecodeError:
        raise ImportFileError(
            f"The file is not {codec} text. Choose the encoding it was saved in "
            "(for example cp1252 for older Excel files), or leave it to be detected."
        ) from None
    except csv.Error as error:
        raise ImportFileError(f"The file is not readable as CSV: {error}.") from None
    finally:
        # Hand the binary file back open; it may already be closed if abandoned.
        with suppress(ValueError):
            stream.detach()


def _xlsx_text(value) -> str:
    """A cell as the CSV export of the same sheet would write it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone or an id typed as a number
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def _xlsx_rows(binary) -> Iterator[list[str]]:
    from openpyxl import load_workbook  # imported when a workbook comes: a large library

    binary.seek(0)
    try:
        book = load_workbook(binary, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any unreadable workbook is the Manager's to fix
        raise ImportFileError(
            f"The workbook could not be read ({error.__class__.__name__}): save it again as "
            ".xlsx or as CSV."
        ) from None
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_xlsx_text(value) for value in values]
    finally:
        book.close()


def table_rows(binary, encoding: str = AUTO) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells) of every row of a CSV or a workbook, the header first."""
    rows = _xlsx_rows(binary) if file_kind(binary) == "xlsx" else _csv_rows(binary, encoding)
    yield from enumerate(rows, start=1)
