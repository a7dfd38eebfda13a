"""CSV files that people open in a spreadsheet, and the formula-injection guard.

Why a module of its own: a CSV for Excel or LibreOffice is not the CSV a
program reads. French Excel splits on ``;`` (``,`` is its decimal mark) and
English Excel on ``,``; both need a byte order mark to read UTF-8 rather than
the system code page; dates must be written as the user's spreadsheet reads
them, in the edition's zone, not as UTC ISO stamps; yes/no reads better than
1/0; amounts take the language's decimal mark. And any text a visitor typed
may start with ``=`` and run as a formula.

Why in the kernel: it is pure (values in, bytes out), knows no domain and no
request, and both the organisers' exports and any later tool may use it. The
words it writes (column names, labels, "Yes"/"No") are translated by the
caller and handed in, so this module needs no translation catalogue.

Dates: French as ``01/04/2014 09:30`` (what French spreadsheets read as a
date); English as ISO ``2014-04-01 09:30``, read as a date by every English
spreadsheet whatever its regional settings, where ``01/04/2014`` would be
1 April in Britain and 4 January in the United States.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from zoneinfo import ZoneInfo

__all__ = ["FORMULA_PREFIXES", "SheetFormat", "neutralise", "sheet_format", "write_csv"]

# A cell starting with one of these may be run as a formula (or DDE command) by a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
LINE_END = "\r\n"


def neutralise(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (CSV injection).

    The leading apostrophe makes spreadsheets keep the cell as text and is
    not shown; the text itself is kept, so nothing the person typed is lost.
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


@dataclass(frozen=True, slots=True)
class SheetFormat:
    """How one language's spreadsheets read a CSV file."""

    delimiter: str
    date_format: str  # strftime pattern
    time_format: str
    yes: str
    no: str
    zone: ZoneInfo  # instants are written in this zone
    decimal_mark: str = "."  # amounts: "336,00" for French spreadsheets

    def cell(self, value: object) -> str:
        """One value as the spreadsheet should read it; text is neutralised, numbers are not."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return self.yes if value else self.no
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, Decimal):  # an amount we computed: a number, never a formula
            return format(value, "f").replace(".", self.decimal_mark)
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError("a naive datetime has no zone to convert from")
            local = value.astimezone(self.zone)
            return f"{local:{self.date_format}} {local:{self.time_format}}"
        if isinstance(value, date):
            return f"{value:{self.date_format}}"
        if isinstance(value, time):
            return f"{value:{self.time_format}}"
        if isinstance(value, Enum):
            raise TypeError(f"{value!r}: pass its label, not its code")
        return neutralise(value)


def sheet_format(language: str, zone: ZoneInfo, *, yes: str, no: str) -> SheetFormat:
    """The format of French spreadsheets for ``fr*``, of English ones otherwise."""
    if language.startswith("fr"):
        return SheetFormat(";", "%d/%m/%Y", "%H:%M", yes, no, zone, decimal_mark=",")
    return SheetFormat(",", "%Y-%m-%d", "%H:%M", yes, no, zone)


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]], sheet: SheetFormat) -> bytes:
    """UTF-8 with a byte order mark, ``sheet``'s separator, CRLF line ends, every cell safe."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=sheet.delimiter, lineterminator=LINE_END)
    writer.writerow([neutralise(name) for name in header])
    for row in rows:
        writer.writerow([sheet.cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")
