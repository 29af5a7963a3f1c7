"""The audit table. Rows are only ever inserted (`AppendOnlyModel`), and database triggers
(migration 0002, `AppendOnly`) refuse updates and deletes on SQLite and PostgreSQL too."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ontzorg.core.appendonly import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet

from . import events
from .constants import Action

__all__ = ["AppendOnlyError", "AuditEntry"]


class AuditEntryQuerySet(AppendOnlyQuerySet):
    def for_participant(self, participant):
        return self.filter(participant_id=participant.pk).order_by("-at", "-pk")


class AuditEntry(AppendOnlyModel):
    at = models.DateTimeField(_("timestamp"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_name = models.CharField(_("name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("id"), max_length=40, blank=True)
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("participant"),
    )
    summary = models.CharField(_("description"), max_length=255)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    event = models.CharField(_("event"), max_length=60, null=True, blank=True, db_index=True)
    params = models.JSONField(_("data"), null=True, blank=True)
    request_id = models.CharField(_("request"), max_length=64, null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["participant", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"

    @property
    def text(self) -> str:
        """What happened, in Dutch: the event's text, rendered now from its parameters."""
        if self.event:
            return events.render(self.event, self.params, self.summary)
        return self.summary
