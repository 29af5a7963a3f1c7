"""Audit events of retention and inzage (see ``ontzorg.audit.events``). No event carries a
name or another personal detail: they outlive the data they are about."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

RETENTION_APPLIED = Event(
    "privacy.retention_applied",
    Action.UPDATE,
    _(
        "bewaartermijnen toegepast: %(participants)s deelnemers geanonimiseerd, "
        "%(signals)s signalen verwijderd, %(files)s bestanden verwijderd, "
        "%(audit_entries)s auditregels opgeschoond, %(failed)s deelnemers mislukt"
    ),
)
# One participant whose anonymisation failed: the rest of the run went on; the next run
# tries again. Only the kind of error is kept (a message may quote data).
ANONYMISATION_FAILED = Event(
    "privacy.anonymisation_failed",
    Action.UPDATE,
    _("anonimiseren van deelnemer mislukt (%(error)s); de volgende run probeert het opnieuw"),
)
# A second `apply_retention` while one is running: it stops at once and changes nothing.
RETENTION_SKIPPED = Event(
    "privacy.retention_skipped",
    Action.UPDATE,
    _("bewaartermijnen niet toegepast: er liep al een run"),
)
PARTICIPANT_ANONYMISED = Event(
    "privacy.participant_anonymised",
    Action.UPDATE,
    _("deelnemer geanonimiseerd (bewaartermijn %(term)s verlopen)"),
)
INZAGE_PRODUCED = Event(
    "privacy.inzage_produced", Action.EXPORT, _("inzage (AVG art. 15) gemaakt als %(form)s")
)
