"""Records of what retention did: who was anonymised, which files were deleted and which
audit entries were purged. All three are append-only (``core.appendonly``): the record of an
erasure is itself never erased or rewritten.

`PurgeLease` is the one exception path through the audit trail's append-only guard: the
database trigger on the audit table lets a DELETE through only while a lease row exists whose
`AuditPurge` covers the row (``at`` before the purge's cutoff). The purge inserts its record
and the lease, deletes, and removes the lease in one transaction, so no other connection ever
sees a lease, and a deletion without a record of it is refused by the database."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ontzorg.core.appendonly import AppendOnlyModel, AppendOnlyQuerySet

from .constants import Term


class Anonymisation(AppendOnlyModel):
    """A participant whose personal data were replaced by neutral values."""

    participant = models.OneToOneField(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="anonymisation",
        verbose_name=_("participant"),
    )
    term = models.CharField(_("retention term"), max_length=16, choices=Term.choices)
    term_started_on = models.DateField(_("term ran from"))
    anonymised_at = models.DateTimeField(_("anonymised at"), auto_now_add=True)

    class Meta:
        verbose_name = _("anonymisation")
        verbose_name_plural = _("anonymisations")
        ordering = ["-anonymised_at", "-pk"]

    def __str__(self):
        return _("Participant %(id)s anonymised on %(on)s") % {
            "id": self.participant_id,
            "on": f"{self.anonymised_at:%d-%m-%Y}",
        }


class ErasedFileQuerySet(AppendOnlyQuerySet):
    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label, object_id=str(obj.pk))


class ErasedFile(AppendOnlyModel):
    """The "bestand verwijderd op" mark of a stored file whose term is over: the database
    record it belonged to stays, the file is gone."""

    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("id"), max_length=40)
    name = models.CharField(_("file"), max_length=255)
    erased_at = models.DateTimeField(_("file deleted at"), auto_now_add=True)

    objects = ErasedFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("deleted file")
        verbose_name_plural = _("deleted files")
        ordering = ["-erased_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "name"], name="privacy_erased_file_once"
            ),
        ]

    def __str__(self):
        return _("%(name)s deleted on %(on)s") % {
            "name": self.name,
            "on": f"{self.erased_at:%d-%m-%Y}",
        }


class AuditPurge(AppendOnlyModel):
    """One purge of audit entries past their term: how many, which period, when, by what."""

    performed_at = models.DateTimeField(_("performed at"), auto_now_add=True)
    performed_by = models.CharField(_("performed by"), max_length=150)
    retention_years = models.PositiveSmallIntegerField(_("retention term (years)"))
    cutoff = models.DateTimeField(_("entries before"))
    deleted_count = models.PositiveIntegerField(_("deleted entries"))
    first_at = models.DateTimeField(_("oldest deleted entry"), null=True)
    last_at = models.DateTimeField(_("newest deleted entry"), null=True)

    class Meta:
        verbose_name = _("audit trail purge")
        verbose_name_plural = _("audit trail purges")
        ordering = ["-performed_at", "-pk"]

    def __str__(self):
        return _("%(count)s audit entries from before %(cutoff)s deleted") % {
            "count": self.deleted_count,
            "cutoff": f"{self.cutoff:%d-%m-%Y}",
        }


class PurgeLease(models.Model):
    """Lets the audit table's trigger allow the deletes of one purge; lives only inside the
    purge's own transaction (see the module docstring)."""

    purge = models.OneToOneField(AuditPurge, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("purge lease")
        verbose_name_plural = _("purge leases")

    def __str__(self):
        return f"Opschoonvergunning {self.purge_id}"
