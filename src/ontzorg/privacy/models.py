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
        verbose_name=_("deelnemer"),
    )
    term = models.CharField(_("bewaartermijn"), max_length=16, choices=Term.choices)
    term_started_on = models.DateField(_("termijn liep vanaf"))
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("anonimisering")
        verbose_name_plural = _("anonimiseringen")
        ordering = ["-anonymised_at", "-pk"]

    def __str__(self):
        return f"Deelnemer {self.participant_id} geanonimiseerd op {self.anonymised_at:%d-%m-%Y}"


class ErasedFileQuerySet(AppendOnlyQuerySet):
    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label, object_id=str(obj.pk))


class ErasedFile(AppendOnlyModel):
    """The "bestand verwijderd op" mark of a stored file whose term is over: the database
    record it belonged to stays, the file is gone."""

    object_type = models.CharField(_("soort gegeven"), max_length=80)
    object_id = models.CharField(_("id"), max_length=40)
    name = models.CharField(_("bestand"), max_length=255)
    erased_at = models.DateTimeField(_("bestand verwijderd op"), auto_now_add=True)

    objects = ErasedFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("verwijderd bestand")
        verbose_name_plural = _("verwijderde bestanden")
        ordering = ["-erased_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "name"], name="privacy_erased_file_once"
            ),
        ]

    def __str__(self):
        return f"{self.name} verwijderd op {self.erased_at:%d-%m-%Y}"


class AuditPurge(AppendOnlyModel):
    """One purge of audit entries past their term: how many, which period, when, by what."""

    performed_at = models.DateTimeField(_("uitgevoerd op"), auto_now_add=True)
    performed_by = models.CharField(_("uitgevoerd door"), max_length=150)
    retention_years = models.PositiveSmallIntegerField(_("bewaartermijn (jaren)"))
    cutoff = models.DateTimeField(_("regels van voor"))
    deleted_count = models.PositiveIntegerField(_("verwijderde regels"))
    first_at = models.DateTimeField(_("oudste verwijderde regel"), null=True)
    last_at = models.DateTimeField(_("jongste verwijderde regel"), null=True)

    class Meta:
        verbose_name = _("opschoning audittrail")
        verbose_name_plural = _("opschoningen audittrail")
        ordering = ["-performed_at", "-pk"]

    def __str__(self):
        return f"{self.deleted_count} auditregels van voor {self.cutoff:%d-%m-%Y} verwijderd"


class PurgeLease(models.Model):
    """Lets the audit table's trigger allow the deletes of one purge; lives only inside the
    purge's own transaction (see the module docstring)."""

    purge = models.OneToOneField(AuditPurge, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("opschoonvergunning")
        verbose_name_plural = _("opschoonvergunningen")

    def __str__(self):
        return f"Opschoonvergunning {self.purge_id}"
