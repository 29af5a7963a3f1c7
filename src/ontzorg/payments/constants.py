"""Statuses of a payment run and kinds of payment instruction."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    PREPARING = "preparing", _("wordt berekend")
    DRAFT = "draft", _("concept, te controleren")
    APPROVED = "approved", _("goedgekeurd")
    EXPORTED = "exported", _("geëxporteerd")
    BOOKED = "booked", _("geboekt")
    CANCELLED = "cancelled", _("geannuleerd")


class InstructionKind(models.TextChoices):
    CREDITOR = "creditor", _("vaste last")
    PREPAYMENT = "prepayment", _("vooruitbetaling vaste last")
    GIFT = "gift", _("vaste last uit bijzondere bijstand")
    ALLOWANCE = "allowance", _("leefgeld")
    SAVINGS = "savings", _("spaarpot")
    ONE_OFF = "one_off", _("eenmalige betaling")
    POT_PAYOUT = "pot_payout", _("uitbetaling uit spaarpot")


CREDITOR_KINDS = (InstructionKind.CREDITOR, InstructionKind.PREPAYMENT, InstructionKind.GIFT)
# Approved one-off payments and payouts from pots, to a creditor or the participant; paid out
# of money held for the participant, not out of the month's income (``payments.extras``).
EXTRA_KINDS = (InstructionKind.ONE_OFF, InstructionKind.POT_PAYOUT)
# Savings stay on the municipality's account, reserved for the participant: not in the file.
PAID_KINDS = (*CREDITOR_KINDS, InstructionKind.ALLOWANCE, *EXTRA_KINDS)


class PainVersion(models.TextChoices):
    V09 = "09", _("pain.001.001.09 (gestructureerd adres)")
    V03 = "03", _("pain.001.001.03")
