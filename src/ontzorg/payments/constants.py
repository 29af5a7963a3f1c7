"""Statuses of a payment run and kinds of payment instruction."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    PREPARING = "preparing", _("being computed")
    DRAFT = "draft", _("draft, to be checked")
    APPROVED = "approved", _("approved")
    EXPORTED = "exported", _("exported")
    BOOKED = "booked", _("booked")
    CANCELLED = "cancelled", _("cancelled")


class InstructionKind(models.TextChoices):
    CREDITOR = "creditor", _("fixed cost")
    PREPAYMENT = "prepayment", _("fixed cost paid ahead")
    GIFT = "gift", _("fixed cost from special assistance")
    ALLOWANCE = "allowance", _("living allowance")
    SAVINGS = "savings", _("pot")
    ONE_OFF = "one_off", _("one-off payment")
    POT_PAYOUT = "pot_payout", _("payout from savings pot")


CREDITOR_KINDS = (InstructionKind.CREDITOR, InstructionKind.PREPAYMENT, InstructionKind.GIFT)
# Approved one-off payments and payouts from pots, to a creditor or the participant; paid out
# of money held for the participant, not out of the month's income (``payments.extras``).
EXTRA_KINDS = (InstructionKind.ONE_OFF, InstructionKind.POT_PAYOUT)
# Savings stay on the municipality's account, reserved for the participant: not in the file.
PAID_KINDS = (*CREDITOR_KINDS, InstructionKind.ALLOWANCE, *EXTRA_KINDS)


class PainVersion(models.TextChoices):
    V09 = "09", _("pain.001.001.09 (structured address)")
    V03 = "03", _("pain.001.001.03")
