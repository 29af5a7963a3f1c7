"""Acceptance: a participant's monthly overview as PDF in each of the six languages, read back
with poppler's pdftotext: the participant's name and the translated heading are real text in
their own script (Arabic, Ge'ez), Dutch beside them, and the Arabic and Dari pages run right
to left (their text blocks end at the right margin). Also the region's zip made by the task."""

import re
import shutil
import subprocess
import zipfile

import pytest
from django.core.files.storage import default_storage

from ontzorg.accounts.models import User
from ontzorg.audit.models import AuditEntry
from ontzorg.letters import batch
from ontzorg.letters.models import PdfBatch
from ontzorg.participants.models import Participant
from ontzorg.payments.models import PaymentRun
from ontzorg.privacy import inzage

pytestmark = [
    pytest.mark.usefixtures("on_demo"),
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="make system-packages: poppler"),
]

# The heading "Your month" as the participant reads it.
HEADINGS = {
    "nl": "Uw maand",
    "en": "Your month",
    "ar": "شهرك",
    "ti": "ወርሕኻ",
    "fa": "ماه شما",
    "tr": "Ay\u0131n\u0131z",
}
# One participant per script: a name as written in their own alphabet.
NAMES = {"ar": ("سلمى", "الحسن"), "ti": ("ሰናይት", "ተስፋይ")}


def _run():
    return PaymentRun.objects.get(region__slug="zoetermeer", status="booked")


def _participant(run, language):
    participant = run.instructions.order_by("participant_id").first().participant
    participant.preferred_language = language
    if language in NAMES:
        participant.first_names, participant.last_name = NAMES[language]
    participant.save()
    return participant


def _pdf(client, participant, run, tmp_path):
    client.force_login(User.objects.filter(is_superuser=True).first())
    response = client.get(f"/deelnemers/{participant.pk}/maand/{run.period:%Y-%m}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "overview.pdf"
    path.write_bytes(response.content)
    return path


def _text(path, *options) -> str:
    result = subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


@pytest.mark.parametrize("language", list(HEADINGS))
def test_overview_pdf_in_each_language(client, tmp_path, language):
    run = _run()
    participant = _participant(run, language)
    path = _pdf(client, participant, run, tmp_path)
    text = _text(path)
    assert HEADINGS[language] in text
    for part in participant.full_name.split():
        assert part in text
    assert HEADINGS["nl"] in text  # Dutch beside the participant's language
    assert AuditEntry.objects.filter(summary__contains="maandoverzicht (pdf)").exists()


def _pages(path):
    """Per page: its width and the (words, xMin, xMax) of each text block. Words of
    right-to-left text come out in visual order, so a heading reads reversed."""
    layout = _text(path, "-bbox-layout")
    pages = []
    for width, body in re.findall(r'<page width="([\d.]+)".*?>(.*?)</page>', layout, flags=re.S):
        blocks = []
        for block in re.findall(r"<block (.*?)</block>", body, flags=re.S):
            box = re.search(r'xMin="([\d.]+)"[^>]*xMax="([\d.]+)"', block)
            words = " ".join(re.findall(r">([^<]+)</word>", block))
            blocks.append((words, float(box.group(1)), float(box.group(2))))
        pages.append((float(width), blocks))
    return pages


def _find(pages, heading):
    """The page width, all blocks of the page, and the block of `heading`."""
    for width, blocks in pages:
        for words, x_min, x_max in blocks:
            if words in (heading, heading[::-1]):
                return width, blocks, (x_min, x_max)
    raise AssertionError(f"{heading} not found")


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_arabic_script_pages_run_right_to_left(client, tmp_path, language):
    run = _run()
    participant = _participant(run, language)
    pages = _pages(_pdf(client, participant, run, tmp_path))

    width, blocks, (x_min, x_max) = _find(pages, HEADINGS[language])
    right_margin = max(block[2] for block in blocks)
    assert right_margin > width * 0.85
    # The heading starts at the right margin, in the right half of the page.
    assert x_max > right_margin - 2 and x_min > width / 2
    # So does nearly every Arabic-script block (table cells further left are the exception).
    arabic = [block for block in blocks if re.search(r"[\u0600-\u06ff]", block[0])]
    at_right = [block for block in arabic if block[2] > right_margin - 10]
    assert len(at_right) >= 0.7 * len(arabic), arabic

    # The Dutch half on its own page runs left to right.
    width, blocks, (x_min, x_max) = _find(pages, HEADINGS["nl"])
    left_margin = min(block[1] for block in blocks)
    assert x_min < left_margin + 2 and x_max < width / 2


def test_the_region_zip_holds_a_pdf_per_participant():
    run = _run()
    user = User.objects.filter(is_superuser=True).first()
    made = batch.start(user, run.region, run.period)
    batch.make_batch(made.pk)  # the task, run here (the CI backend runs it on enqueue)
    made.refresh_from_db()
    assert made.status == PdfBatch.DONE and made.done == made.total > 0
    assert made.stored_file.startswith(batch.FOLDER)
    with default_storage.open(made.stored_file) as stored, zipfile.ZipFile(stored) as archive:
        names = archive.namelist()
        assert len(names) == made.total
        assert all(archive.read(name).startswith(b"%PDF") for name in names)
    default_storage.delete(made.stored_file)


def _plan_participant(run, language="ar"):
    participant = _participant(run, language)
    return participant, participant.plans.order_by("-start_on").first()


def test_fixed_costs_letter_at_the_old_url_bilingual_and_as_pdf(client, tmp_path):
    run = _run()
    participant, _ = _plan_participant(run, "tr")
    client.force_login(User.objects.filter(is_superuser=True).first())
    page = client.get(f"/traject/deelnemer/{participant.pk}/vaste-lasten/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Sabit giderleriniz" in text and "Uw vaste lasten" in text
    assert 'lang="tr"' in text and "ontzorg/sheet.css" in text
    assert AuditEntry.objects.filter(summary="overzicht vaste lasten bekeken").exists()
    response = client.get(f"/deelnemers/{participant.pk}/brief/vaste-lasten.pdf")
    assert response.status_code == 200
    path = tmp_path / "letter.pdf"
    path.write_bytes(response.content)
    assert "Sabit giderleriniz" in _text(path)


def test_decision_letters_start_extension_and_end(client, tmp_path):
    from ontzorg.plans import services as plans
    from ontzorg.plans.constants import PlanDecisionKind

    run = _run()
    participant, plan = _plan_participant(run, "ti")
    user = User.objects.filter(is_superuser=True).first()
    client.force_login(user)
    start = client.get(f"/deelnemers/{participant.pk}/brief/start/").content.decode()
    assert "ውሳነ: ontzorgen ይጅምር" in start and "Besluit: ontzorgen begint" in start
    pdf = client.get(f"/deelnemers/{participant.pk}/brief/start.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    end = plans.decide_end_or_extend(
        user, plan, PlanDecisionKind.END, None, "Zelfredzaam volgens de eindmeting."
    )
    page = client.get(f"/deelnemers/besluit/{end.pk}/")
    text = page.content.decode()
    assert "ውሳነ: ontzorgen ይውዳእ" in text and "Besluit: ontzorgen stopt" in text
    assert "Zelfredzaam volgens de eindmeting." in text
    path = tmp_path / "end.pdf"
    path.write_bytes(client.get(f"/deelnemers/besluit/{end.pk}.pdf").content)
    assert "ontzorgen ይውዳእ" in _text(path)
    assert client.get("/deelnemers/besluit/999999/").status_code == 404


def test_region_batch_pages_start_show_progress_and_download(
    client, django_capture_on_commit_callbacks
):
    run = _run()
    client.force_login(User.objects.filter(is_superuser=True).first())
    assert client.get("/deelnemers/pdf-regio/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/deelnemers/pdf-regio/", {"region": run.region.pk, "month": f"{run.period:%Y-%m}"}
        )
    assert response.status_code == 302
    made = PdfBatch.objects.get()
    made_url = f"/deelnemers/pdf-regio/{made.pk}/"
    assert response["Location"] == made_url
    assert made.status == PdfBatch.DONE  # the CI task backend runs it at once
    progress = client.get(f"/deelnemers/pdf-regio/{made.pk}/voortgang/")
    assert progress["HX-Refresh"] == "true"
    assert f"/deelnemers/pdf-regio/{made.pk}/zip/" in client.get(made_url).content.decode()
    download = client.get(f"/deelnemers/pdf-regio/{made.pk}/zip/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"PK")
    entry = AuditEntry.objects.get(event="letters.pdf_batch_downloaded")
    people = entry.changes["deelnemers"][1]
    assert people == sorted(
        batch.participants_of(made.region, made.month).values_list("pk", flat=True)
    )
    # The download shows in the inzage of a participant in the zip, not of one outside it.
    inside = Participant.objects.get(pk=people[0])
    outside = Participant.objects.exclude(pk__in=people).first()
    assert entry in inzage._audit_section_entries(inside)
    assert entry not in inzage._audit_section_entries(outside)
    default_storage.delete(made.stored_file)
