"""Participant letters and monthly overviews as a printable page and as PDF.

One template frame (``letters/letter_document.html``) holds the participant's language and
Dutch, each in its own section with its own text direction; the PDF puts each language on its
own pages. WeasyPrint shapes the text with pango and the Debian Noto fonts (fontconfig names
"Noto Sans", "Noto Naskh Arabic", "Noto Sans Ethiopic"; scripts/ensure-system-packages), so
Arabic, Dari and Tigrinya stay real, selectable text in the PDF."""

from datetime import date

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .templatetags.letters import letter_languages

# The PDF only adds letter_pdf.css: A4, no screen chrome, page numbers.
STYLESHEETS = ("ontzorg/sheet.css", "letters/letter.css", "letters/letter_pdf.css")
OVERVIEW_BODY = "letters/_overview_body.html"
FIXED_COSTS_BODY = "letters/letter_fixed_costs.html"
DECISION_BODIES = {
    "start": "letters/letter_start.html",
    "extension": "letters/letter_extension.html",
    "end": "letters/letter_end.html",
}
TITLES = {
    "overview": _("Monthly overview"),
    "fixed_costs": _("Your fixed costs"),
    "start": _("Decision: ontzorgen starts"),
    "extension": _("Decision: ontzorgen is extended"),
    "end": _("Decision: ontzorgen ends"),
}


def document(participant, body: str, title, /, **context) -> dict:
    """The context of a letter frame: the participant's languages, Dutch last. `context` may
    hold the participant again (the data of ``documents``)."""
    context.pop("participant", None)
    return {
        "participant": participant,
        "codes": letter_languages(participant.preferred_language),
        "body": body,
        "title": title,
        "today": context.pop("today", None) or timezone.localdate(),
        **context,
    }


def overview_document(participant, overview, month: date) -> dict:
    return document(participant, OVERVIEW_BODY, TITLES["overview"], overview=overview, month=month)


def html(context: dict) -> str:
    """The letter as a page to print from the browser."""
    return render_to_string("letters/letter_document.html", {**context, "pdf": False})


def pdf(context: dict) -> bytes:
    """The letter as PDF."""
    from weasyprint import CSS, HTML  # loads pango; only where a PDF is made

    source = render_to_string("letters/letter_document.html", {**context, "pdf": True})
    sheets = [CSS(filename=finders.find(name)) for name in STYLESHEETS]
    return HTML(string=source).write_pdf(stylesheets=sheets)


def filename(participant, kind: str, month: date | None = None) -> str:
    """A download name without the participant's name (it ends up in mail and folders)."""
    when = f"-{month:%Y-%m}" if month else ""
    return f"{kind}-{participant.pk}{when}.pdf"
