"""Storing pain.001 files: the one writer for payment runs and repayments alike.

A file is written to a temporary file (``pain001.write``), checked against the XSD of its
version, and stored as ``pain001/<region>/<message id>.xml``. Writing the same message id
again replaces the stored file, so a retried export leaves one file, not two."""

import hashlib
import tempfile
from dataclasses import dataclass
from datetime import datetime

from django.core.files import File
from django.core.files.storage import default_storage

from ontzorg.exceptions import Refused

from . import pain001


@dataclass(frozen=True)
class StoredFile:
    """Where a pain.001 file was stored, what it holds and its SHA-256."""

    name: str
    summary: pain001.Summary
    sha256: str


def write_pain001(
    region_slug: str,
    *,
    message_id: str,
    created_at: datetime,
    debtor: pain001.Debtor,
    payments: list[pain001.Payment],
    version: str,
) -> StoredFile:
    """Write, validate and store one pain.001 message; Refused if the data cannot be paid."""
    with tempfile.TemporaryFile() as out:
        try:
            summary = pain001.write(
                out,
                message_id=message_id,
                created_at=created_at,
                debtor=debtor,
                payments=payments,
                version=version,
            )
        except (pain001.InvalidPayment, pain001.InvalidDebtor) as exc:
            raise Refused(f"Het betaalbestand kan niet worden gemaakt. {exc}") from exc
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
