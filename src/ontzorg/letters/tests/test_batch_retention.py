"""A region's zip of overview PDFs is personal data: privacy retention erases it
``ONTZORG_RETENTION_FILE_DAYS`` after it was made, and keeps the batch row."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from ontzorg.letters.batch import FOLDER
from ontzorg.letters.models import PdfBatch
from ontzorg.privacy import retention


@pytest.mark.django_db
def test_retention_erases_the_zip_after_the_file_days(region, klantmanager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    made = PdfBatch.objects.create(region=region, month=date(2026, 2, 1), requested_by=klantmanager)
    name = default_storage.save(f"{FOLDER}test.zip", ContentFile(b"PK"))
    now = timezone.now()
    days = settings.ONTZORG_RETENTION_FILE_DAYS
    PdfBatch.objects.filter(pk=made.pk).update(
        stored_file=name, status=PdfBatch.DONE, requested_at=now - timedelta(days=days - 1)
    )
    assert retention.erase_files(now) == 0
    assert default_storage.exists(name)

    PdfBatch.objects.filter(pk=made.pk).update(requested_at=now - timedelta(days=days + 1))
    assert retention.erase_files(now) == 1
    assert not default_storage.exists(name)
    made.refresh_from_db()
    assert made.stored_file == ""
    assert retention.erase_files(now) == 0
