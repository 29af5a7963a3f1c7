"""Audit events of payment runs (see ``ontzorg.audit.events``)."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

RUN_STARTED = Event("payment_run.started", Action.CREATE, _("betaalrun %(label)s gestart"))
RUN_RESUMED = Event("payment_run.resumed", Action.UPDATE, _("berekening %(run)s hervat"))
RUN_APPROVED = Event("payment_run.approved", Action.DECISION, _("%(run)s goedgekeurd"))
RUN_CANCELLED = Event("payment_run.cancelled", Action.UPDATE, _("%(run)s geannuleerd"))
RUN_EXPORTED = Event("payment_run.exported", Action.EXPORT, _("pain.001 van %(run)s gemaakt"))
RUN_REEXPORTED = Event(
    "payment_run.reexported", Action.EXPORT, _("pain.001 van %(run)s opnieuw gemaakt")
)
RUN_BOOKED = Event("payment_run.booked", Action.UPDATE, _("%(run)s geboekt"))
FILE_DOWNLOADED = Event(
    "payment_run.file_downloaded", Action.EXPORT, _("pain.001 %(message_id)s gedownload")
)
HELD_BACK_RECHECKED = Event(
    "payment_run.held_back_rechecked",
    Action.UPDATE,
    _(
        "tegengehouden betalingen van %(run)s opnieuw gecontroleerd: %(paid)s betaald, "
        "%(held)s nog tegengehouden"
    ),
)
DEBTOR_ACCOUNT_CHANGED = Event(
    "debtor_account.changed", Action.UPDATE, _("betaalrekening van %(region)s gewijzigd")
)
INSTRUCTIONS_VIEWED = Event(
    "payment_run.instructions_viewed",
    Action.VIEW,
    _("betalingen van %(run)s met IBAN bekeken (%(count)s getoond, zoekopdracht: %(search)s)"),
)
CHANGES_VIEWED = Event(
    "payment_run.changes_viewed",
    Action.VIEW,
    _("wijzigingen van %(run)s met IBAN bekeken (%(count)s getoond)"),
)
