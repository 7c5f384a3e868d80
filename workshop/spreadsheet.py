"""CSV files for spreadsheets, safe to open: every export writes through `csv_writer`."""
import csv
import io
import re
from decimal import Decimal

#: A spreadsheet reads a cell starting with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+([.,][0-9]+)?")


def neutralise(cell):
    """A text cell that a spreadsheet would run as a formula, made plain text with a leading `'`."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(buffer, **options) -> _SafeWriter:
    """`csv.writer(buffer, **options)` whose rows never carry a formula."""
    return _SafeWriter(csv.writer(buffer, **options))


def spreadsheet_csv(header, rows) -> str:
    """A CSV file as a Danish spreadsheet opens it: semicolons, decimals with a comma (1,50), a byte
    order mark for UTF-8, and no cell that would run as a formula. Every export builds its file here."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([str(cell).replace(".", ",") if isinstance(cell, Decimal) else cell for cell in row])
    return "\ufeff" + buffer.getvalue()
