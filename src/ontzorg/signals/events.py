"""The audit events of the signals app: intake, looking at the queue, matching, API clients."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

API_CLIENT_CREATED = Event(
    "signal.api_client_created", Action.CREATE, _("API client %(name)s created")
)
API_TOKEN_ROTATED = Event(
    "signal.api_token_rotated", Action.UPDATE, _("new token for API client %(name)s")
)
API_TOKEN_REFUSED = Event(
    "signal.api_token_refused",
    Action.LOGIN_FAILED,
    _("API request refused: %(reason)s (token mark %(token_mark)s)"),
)
RECEIVED_API = Event(
    "signal.received_api", Action.CREATE, _("signal through the API from %(creditor)s, %(routed)s")
)
RECEIVED_CSV = Event(
    "signal.received_csv",
    Action.CREATE,
    _("signal from %(creditor)s imported from CSV, %(routed)s"),
)
CSV_RECEIVED = Event(
    "signal.csv_received",
    Action.CREATE,
    _("CSV with %(rows)s signals from %(creditor)s received"),
)
CSV_RESUMED = Event(
    "signal.csv_resumed",
    Action.UPDATE,
    _("import of CSV from %(creditor)s resumed after %(done)s signals"),
)
RAISED_INTERNAL = Event("signal.raised_internal", Action.CREATE, _("internal signal, %(routed)s"))
QUEUE_VIEWED = Event("signal.queue_viewed", Action.VIEW, _("queued signal viewed"))
MATCHED_BY_HAND = Event("signal.matched_by_hand", Action.UPDATE, _("signal matched by hand"))
MATCHED_BY_HAND_NOTE = Event(
    "signal.matched_by_hand_note", Action.UPDATE, _("signal matched by hand: %(note)s")
)
# The arrears list per creditor (signals.arrears): one entry per participant on it.
ARREARS_LIST_VIEWED = Event(
    "signal.arrears_list_viewed",
    Action.VIEW,
    _("arrears list of %(creditor)s for %(month)s viewed"),
)
ARREARS_LIST_EXPORTED = Event(
    "signal.arrears_list_exported",
    Action.EXPORT,
    _("arrears list of %(creditor)s for %(month)s downloaded"),
)
