"""A creditor's report of one signal, cleaned and checked (pure: plain values in, a Report out).

The CSV layout and the API carry the same fields under the same Dutch names; both hand the
raw values to `clean_report`, which either returns a `Report` or raises `ReportInvalid` with
Dutch messages per field. Nothing here touches the database."""

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ontzorg.participants.validators import normalise_bsn, validate_bsn

from .constants import EXTERNAL_KINDS, SignalKind

POSTCODE = re.compile(r"^([1-9][0-9]{3})\s*([A-Z]{2})$")
MAX_MONTHS_IN_ARREARS = 120
# Above this a typo (cents entered as euros) is more likely than a real arrear.
MAX_AMOUNT_CENTS = 10_000_000


class ReportInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class Report:
    kind: str
    reported_on: date
    bsn: str = ""
    postcode: str = ""
    house_number: str = ""
    date_of_birth: date | None = None
    name: str = ""
    amount_cents: int | None = None
    months_in_arrears: int | None = None
    reference: str = ""
    note: str = ""

    @property
    def person_key(self) -> str:
        """Who the report is about, the same however the creditor spelled the address."""
        if self.bsn:
            return f"bsn:{self.bsn}"
        return f"adres:{self.postcode}|{self.house_number}|{self.date_of_birth.isoformat()}"

    def fingerprint(self, reporter: str) -> str:
        """The idempotency key: the same report from the same reporter twice is one signal."""
        parts = [
            reporter,
            self.person_key,
            self.kind,
            self.reported_on.isoformat(),
            "" if self.amount_cents is None else str(self.amount_cents),
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def normalise_postcode(value: str) -> str:
    """'2711ab', '2711 AB' and ' 2711  ab ' are all '2711 AB'; anything else is ''."""
    match = POSTCODE.match(" ".join(str(value).split()).upper())
    return f"{match[1]} {match[2]}" if match else ""


def normalise_house_number(value: str) -> str:
    """'12 a', '12-A' and '12A' are one address: upper case, no spaces or hyphens."""
    return re.sub(r"[\s\-]", "", str(value)).upper()


def parse_date(value) -> date:
    """ISO dates (2025-03-01) and the Dutch spreadsheet form (01-03-2025 or 1-3-2025)."""
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_euros(value) -> int:
    """'1234,56', '1234.56', '1.234,56' and '€ 80' in whole cents; more decimals are refused."""
    text = str(value).replace("€", "").replace(" ", "").strip()
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None
    cents = amount * 100
    if not amount.is_finite() or cents != cents.to_integral_value():
        raise ValueError(value)
    return int(cents)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _whole_number(value) -> int:
    """A non-negative whole number, given as a JSON integer or as digits."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        if value < 0:
            raise ValueError(value)
        return value
    text = str(value).strip()
    if not text.isdigit():
        raise ValueError(value)
    return int(text)


def clean_report(values: dict, *, today: date, amount_in_cents: bool) -> Report:
    """Check every field and return the report; all problems at once in `ReportInvalid`.

    `values` uses the names of the CSV layout and the API: bsn, postcode, huisnummer,
    geboortedatum, naam, soort, bedrag (euros, CSV) or bedrag_cent (API),
    maanden_achterstand, gemeld_op, referentie, toelichting."""
    errors: dict[str, list[str]] = {}

    def error(field, message):
        errors.setdefault(field, []).append(message)

    def text(field, limit):
        value = values.get(field)
        if _blank(value):
            return ""
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            error(field, _("Give this field as text."))
            return ""
        value = " ".join(str(value).split())
        if len(value) > limit:
            error(field, _("At most %(limit)s characters.") % {"limit": limit})
        return value

    kind = text("soort", 40).lower()
    if not kind:
        error("soort", _("Required field."))
    elif kind not in EXTERNAL_KINDS:
        allowed = ", ".join(EXTERNAL_KINDS)
        error(
            "soort",
            _("Unknown kind '%(kind)s'; choose from %(allowed)s.")
            % {"kind": kind, "allowed": allowed},
        )

    reported_on = None
    if _blank(values.get("gemeld_op")):
        error("gemeld_op", _("Required field."))
    else:
        try:
            reported_on = parse_date(values["gemeld_op"])
        except ValueError:
            error("gemeld_op", _("Not a valid date; use YYYY-MM-DD or DD-MM-YYYY."))
        else:
            if reported_on > today:
                error("gemeld_op", _("The report date is in the future."))

    bsn = text("bsn", 11)
    if bsn:
        bsn = normalise_bsn(bsn)
        try:
            validate_bsn(bsn)
        except ValidationError as exc:
            error("bsn", " ".join(exc.messages))
            bsn = ""

    raw_postcode = text("postcode", 10)
    postcode = normalise_postcode(raw_postcode)
    if raw_postcode and not postcode:
        error(
            "postcode",
            _("'%(postcode)s' is not a Dutch postcode (like 2711 AB).")
            % {"postcode": raw_postcode},
        )
    house_number = normalise_house_number(text("huisnummer", 12))
    date_of_birth = None
    if not _blank(values.get("geboortedatum")):
        try:
            date_of_birth = parse_date(values["geboortedatum"])
        except ValueError:
            error("geboortedatum", _("Not a valid date; use YYYY-MM-DD or DD-MM-YYYY."))
        else:
            if date_of_birth > today:
                error("geboortedatum", _("The date of birth is in the future."))
    address_complete = bool(postcode and house_number and date_of_birth)
    if (
        not values.get("bsn")
        and not address_complete
        and not errors.keys()
        & {
            "postcode",
            "geboortedatum",
        }
    ):
        error(
            "bsn",
            _(
                "Give a BSN, or postcode, house number and date of birth together, so "
                "that the person can be found."
            ),
        )

    amount_field = "bedrag_cent" if amount_in_cents else "bedrag"
    amount_cents = None
    if not _blank(values.get(amount_field)):
        try:
            amount_cents = (
                _whole_number(values[amount_field])
                if amount_in_cents
                else parse_euros(values[amount_field])
            )
        except ValueError:
            error(
                amount_field,
                _("Give the amount in whole cents.")
                if amount_in_cents
                else _("Not a valid amount; use for example 1234,56."),
            )
        else:
            if amount_cents <= 0:
                error(amount_field, _("The amount must be more than zero."))
            elif amount_cents > MAX_AMOUNT_CENTS:
                error(amount_field, _("The amount is improbably high; check it."))
    elif kind == SignalKind.ARREARS:
        error(amount_field, _("Required for payment arrears."))

    months = None
    if not _blank(values.get("maanden_achterstand")):
        try:
            months = _whole_number(values["maanden_achterstand"])
        except ValueError:
            error("maanden_achterstand", _("Give a whole number of months."))
        else:
            if months > MAX_MONTHS_IN_ARREARS:
                error(
                    "maanden_achterstand",
                    _("At most %(months)s months.") % {"months": MAX_MONTHS_IN_ARREARS},
                )

    name = text("naam", 160)
    reference = text("referentie", 80)
    note = text("toelichting", 1000)
    if errors:
        raise ReportInvalid(errors)
    return Report(
        kind=kind,
        reported_on=reported_on,
        bsn=bsn,
        postcode=postcode,
        house_number=house_number,
        date_of_birth=date_of_birth,
        name=name,
        amount_cents=amount_cents,
        months_in_arrears=months,
        reference=reference,
        note=note,
    )
