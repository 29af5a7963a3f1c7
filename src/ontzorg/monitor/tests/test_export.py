"""The evaluators' export: pseudonymised, no personal data, small groups suppressed."""

import csv
import io
from collections import Counter
from datetime import date

import pytest
from openpyxl import load_workbook

from ontzorg.audit.constants import Action
from ontzorg.audit.models import AuditEntry
from ontzorg.exceptions import PermissionDenied, Refused
from ontzorg.guidance.models import Contact
from ontzorg.measurements.models import Measurement
from ontzorg.monitor import anonymity, export, services
from ontzorg.monitor.constants import SMALLEST_GROUP
from ontzorg.monitor.models import SnapshotRow, Study
from ontzorg.monitor.tests.factories import AS_OF, MomentFactory, pilot
from ontzorg.participants.constants import Phase
from ontzorg.participants.models import Participant
from ontzorg.participants.tests.factories import participant_in
from ontzorg.plans.constants import IncomeKind
from ontzorg.plans.tests.factories import IncomeFactory
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
    assert 0 < len(body) <= 7
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


def _pseudonyms(download) -> dict[str, set[str]]:
    by_moment = {}
    for row in _csv(download)[1:]:
        by_moment.setdefault((row[1], row[2]), set()).add(row[0])
    return by_moment


def test_pseudonyms_are_stable_within_a_study_and_differ_for_another(
    db, data, projectleider, evaluator
):
    MomentFactory(region=data.regeling.region, name="Tweede", on=AS_OF.replace(day=30))
    services.build_snapshot(
        projectleider, data.regeling.region.measurement_moments.get(name="Tweede"), today=AS_OF
    )
    other = RegelingFactory()
    pilot(other, n=5)
    services.build_snapshot(evaluator, MomentFactory(region=other.region), today=AS_OF)
    region = data.regeling.region

    first = _pseudonyms(services.export(projectleider, "deelnemers"))
    second = _pseudonyms(services.export(projectleider, "deelnemers"))
    per_region = _pseudonyms(services.export(evaluator, "deelnemers", region=region))
    everywhere = _pseudonyms(services.export(evaluator, "deelnemers"))
    moments = [key for key in first if key[0] == region.slug]
    assert len(moments) == 2
    assert first[moments[0]] == first[moments[1]]  # one person, one pseudonym per study
    assert first == second
    assert {k: v for k, v in everywhere.items() if k[0] == region.slug} == per_region == first
    assert any(key[0] == other.region.slug for key in everywhere)

    another = Study.objects.create(name="Vervolgonderzoek")
    assert another.secret_key != services.default_study().secret_key
    elsewhere = _pseudonyms(services.export(projectleider, "deelnemers", study=another))
    assert set().union(*elsewhere.values()).isdisjoint(set().union(*first.values()))


def test_the_study_key_is_never_in_the_export_or_the_audit(db, data, projectleider):
    study = services.default_study()
    download = services.export(projectleider, "xlsx")
    assert study.secret_key.encode() not in download.content
    for part in ("deelnemers", "toelichting", "aggregaten"):
        assert study.secret_key not in services.export(projectleider, part).content.decode()
    for entry in AuditEntry.objects.all():
        assert study.secret_key not in str(entry.changes) + str(entry.params)


def test_every_class_of_the_export_has_five_rows(db, data, projectleider, evaluator):
    other = RegelingFactory()
    pilot(other, n=9)
    services.build_snapshot(evaluator, MomentFactory(region=other.region), today=AS_OF)
    rows = _csv(services.export(evaluator, "deelnemers"))
    header, body = rows[0], rows[1:]
    columns = [header.index(c) for c in ("regio", "peildatum", *anonymity.QUASI_IDENTIFIERS)]
    columns = list(dict.fromkeys(columns))
    sizes = Counter(tuple(row[i] for i in columns) for row in body)
    assert body and min(sizes.values()) >= anonymity.K
    meta = dict(_csv(services.export(evaluator, "toelichting"))[1:])
    assert int(meta["rijen weggelaten (groep kleiner dan k)"]) == 7 + 9 - len(body)
    assert meta["quasi-identificatoren"] == ", ".join(anonymity.QUASI_IDENTIFIERS)


def test_rare_countries_are_generalised_or_left_out(db, data, projectleider):
    Participant.objects.filter(pk=data.people[0].pk).update(country_of_origin="Eritrea")
    MomentFactory(region=data.regeling.region, name="Later", on=AS_OF.replace(day=30))
    services.build_snapshot(
        projectleider, data.regeling.region.measurement_moments.get(name="Later"), today=AS_OF
    )
    column = export.COLUMN_NAMES.index("herkomst")
    values = [row[column] for row in _csv(services.export(projectleider, "deelnemers"))[1:]]
    assert "Eritrea" not in values


def test_aggregates_suppress_groups_below_five(db, data, projectleider):
    rows = _csv(services.export(projectleider, "aggregaten"))
    header, body = rows[0], rows[1:]
    count = header.index("aantal")
    total = next(r for r in body if r[header.index("indeling")] == "totaal")
    assert total[count] == "7"
    grouping = header.index("indeling")
    literacy = {r[header.index("groep")]: r for r in body if r[grouping] == "geletterdheid"}
    assert literacy["low"][count] == "<5"  # 3 of the 7
    assert literacy["literate"][count] == "<5"  # 4 of the 7
    for row in body:
        for value in row[count:]:
            assert value == "<5" or value == "0" or int(value) >= SMALLEST_GROUP


def _by_snapshot(rows, column) -> dict[tuple[str, str], list[str]]:
    header, body = rows[0], rows[1:]
    values = {}
    for row in body:
        moment = (row[header.index("regio")], row[header.index("peildatum")])
        values.setdefault(moment, []).append(row[header.index(column)])
    return values


def test_aggregates_count_the_people_of_the_participant_table(db, data, projectleider):
    """Someone who joined after the first snapshot is one of a kind (in one snapshot of
    two) and is left out of the table; the aggregates must not count them either, or
    subtracting the table from them would give that person's outcomes."""
    region = data.regeling.region
    newcomer = participant_in(Phase.INTAKE, data.regeling)
    IncomeFactory(participant=newcomer, kind=IncomeKind.WAGES, valid_from=date(2026, 2, 1))
    later = MomentFactory(region=region, name="Later", on=AS_OF.replace(day=30))
    services.build_snapshot(projectleider, later, today=AS_OF)
    assert SnapshotRow.objects.filter(snapshot__moment=later).count() == 8

    table = _csv(services.export(projectleider, "deelnemers"))
    meta = dict(_csv(services.export(projectleider, "toelichting"))[1:])
    assert int(meta["deelnemers weggelaten (groep kleiner dan k)"]) >= 1
    aggregates = _csv(services.export(projectleider, "aggregaten"))
    header = aggregates[0]
    totals = {
        (row[0], row[2]): row for row in aggregates[1:] if row[header.index("indeling")] == "totaal"
    }
    people = _by_snapshot(table, "pseudoniem")
    outflow = _by_snapshot(table, "uitstroom_werk")
    assert set(totals) == set(people)
    for moment, row in totals.items():
        assert row[header.index("aantal")] == str(export.suppress(len(people[moment])))
        worked = sum(int(flag) for flag in outflow[moment])
        assert row[header.index("uitstroom_werk")] == str(export.suppress(worked))


def test_one_regions_file_holds_that_regions_rows_of_the_file_of_all_regions(
    db, data, projectleider, evaluator
):
    """Both files are generalised alike, so joining them on the pseudonym gives nothing."""
    other = RegelingFactory()
    pilot(other, n=13)
    services.build_snapshot(evaluator, MomentFactory(region=other.region), today=AS_OF)
    everywhere = _csv(services.export(evaluator, "deelnemers"))
    for region in (data.regeling.region, other.region):
        alone = _csv(services.export(evaluator, "deelnemers", region=region))
        assert alone[1:] == [row for row in everywhere[1:] if row[1] == region.slug]
    own = _csv(services.export(projectleider, "deelnemers"))
    assert own[1:] == [row for row in everywhere[1:] if row[1] == data.regeling.region.slug]


BANDED = {
    "begeleiding_uren_klasse": export.GUIDANCE_BANDS,
    "inhouding_gem_maand_klasse": export.WITHHELD_BANDS,
    "reservering_klasse": export.RESERVES_BANDS,
    "achterstand_start_klasse": export.ARREARS_BANDS,
    "achterstand_nu_klasse": export.ARREARS_BANDS,
}


def test_amounts_and_hours_are_written_in_classes(db, data, projectleider):
    """A landlord knows the rent to the cent and a creditor the arrears: no exact amount."""
    rows = _csv(services.export(projectleider, "deelnemers"))
    header, body = rows[0], rows[1:]
    assert body
    assert not [name for name in header if name.endswith(("_cent", "_uren"))]
    for name, bands in BANDED.items():
        values = {row[header.index(name)] for row in body}
        assert values <= set(bands.labels()), name
    withheld = {row[header.index("inhouding_gem_maand_klasse")] for row in body}
    assert withheld <= {"800 tot 850", "850 tot 900"}  # 800 to 806 euro a month, exactly
    assert {row[header.index("reservering_klasse")] for row in body} == {"tot 100"}
    exact = {str(cents) for cents in range(80_000, 80_000 + 1_000 * 7, 1_000)} | {"2500", "25"}
    assert not exact & {value for row in body for value in row}


def test_xlsx_has_the_rows_the_codebook_and_the_aggregates(db, data, projectleider):
    download = services.export(projectleider, "xlsx", region=data.regeling.region)
    workbook = load_workbook(io.BytesIO(download.content), read_only=True)
    assert workbook.sheetnames == ["Deelnemers", "Codeboek", "Aggregaten", "Toelichting"]
    participants = list(workbook["Deelnemers"].values)
    assert list(participants[0]) == export.COLUMN_NAMES
    meta = dict(list(workbook["Toelichting"].values)[1:])
    left_out = int(meta["rijen weggelaten (groep kleiner dan k)"])
    assert len(participants) - 1 + left_out == 7
    codebook = list(workbook["Codeboek"].values)
    described = [row[1] for row in codebook[1:] if row[0] == "deelnemers"]
    assert described == export.COLUMN_NAMES
    assert all(row[2] and row[3] for row in codebook[1:] if row[0] != "methode")
    method = {row[1]: row[2] for row in codebook[1:] if row[0] == "methode"}
    assert "minstens 5 keer" in method["k-anonimiteit"]
    assert "weggelaten" in method["onderdrukken"]
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
