"""The audit events of the banking app: imports, decisions in the work queue, re-payments."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

UPLOAD_RECEIVED = Event(
    "bank.upload_received", Action.CREATE, _("Bank statement %(file_name)s received")
)
IMPORT_BOOKED = Event(
    "bank.import_booked",
    Action.CREATE,
    _("Bank statement %(file_name)s imported: %(new)s new, %(duplicates)s duplicate"),
)
IMPORT_REFUSED = Event(
    "bank.import_refused", Action.CREATE, _("Bank statement %(file_name)s refused")
)
IMPORT_RESUMED = Event(
    "bank.import_resumed",
    Action.UPDATE,
    _("Import of bank statement %(file_name)s resumed after %(done)s processed entries"),
)
ENTRY_VIEWED = Event("bank.entry_viewed", Action.VIEW, _("bank entry %(entry)s viewed"))
QUEUE_SEARCHED = Event(
    "bank.queue_searched", Action.VIEW, _("work queue of bank entries searched for %(search)s")
)
ENTRY_TO_PARTICIPANT = Event(
    "bank.entry_to_participant",
    Action.DECISION,
    _("Bank entry %(entry)s (%(amount)s) matched by hand to participant %(participant_pk)s"),
)
ENTRY_TO_PAYMENT = Event(
    "bank.entry_to_payment",
    Action.DECISION,
    _("Bank entry %(entry)s matched by hand as confirmation of payment %(end_to_end_id)s"),
)
ENTRY_TO_RETURN = Event(
    "bank.entry_to_return",
    Action.DECISION,
    _("Bank entry %(entry)s matched by hand as return of payment %(end_to_end_id)s"),
)
ENTRY_IGNORED = Event(
    "bank.entry_ignored",
    Action.DECISION,
    _("Bank entry %(entry)s dealt with without a participant"),
)
PAYMENT_RETRIED = Event(
    "bank.payment_retried",
    Action.DECISION,
    _("Returned payment %(end_to_end_id)s paid again as %(repay_end_to_end_id)s"),
)
REPAY_FILE_DOWNLOADED = Event(
    "bank.repay_file_downloaded",
    Action.EXPORT,
    _("pain.001 re-payment %(repay_end_to_end_id)s downloaded"),
)
