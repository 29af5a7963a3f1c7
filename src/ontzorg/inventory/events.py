"""Audit events of the intake inventory."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

DEBT_RECORDED = Event(
    "inventory.debt_recorded", Action.CREATE, _("debt recorded: %(debt)s, %(amount)s")
)
DEBT_AMOUNT_RECORDED = Event(
    "inventory.debt_amount_recorded", Action.CREATE, _("debt amount: %(debt)s, %(amount)s")
)
ASSET_RECORDED = Event(
    "inventory.asset_recorded", Action.CREATE, _("asset recorded: %(asset)s, %(amount)s")
)
ASSET_VALUE_RECORDED = Event(
    "inventory.asset_value_recorded", Action.CREATE, _("asset value: %(asset)s, %(amount)s")
)
INTEGRATION_RECORDED = Event(
    "inventory.integration_recorded",
    Action.CREATE,
    _("duaal-traject facts recorded as of %(day)s"),
)
