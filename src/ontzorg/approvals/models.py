"""A proposal: one money decision waiting for a second pair of eyes.

The change itself is in `payload` (JSON) and is carried out by the action registered for
`kind` (``ontzorg.approvals.proposals``) when someone else approves it. The database refuses a
proposal decided by its own proposer, whatever path the write takes."""

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ontzorg.core.access import ScopedQuerySet, ScopePath

from .constants import PROPOSAL_RIGHTS, ProposalStatus


class ProposalQuerySet(ScopedQuerySet):
    def pending(self):
        return self.filter(status=ProposalStatus.PENDING)

    def for_target(self, obj):
        return self.filter(target_label=obj._meta.label_lower, target_id=obj.pk)


class Proposal(models.Model):
    region = models.ForeignKey(
        "regelingen.Region",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("region"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("participant"),
    )
    period = models.DateField(
        _("month"), null=True, blank=True, help_text=_("The first day of the month.")
    )
    kind = models.CharField(_("kind"), max_length=40)
    payload = models.JSONField(_("data"), default=dict, encoder=DjangoJSONEncoder)
    summary = models.CharField(_("summary"), max_length=255)
    amount_cents = models.BigIntegerField(_("amount (cents)"), null=True, blank=True)
    target_label = models.CharField(_("object kind"), max_length=60, blank=True)
    target_id = models.BigIntegerField(_("object"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PENDING,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    scope_path = ScopePath(
        region="region",
        organisation="participant__guidance_organisation",
        municipality="participant__household__municipality",
        rights=PROPOSAL_RIGHTS,
        participant="participant",
    )
    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["region", "period", "status"]),
            models.Index(fields=["target_label", "target_id", "status"]),
        ]
        constraints = [
            # Four eyes: the one who decides is never the one who proposed.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="proposal_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(period__isnull=True) | Q(period__day=1),
                name="proposal_period_first",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[ProposalStatus.APPROVED, ProposalStatus.REJECTED],
                    decided_by__isnull=False,
                    decided_at__isnull=False,
                )
                | Q(status=ProposalStatus.PENDING, decided_by__isnull=True)
                | Q(status=ProposalStatus.WITHDRAWN, decided_by__isnull=True),
                name="proposal_decision_fields",
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.summary}"

    @property
    def label(self) -> str:
        from .proposals import registry

        action = registry.get(self.kind)
        return str(action.label) if action else self.kind

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING

    def target(self):
        """The object the proposal is about, or None (gone, or none named)."""
        if not self.target_label or self.target_id is None:
            return None
        model = apps.get_model(self.target_label)
        return model._default_manager.filter(pk=self.target_id).first()
