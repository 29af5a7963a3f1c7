"""Storing pain.001 files: the one writer for payment runs and repayments alike.

Every payment's requested execution date is moved onto the bank calendar here
(``execution_on``: a TARGET2 business day, never before the day the file is made, and after
the cut-off not that day either), so no file leaves with a weekend, a holiday or a past date.
A file is written to a temporary file (``pain001.write``), checked against the XSD of its
version, and stored as ``pain001/<region>/<message id>.xml``. Writing the same message id
again replaces the stored file, so a retried export leaves one file, not two."""

import dataclasses
import hashlib
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.core import bankdays
from ontzorg.exceptions import Refused

from . import pain001


@dataclass(frozen=True)
class StoredFile:
    """Where a pain.001 file was stored, what it holds and its SHA-256."""

    name: str
    summary: pain001.Summary
    sha256: str


def execution_on(requested: date, made_at: datetime) -> date:
    """The date the bank executes a payment asked for on `requested` in a file made at
    `made_at`; for transfers between Dutch banks, also the date the money arrives."""
    return bankdays.execution_date(
        requested,
        now=timezone.localtime(made_at),
        cutoff=time.fromisoformat(settings.ONTZORG_PAYMENT_CUTOFF),
    )


def on_bank_calendar(payments: list[pain001.Payment], made_at: datetime) -> list[pain001.Payment]:
    """The payments with their execution dates moved by ``execution_on``; a value that is not a
    date is left for the writer to refuse."""
    moved: dict[date, date] = {}
    result = []
    for payment in payments:
        if type(payment.execution_on) is not date:
            result.append(payment)
            continue
        if payment.execution_on not in moved:
            moved[payment.execution_on] = execution_on(payment.execution_on, made_at)
        day = moved[payment.execution_on]
        result.append(
            payment
            if day == payment.execution_on
            else dataclasses.replace(payment, execution_on=day)
        )
    return result


def write_pain001(
    region_slug: str,
    *,
    message_id: str,
    created_at: datetime,
    debtor: pain001.Debtor,
    payments: list[pain001.Payment],
    version: str,
) -> StoredFile:
    """Write, validate and store one pain.001 message, dated on the bank calendar as of
    `created_at`; Refused if the data cannot be paid."""
    with tempfile.TemporaryFile() as out:
        try:
            summary = pain001.write(
                out,
                message_id=message_id,
                created_at=created_at,
                debtor=debtor,
                payments=on_bank_calendar(payments, created_at),
                version=version,
            )
        except (pain001.InvalidPayment, pain001.InvalidDebtor) as exc:
            raise Refused(
                _("The payment file cannot be created. %(problem)s") % {"problem": exc}
            ) from exc
        out.seek(0)
        pain001.validate(out, version)
        out.seek(0)
        digest = hashlib.file_digest(out, "sha256").hexdigest()
        out.seek(0)
        name = f"pain001/{region_slug}/{message_id}.xml"
        if default_storage.exists(name):
            default_storage.delete(name)
        stored = default_storage.save(name, File(out))
    return StoredFile(stored, summary, digest)
