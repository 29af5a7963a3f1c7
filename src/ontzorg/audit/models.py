"""The audit table. Rows are only ever inserted: the model refuses updates and deletes,
and database triggers (migration 0002) refuse them too, on SQLite and PostgreSQL."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import Action


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def for_participant(self, participant):
        return self.filter(participant_id=participant.pk).order_by("-at", "-pk")

    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    actor_name = models.CharField(_("naam"), max_length=150, blank=True)
    action = models.CharField(_("actie"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("soort gegeven"), max_length=80)
    object_id = models.CharField(_("id"), max_length=40, blank=True)
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("deelnemer"),
    )
    summary = models.CharField(_("omschrijving"), max_length=255)
    changes = models.JSONField(_("wijzigingen"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("audittrail")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["participant", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")
