"""The evaluators' export: pseudonymised, no personal data, small groups suppressed."""

import csv
import io

import pytest
from openpyxl import load_workbook

from ontzorg.audit.constants import Action
from ontzorg.audit.models import AuditEntry
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.guidance.models import Contact
from ontzorg.measurements.models import Measurement
from ontzorg.monitor import export, services
from ontzorg.monitor.constants import SMALLEST_GROUP
from ontzorg.monitor.tests.factories import AS_OF, MomentFactory, pilot
from ontzorg.participants.models import Participant
from ontzorg.regelingen.tests.factories import RegelingFactory

FREE_TEXT = "Vertrouwelijk: praat over schulden bij familie"


@pytest.fixture
def data(regeling, projectleider):
    found = pilot(regeling, n=7)
    Contact.objects.filter(participant__in=found.people).update(notes=FREE_TEXT)
    Measurement.objects.filter(participant__in=found.people).update(notes=FREE_TEXT)
    moment = MomentFactory(region=regeling.region)
    services.build_snapshot(projectleider, moment, today=AS_OF)
    return found


def _csv(download) -> list[list[str]]:
    text = download.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _forbidden_values(people) -> set[str]:
    """Everything that would identify a participant, in the forms it could be written."""
    values = set()
    for p in Participant.objects.filter(pk__in=[p.pk for p in people]).select_related("household"):
        born = p.date_of_birth
        values |= {p.bsn, p.first_name, p.last_name, p.full_name, p.iban}
        values |= {born.isoformat(), born.strftime("%d-%m-%Y"), born.strftime("%d/%m/%Y")}
        values |= {p.household.street, p.household.address, p.household.postcode}
        values |= {f"{p.household.street} {p.household.house_number}"}
    values |= {FREE_TEXT, "nog niet zelfredzaam", "test"}  # notes, reasons, descriptions
    return {v for v in values if v}


def test_no_column_holds_personal_data(db, data, projectleider):
    rows = _csv(services.export(projectleider, "deelnemers"))
    header, body = rows[0], rows[1:]
    assert header == export.COLUMN_NAMES
    assert len(body) == 7
    forbidden = _forbidden_values(data.people)
    banned_names = {"bsn", "naam", "voornaam", "achternaam", "adres", "straat", "postcode"}
    banned_names |= {"geboortedatum", "iban", "toelichting", "notities", "opmerking"}
    for index, name in enumerate(header):
        assert name not in banned_names
        column = {row[index] for row in body}
        assert not column & forbidden, f"column {name} holds personal data"
        for value in column:
            assert "\n" not in value and len(value) <= 40, f"column {name} looks like free text"
    ids = {str(p.pk) for p in data.people}
    assert not {row[0] for row in body} & ids


def test_pseudonyms_are_stable_within_an_export_and_differ_across_exports(db, data, projectleider):
    MomentFactory(region=data.regeling.region, name="Tweede", on=AS_OF.replace(day=30))
    services.build_snapshot(
        projectleider, data.regeling.region.measurement_moments.get(name="Tweede"), today=AS_OF
    )
    first = _csv(services.export(projectleider, "deelnemers"))[1:]
    second = _csv(services.export(projectleider, "deelnemers"))[1:]
    by_moment = {}
    for row in first:
        by_moment.setdefault(row[2], set()).add(row[0])
    assert len(by_moment) == 2
    assert by_moment["Tweede"] == next(v for k, v in by_moment.items() if k != "Tweede")
    assert {r[0] for r in first}.isdisjoint({r[0] for r in second})


def test_rare_countries_become_overig(db, data, projectleider):
    Participant.objects.filter(pk=data.people[0].pk).update(country_of_origin="Eritrea")
    MomentFactory(region=data.regeling.region, name="Later", on=AS_OF.replace(day=30))
    services.build_snapshot(
        projectleider, data.regeling.region.measurement_moments.get(name="Later"), today=AS_OF
    )
    column = export.COLUMN_NAMES.index("herkomst")
    values = [row[column] for row in _csv(services.export(projectleider, "deelnemers"))[1:]]
    assert "Eritrea" not in values
    assert values.count(export.OTHER_COUNTRY) == 1
    assert values.count("Syrië") == 13


def test_aggregates_suppress_groups_below_five(db, data, projectleider):
    rows = _csv(services.export(projectleider, "aggregaten"))
    header, body = rows[0], rows[1:]
    count = header.index("aantal")
    total = next(r for r in body if r[header.index("indeling")] == "totaal")
    assert total[count] == "7"
    literacy = {r[header.index("groep")]: r for r in body if r[3] == "geletterdheid"}
    assert literacy["low"][count] == "<5"  # 3 of the 7
    assert literacy["literate"][count] == "<5"  # 4 of the 7
    for row in body:
        for value in row[count:]:
            assert value == "<5" or value == "0" or int(value) >= SMALLEST_GROUP


def test_xlsx_has_the_rows_the_codebook_and_the_aggregates(db, data, projectleider):
    download = services.export(projectleider, "xlsx", region=data.regeling.region)
    workbook = load_workbook(io.BytesIO(download.content), read_only=True)
    assert workbook.sheetnames == ["Deelnemers", "Codeboek", "Aggregaten"]
    participants = list(workbook["Deelnemers"].values)
    assert list(participants[0]) == export.COLUMN_NAMES and len(participants) == 8
    codebook = list(workbook["Codeboek"].values)
    described = [row[1] for row in codebook[1:] if row[0] == "deelnemers"]
    assert described == export.COLUMN_NAMES
    assert all(row[2] and row[3] for row in codebook[1:])
    forbidden = _forbidden_values(data.people)
    for row in participants[1:]:
        assert not {str(v) for v in row} & forbidden


def test_codebook_csv_describes_every_column(db, projectleider):
    rows = _csv(services.codebook(projectleider))
    assert rows[0] == ["tabel", "kolom", "betekenis", "type", "toegestane waarden"]
    assert [r[1] for r in rows[1:] if r[0] == "deelnemers"] == export.COLUMN_NAMES


def test_every_export_is_audited(db, data, projectleider):
    services.export(projectleider, "xlsx")
    services.export(projectleider, "deelnemers")
    entries = AuditEntry.objects.filter(action=Action.EXPORT, actor=projectleider)
    assert entries.count() == 2
    assert entries.first().changes["rijen"] == [None, 7]
    assert all(entry.participant_id is None for entry in entries)


def test_only_evaluator_and_projectleider_export(db, data, klantmanager, coach, beheerder):
    for user in (klantmanager, coach, beheerder):
        with pytest.raises(PermissionDenied):
            services.export(user, "xlsx")
        with pytest.raises(PermissionDenied):
            services.codebook(user)
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_projectleider_exports_only_the_own_region(db, data, projectleider, evaluator):
    other_regeling = RegelingFactory()
    other = other_regeling.region
    with pytest.raises(PermissionDenied):
        services.export(projectleider, "xlsx", region=other)
    pilot(other_regeling, n=5)
    services.build_snapshot(evaluator, MomentFactory(region=other), today=AS_OF)
    regions = {row[1] for row in _csv(services.export(evaluator, "deelnemers"))[1:]}
    assert regions == {data.regeling.region.slug, other.slug}
    own = {row[1] for row in _csv(services.export(projectleider, "deelnemers"))[1:]}
    assert own == {data.regeling.region.slug}


def test_nothing_to_export_is_said_in_dutch(db, projectleider):
    with pytest.raises(Refused, match="nog geen momentopname"):
        services.export(projectleider, "xlsx")


def test_text_that_looks_like_a_formula_is_defused():
    assert export._text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert export._text("Syrië") == "Syrië"
