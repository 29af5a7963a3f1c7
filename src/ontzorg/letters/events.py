"""Audit events of participant letters (see ``ontzorg.audit.events``)."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

PDF_BATCH_STARTED = Event(
    "letters.pdf_batch_started",
    Action.EXPORT,
    _("PDFs of the month overviews of %(batch)s started"),
)
PDF_BATCH_DOWNLOADED = Event(
    "letters.pdf_batch_downloaded",
    Action.EXPORT,
    _("PDFs of the month overviews of %(batch)s downloaded"),
)
