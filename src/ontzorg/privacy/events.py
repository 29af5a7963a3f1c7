"""Audit events of retention and inzage (see ``ontzorg.audit.events``). No event carries a
name or another personal detail: they outlive the data they are about."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

RETENTION_APPLIED = Event(
    "privacy.retention_applied",
    Action.UPDATE,
    _(
        "retention applied: %(participants)s participants anonymised, "
        "%(signals)s signals deleted, %(files)s files deleted, "
        "%(audit_entries)s audit entries purged, %(failed)s participants failed"
    ),
)
# One participant whose anonymisation failed: the rest of the run went on; the next run
# tries again. Only the kind of error is kept (a message may quote data).
ANONYMISATION_FAILED = Event(
    "privacy.anonymisation_failed",
    Action.UPDATE,
    _("anonymising the participant failed (%(error)s); the next run tries again"),
)
# A second `apply_retention` while one is running: it stops at once and changes nothing.
RETENTION_SKIPPED = Event(
    "privacy.retention_skipped",
    Action.UPDATE,
    _("retention not applied: a run was already going"),
)
PARTICIPANT_ANONYMISED = Event(
    "privacy.participant_anonymised",
    Action.UPDATE,
    _("participant anonymised (retention term %(term)s over)"),
)
INZAGE_PRODUCED = Event(
    "privacy.inzage_produced", Action.EXPORT, _("inzage (GDPR art. 15) made as %(form)s")
)
