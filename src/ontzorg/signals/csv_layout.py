"""The CSV layout creditors use to report signals (pure: bytes in, reports out).

One header line, then one signal per line; semicolon separated; UTF-8, with or without a
byte-order mark (Excel's "CSV UTF-8" writes one). Columns, in any order, names as below:

    bsn;postcode;huisnummer;geboortedatum;naam;soort;bedrag;maanden_achterstand;gemeld_op

- bsn: 9 digits; or leave it empty and give postcode, huisnummer and geboortedatum
- postcode: 2711 AB or 2711ab;  huisnummer: 12, 12A or 12-1
- geboortedatum, gemeld_op: 2025-03-01 or 01-03-2025
- soort: betalingsachterstand, opzegging or overig
- bedrag: euros, 1234,56 or 1234.56 (required for betalingsachterstand)
- maanden_achterstand: whole months, may be empty

The whole file is checked before anything is stored: one bad line refuses the file, and the
error names every bad line by its line number in the file (the header is line 1)."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from .report import Report, ReportInvalid, clean_report

COLUMNS = (
    "bsn",
    "postcode",
    "huisnummer",
    "geboortedatum",
    "naam",
    "soort",
    "bedrag",
    "maanden_achterstand",
    "gemeld_op",
)
REQUIRED_COLUMNS = ("soort", "gemeld_op")
EXAMPLE = (
    "bsn;postcode;huisnummer;geboortedatum;naam;soort;bedrag;maanden_achterstand;gemeld_op\r\n"
    "999999990;;;;A. Haddad;betalingsachterstand;1234,56;2;2025-03-01\r\n"
    ";2711 AB;12A;17-05-1990;Y. Tesfay;opzegging;;;01-03-2025\r\n"
)


class CsvInvalid(Exception):
    """The file is refused; `problems` are Dutch sentences, one per bad line or header issue."""

    def __init__(self, problems: list[str]):
        super().__init__(problems)
        self.problems = problems


@dataclass(frozen=True)
class Row:
    line: int
    report: Report


def parse(data: bytes, *, today: date) -> list[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvInvalid(
            [
                _(
                    "The file is not UTF-8. Save it in Excel as 'CSV UTF-8 (comma "
                    "delimited)' and choose semicolon as the separator."
                )
            ]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise CsvInvalid([_("The file is empty.")])
        names = [name.strip().lower() for name in header]
        if len(names) == 1 and ("," in names[0] or "\t" in names[0]):
            raise CsvInvalid([_("The columns must be separated by a semicolon (;).")])
        problems = []
        unknown = [n for n in names if n not in COLUMNS]
        if unknown:
            problems.append(_("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)})
        missing = [n for n in REQUIRED_COLUMNS if n not in names]
        if missing:
            problems.append(
                _("Required columns are missing: %(names)s.") % {"names": ", ".join(missing)}
            )
        doubled = sorted({n for n in names if names.count(n) > 1})
        if doubled:
            problems.append(_("Columns appear twice: %(names)s.") % {"names": ", ".join(doubled)})
        if problems:
            raise CsvInvalid(problems)

        rows = []
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(names):
                problems.append(
                    _("Line %(line)s: %(count)s columns, the header has %(header)s.")
                    % {"line": line, "count": len(record), "header": len(names)}
                )
                continue
            try:
                report = clean_report(
                    dict(zip(names, record, strict=True)), today=today, amount_in_cents=False
                )
            except ReportInvalid as exc:
                details = "; ".join(
                    f"{field}: {' '.join(messages)}" for field, messages in exc.errors.items()
                )
                problems.append(
                    _("Line %(line)s: %(details)s") % {"line": line, "details": details}
                )
                continue
            rows.append(Row(line, report))
    except csv.Error as exc:
        raise CsvInvalid(
            [
                _("Line %(line)s: the file is not valid CSV (%(error)s).")
                % {"line": reader.line_num, "error": exc}
            ]
        ) from None
    if problems:
        raise CsvInvalid(problems)
    if not rows:
        raise CsvInvalid([_("The file holds no signals, only a header.")])
    return rows
