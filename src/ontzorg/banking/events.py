"""The audit events of the banking app: imports, decisions in the work queue, re-payments."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

UPLOAD_RECEIVED = Event(
    "bank.upload_received", Action.CREATE, _("Bankafschrift %(file_name)s ontvangen")
)
IMPORT_BOOKED = Event(
    "bank.import_booked",
    Action.CREATE,
    _("Bankafschrift %(file_name)s ingelezen: %(new)s nieuw, %(duplicates)s dubbel"),
)
IMPORT_REFUSED = Event(
    "bank.import_refused", Action.CREATE, _("Bankafschrift %(file_name)s geweigerd")
)
IMPORT_RESUMED = Event(
    "bank.import_resumed",
    Action.UPDATE,
    _("Import van bankafschrift %(file_name)s hervat na %(done)s verwerkte posten"),
)
ENTRY_VIEWED = Event("bank.entry_viewed", Action.VIEW, _("bankpost %(entry)s bekeken"))
ENTRY_TO_PARTICIPANT = Event(
    "bank.entry_to_participant",
    Action.DECISION,
    _("Bankpost %(entry)s (%(amount)s) handmatig gekoppeld aan deelnemer %(participant_pk)s"),
)
ENTRY_TO_PAYMENT = Event(
    "bank.entry_to_payment",
    Action.DECISION,
    _("Bankpost %(entry)s handmatig gekoppeld als bevestiging van betaling %(end_to_end_id)s"),
)
ENTRY_TO_RETURN = Event(
    "bank.entry_to_return",
    Action.DECISION,
    _("Bankpost %(entry)s handmatig gekoppeld als terugboeking van betaling %(end_to_end_id)s"),
)
ENTRY_IGNORED = Event(
    "bank.entry_ignored", Action.DECISION, _("Bankpost %(entry)s afgehandeld zonder deelnemer")
)
PAYMENT_RETRIED = Event(
    "bank.payment_retried",
    Action.DECISION,
    _("Teruggeboekte betaling %(end_to_end_id)s opnieuw betaald als %(repay_end_to_end_id)s"),
)
REPAY_FILE_DOWNLOADED = Event(
    "bank.repay_file_downloaded",
    Action.EXPORT,
    _("pain.001 herbetaling %(repay_end_to_end_id)s gedownload"),
)
