"""The inzage leaves no kind of record about a participant out: every model that points at a
participant is a section, or is named below with the reason it is not. And "who looked"
includes the lists that showed the participant among others, without staff IP addresses."""

from django.apps import apps

from ontzorg.audit.events import ADMIN_LIST_VIEWED
from ontzorg.audit.services import record
from ontzorg.participants import services as participants
from ontzorg.participants.models import Participant
from ontzorg.participants.tests.factories import ParticipantFactory
from ontzorg.privacy import inzage

# Models that point at a participant and have no section of their own, and why.
SKIPPED = {
    # A group activity holds many participants; the participant's part in it is their
    # Enrollment (section "groepsactiviteiten"), the activity itself is not about them.
    "guidance.Activity",
}


def models_about_a_participant() -> set[str]:
    return {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is Participant
    }


def test_every_kind_of_record_about_a_participant_is_in_the_inzage(db, regeling):
    person = ParticipantFactory(regeling=regeling)
    shown = {s.model._meta.label for s in inzage.sections(person) if s.model is not None}

    about = models_about_a_participant()
    assert "banking.Reconciliation" in about and "ledger.Account" in about
    assert about - shown - SKIPPED == set()
    assert about >= SKIPPED and not SKIPPED & shown  # no stale or contradicting entry
    # Records about the participant through another record are there too.
    assert {
        "measurements.ChecklistAnswer",
        "measurements.AssignmentScore",
        "banking.BankEntry",
        "ledger.Entry",
        "signals.StatusChange",
        "participants.SelectionDraw",
    } <= shown


def test_who_looked_includes_lists_and_no_ip_addresses(db, regeling, klantmanager):
    person, other = ParticipantFactory(regeling=regeling), ParticipantFactory(regeling=regeling)
    participants.record_list_view(klantmanager, [person, other], search="")
    participants.record_list_view(klantmanager, [other], search="")
    record(
        klantmanager,
        ADMIN_LIST_VIEWED,
        object_type=Participant._meta.label,
        changes={"getoond": [None, [str(person.pk)]]},
        model="deelnemers",
        count=1,
        search="-",
    )

    found = inzage._audit_section(person)

    assert [name for name, _label in found.labels] == ["at", "actor_name", "action", "text"]
    texts = [row["text"]["value"] for row in found.rows]
    assert len(texts) == 2
    assert any("deelnemerslijst" in text for text in texts)
    assert any("lijst bekeken in het beheer" in text for text in texts)
    assert {row["actor_name"]["value"] for row in found.rows} == {klantmanager.get_username()}
    assert len(inzage._audit_section(other).rows) == 2  # both participant lists showed them
