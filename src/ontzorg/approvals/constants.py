"""Statuses of a proposal and the rights that work with proposals."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("awaiting approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


# Who sees proposals at all (each within their own scope); only `approves_payments` decides.
PROPOSAL_RIGHTS = ("prepares_payments", "approves_payments", "edits_participants")
APPROVE_RIGHT = "approves_payments"
