"""The audit events of the signals app: intake, looking at the queue, matching, API clients."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

API_CLIENT_CREATED = Event(
    "signal.api_client_created", Action.CREATE, _("API-koppeling %(name)s aangemaakt")
)
API_TOKEN_ROTATED = Event(
    "signal.api_token_rotated", Action.UPDATE, _("nieuw token voor API-koppeling %(name)s")
)
API_TOKEN_REFUSED = Event(
    "signal.api_token_refused",
    Action.LOGIN_FAILED,
    _("API-verzoek geweigerd: %(reason)s (kenmerk token %(token_mark)s)"),
)
RECEIVED_API = Event(
    "signal.received_api", Action.CREATE, _("signaal via API van %(creditor)s, %(routed)s")
)
RECEIVED_CSV = Event(
    "signal.received_csv",
    Action.CREATE,
    _("signaal van %(creditor)s ingelezen uit CSV, %(routed)s"),
)
CSV_RECEIVED = Event(
    "signal.csv_received",
    Action.CREATE,
    _("CSV met %(rows)s signalen van %(creditor)s ontvangen"),
)
CSV_RESUMED = Event(
    "signal.csv_resumed",
    Action.UPDATE,
    _("inlezen van CSV van %(creditor)s hervat na %(done)s signalen"),
)
RAISED_INTERNAL = Event("signal.raised_internal", Action.CREATE, _("intern signaal, %(routed)s"))
QUEUE_VIEWED = Event("signal.queue_viewed", Action.VIEW, _("signaal in de wachtrij bekeken"))
MATCHED_BY_HAND = Event("signal.matched_by_hand", Action.UPDATE, _("signaal handmatig gekoppeld"))
MATCHED_BY_HAND_NOTE = Event(
    "signal.matched_by_hand_note", Action.UPDATE, _("signaal handmatig gekoppeld: %(note)s")
)
