"""Business actions of the monitor: who may see and export what, measurement moments, and
building a snapshot (once per moment, never changed afterwards)."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ontzorg.accounts.constants import Scope
from ontzorg.audit import services as audit
from ontzorg.bulk import insert_rows
from ontzorg.core import access
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.regelingen.models import Region

from . import anonymity, events, facts
from . import export as export_module
from .models import MeasurementMoment, Snapshot, SnapshotRow, Study

EXPORTS = "exports_pseudonymised"


def may_export(user) -> bool:
    """Only the evaluator and the projectleider export, and only pseudonymised."""
    return access.may(user, EXPORTS)


def may_view_dashboard(user) -> bool:
    """Who exports, and who works for every region (beheerders)."""
    return may_export(user) or access.scope_of(user) == Scope.ALL


def may_view_caseload(user) -> bool:
    return access.scope_of(user) != Scope.NONE


def regions_for(user):
    """The regions whose monitor `user` may open. The monitor shows pseudonymised figures,
    so it follows the organisation rather than the role's participant scope: the own
    organisation's region, or all regions for an organisation that works everywhere
    (evaluators), and all regions for who works for every region (beheerders)."""
    if not may_view_dashboard(user):
        return Region.objects.none()
    if access.scope_of(user) == Scope.ALL:
        return Region.objects.all()
    organisation = user.organisation
    if organisation is None:
        return Region.objects.none()
    if organisation.region_id is None:
        return Region.objects.all()
    return Region.objects.filter(pk=organisation.region_id)


def sees_exact_figures(user, region_ids) -> bool:
    """Whether `user` may see counts of 1 to 4 for these regions: only who may see every
    participant of them anyway. Everyone else gets groups below five suppressed."""
    scope = access.scope_of(user)
    if scope == Scope.ALL:
        return True
    return scope == Scope.REGION and set(region_ids) <= set(access.region_ids(user))


def _require_region(user, region) -> None:
    if not regions_for(user).filter(pk=region.pk).exists():
        raise PermissionDenied(_("You may not open the monitor of this region."))


@transaction.atomic
def create_moment(user, region, name: str, on: date) -> MeasurementMoment:
    if not may_export(user):
        raise PermissionDenied(_("Your role may not set measurement moments."))
    _require_region(user, region)
    name = (name or "").strip()
    if not name:
        raise Refused(_("Give the measurement moment a name."))
    try:
        with transaction.atomic():
            moment = MeasurementMoment.objects.create(region=region, name=name, on=on)
    except IntegrityError:
        raise Refused(
            _("This region already has a measurement moment with this name or on this date.")
        ) from None
    audit.record(
        user,
        events.MOMENT_CREATED,
        moment,
        changes={"naam": [None, name], "peildatum": [None, on.isoformat()]},
        moment=str(moment),
        region=str(region),
    )
    return moment


def build_snapshot(user, moment, *, today: date | None = None) -> Snapshot:
    """Freeze the facts of everyone who entered intake in the region, each in a comparison
    group, as of the moment's date.

    `user` is None when the scheduled command builds it. Refused before the date (the facts
    of a day that has not ended are not final) and when the moment already has one."""
    if user is not None:
        if not may_export(user):
            raise PermissionDenied(_("Your role may not build a snapshot."))
        _require_region(user, moment.region)
    today = today or timezone.localdate()
    if moment.on > today:
        raise Refused(
            _("A snapshot can only be built on or after the reference date (%(day)s).")
            % {"day": moment.on.strftime("%d-%m-%Y")}
        )
    with transaction.atomic():
        # The lock makes a second request wait, then find the snapshot and refuse.
        moment = MeasurementMoment.objects.select_for_update().get(pk=moment.pk)
        if Snapshot.objects.filter(moment=moment).exists():
            raise Refused(_("A snapshot has already been built for this measurement moment."))
        found = facts.rows(moment.region_id, moment.on)
        snapshot = Snapshot.objects.create(
            moment=moment,
            region_id=moment.region_id,
            as_of=moment.on,
            built_at=timezone.now(),
            built_by=user if user is not None and user.is_authenticated else None,
            row_count=len(found),
            rows_sha256=facts.digest(found),
            version=facts.VERSION,
        )
        insert_rows(
            SnapshotRow,
            ("snapshot_id", *facts.ROW_FIELDS),
            ((snapshot.pk, *row) for row in found),
        )
        audit.record(
            user,
            events.SNAPSHOT_BUILT,
            snapshot,
            changes={"peildatum": [None, moment.on.isoformat()], "deelnemers": [None, len(found)]},
            moment=moment.name,
            region=str(moment.region),
            rows=len(found),
        )
    return snapshot


def build_due_snapshots(today: date | None = None) -> list[Snapshot]:
    """Snapshots for every moment whose date has come and that has none yet (the command)."""
    today = today or timezone.localdate()
    built = []
    for moment in MeasurementMoment.objects.filter(on__lte=today, snapshot__isnull=True):
        try:
            built.append(build_snapshot(None, moment, today=today))
        except Refused:
            continue  # built by someone else in the meantime
    return built


def stored_rows(snapshot) -> list[tuple]:
    """The rows as stored, in the columns of the snapshot's version of the facts."""
    fields, _included = facts.VERSIONS[snapshot.version or 1]
    return list(
        SnapshotRow.objects.filter(snapshot=snapshot)
        .order_by("participant_id")
        .values_list(*fields)
    )


def verify_snapshot(snapshot) -> dict:
    """Does the stored snapshot still match its digest, and would the data of today give
    the same rows? The second differs when data dated on or before the peildatum changed."""
    stored = stored_rows(snapshot)
    again = facts.as_version(facts.rows(snapshot.region_id, snapshot.as_of), snapshot.version)
    return {
        "intact": facts.digest(stored) == snapshot.rows_sha256,
        "reproduced": facts.digest(again) == snapshot.rows_sha256,
    }


@dataclass(frozen=True)
class Download:
    filename: str
    content_type: str
    content: bytes


CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_PARTS = ("xlsx", "deelnemers", "aggregaten", "toelichting")
DEFAULT_STUDY = "Evaluatie financieel ontzorgen statushouders"


def export_regions(user, region=None):
    if not may_export(user):
        raise PermissionDenied(_("Only evaluators and project leaders export."))
    regions = regions_for(user)
    if region is not None:
        _require_region(user, region)
        regions = regions.filter(pk=region.pk)
    return regions


def default_study() -> Study:
    """The study whose key makes the pseudonyms when no other is chosen: the oldest, made
    (with a fresh key) on the first export."""
    study = Study.objects.order_by("created_at", "pk").first()
    if study is None:
        study, _created = Study.objects.get_or_create(name=DEFAULT_STUDY)
    return study


def export(user, part: str, *, region=None, study=None) -> Download:
    """The pseudonymised export of every snapshot of `region` (default: all the user's
    regions), as one XLSX workbook or one of its tables as CSV. The participant table is
    k-anonymous (`anonymity`), made over every snapshot of every region and then narrowed to
    the exported regions, so each file shows a region's rows alike; the aggregates count the
    same people. `toelichting` says what was coarsened and how many rows were left out.
    Audited, without naming participants: the file names none."""
    if part not in EXPORT_PARTS:
        raise Refused(_("Choose a part of the export."))
    regions = export_regions(user, region)
    study = study or default_study()
    snapshots = Snapshot.objects.filter(region__in=regions)
    source = export_module.source_rows(Snapshot.objects.all())
    key = bytes.fromhex(study.secret_key)
    safe = anonymity.anonymise(
        export_module.COLUMN_NAMES,
        export_module.participant_rows(source, key),
        regions=set(regions.values_list("slug", flat=True)),
    )
    if not safe.rows_in:
        raise Refused(_("There is no snapshot to export yet."))
    scope = region.slug if region is not None else "alle-regios"
    stamp = timezone.localdate().strftime("%Y%m%d")
    counted = [source[n] for n in safe.kept]
    metadata = [
        [_("evaluation study"), study.name],
        [_("regions"), ", ".join(sorted(regions.values_list("slug", flat=True)))],
        *[list(line) for line in safe.describe()],
    ]
    if part == "xlsx":
        aggregates = export_module.aggregate_rows(counted)
        download = Download(
            f"ontzorg-monitor-{scope}-{stamp}.xlsx",
            XLSX,
            export_module.to_xlsx(safe.rows, aggregates, metadata),
        )
    elif part == "deelnemers":
        download = Download(
            f"ontzorg-monitor-{scope}-deelnemers-{stamp}.csv",
            CSV,
            export_module.to_csv(export_module.COLUMN_NAMES, safe.rows),
        )
    elif part == "toelichting":
        download = Download(
            f"ontzorg-monitor-{scope}-toelichting-{stamp}.csv",
            CSV,
            export_module.to_csv(export_module.METADATA_HEADER, metadata),
        )
    else:
        aggregates = export_module.aggregate_rows(counted)
        download = Download(
            f"ontzorg-monitor-{scope}-aggregaten-{stamp}.csv",
            CSV,
            export_module.to_csv([c.name for c in export_module.AGGREGATE_COLUMNS], aggregates),
        )
    audit.record(
        user,
        events.EXPORTED,
        object_type="monitor.export",
        changes={
            "regio's": [None, sorted(regions.values_list("slug", flat=True))],
            "onderdeel": [None, part],
            "rijen": [None, safe.rows_in],
            "weggelaten": [None, safe.left_out],
            "onderzoek": [None, study.name],
            "momentopnamen": [None, sorted(snapshots.values_list("pk", flat=True))],
        },
        scope=scope,
        part=part,
        rows=safe.rows_in,
    )
    return download


def codebook(user) -> Download:
    if not may_export(user):
        raise PermissionDenied(_("Only evaluators and project leaders export."))
    rows = export_module.codebook_rows()
    return Download("ontzorg-monitor-codeboek.csv", CSV, export_module.to_csv(rows[0], rows[1:]))
