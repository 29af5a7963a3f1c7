"""`{% inventory_after_measurement participant %}`: on the measurements page, the step that
offers to record the debts again as of the latest measurement, so that the debt amounts
follow the measurements (the evaluation compares the debt at the start with the debt now)."""

from django import template

from ontzorg.inventory import services
from ontzorg.inventory.models import DebtAmount

register = template.Library()


@register.inclusion_tag("inventory/_after_measurement.html", takes_context=True)
def inventory_after_measurement(context, participant):
    user = context["request"].user
    if not services.may_record_debts(user):
        return {"show": False}
    measurement = participant.measurements.order_by("-measured_on", "-created_at").first()
    amounts = DebtAmount.objects.filter(debt__participant=participant)
    has_debts = participant.debts.exists()
    updated = measurement is not None and (
        amounts.filter(measurement=measurement).exists()
        or amounts.filter(known_on=measurement.measured_on).exists()
    )
    return {
        "show": True,
        "participant": participant,
        "measurement": measurement,
        "has_debts": has_debts,
        "updated": updated,
        "last_on": amounts.order_by("-known_on").values_list("known_on", flat=True).first(),
    }
