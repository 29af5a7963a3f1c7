"""Audit events of payment runs (see ``ontzorg.audit.events``)."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

RUN_STARTED = Event("payment_run.started", Action.CREATE, _("payment run %(label)s started"))
RUN_RESUMED = Event("payment_run.resumed", Action.UPDATE, _("computation of %(run)s resumed"))
RUN_APPROVED = Event("payment_run.approved", Action.DECISION, _("%(run)s approved"))
RUN_CANCELLED = Event("payment_run.cancelled", Action.UPDATE, _("%(run)s cancelled"))
RUN_EXPORTED = Event("payment_run.exported", Action.EXPORT, _("pain.001 of %(run)s created"))
RUN_REEXPORTED = Event(
    "payment_run.reexported", Action.EXPORT, _("pain.001 of %(run)s created again")
)
RUN_BOOKED = Event("payment_run.booked", Action.UPDATE, _("%(run)s booked"))
FILE_DOWNLOADED = Event(
    "payment_run.file_downloaded", Action.EXPORT, _("pain.001 %(message_id)s downloaded")
)
HELD_BACK_RECHECKED = Event(
    "payment_run.held_back_rechecked",
    Action.UPDATE,
    _("held-back payments of %(run)s checked again: %(paid)s paid, %(held)s still held back"),
)
DEBTOR_ACCOUNT_CHANGED = Event(
    "debtor_account.changed", Action.UPDATE, _("paying account of %(region)s changed")
)
INSTRUCTIONS_VIEWED = Event(
    "payment_run.instructions_viewed",
    Action.VIEW,
    _("payments of %(run)s viewed with IBAN (%(count)s shown, search: %(search)s)"),
)
CHANGES_VIEWED = Event(
    "payment_run.changes_viewed",
    Action.VIEW,
    _("changes of %(run)s viewed with IBAN (%(count)s shown)"),
)
