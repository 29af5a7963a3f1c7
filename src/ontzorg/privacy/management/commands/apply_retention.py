"""Apply the retention terms (run daily): anonymise, delete old files and signals, purge the
audit trail. Idempotent: a second run the same day changes nothing (see privacy.retention)."""

from django.core.management.base import BaseCommand

from ontzorg.audit.services import record
from ontzorg.privacy import events, retention


class Command(BaseCommand):
    help = (
        "Past de bewaartermijnen toe: anonimiseert deelnemers, verwijdert oude bestanden en "
        "signalen en schoont de audittrail op."
    )

    def handle(self, *args, **options):
        try:
            report = retention.apply()
        except retention.AlreadyRunning:
            # Not an error: the run that holds the lock does the work.
            record(None, events.RETENTION_SKIPPED, None, object_type="privacy.retention")
            self.stdout.write(
                "Er loopt al een run van apply_retention; deze stopt (already running)."
            )
            return
        counts = report.counts()
        self.stdout.write(
            f"{counts['participants']} deelnemers geanonimiseerd, "
            f"{counts['signals']} signalen verwijderd, {counts['files']} bestanden verwijderd, "
            f"{counts['audit_entries']} auditregels opgeschoond."
        )
        if counts["failed"]:
            self.stderr.write(
                f"{counts['failed']} deelnemers konden niet worden geanonimiseerd "
                f"(ids {', '.join(map(str, report.failed_ids))}); zie de audittrail."
            )
