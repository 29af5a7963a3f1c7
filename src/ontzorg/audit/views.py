"""The audit trail of one participant, for roles that may read it (views_audit)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from ontzorg.core import access
from ontzorg.participants.models import Participant

from .models import AuditEntry

PAGE_SIZE = 50
HIDDEN = "(verborgen)"


def _rows(entry, *, sees_bsn: bool, sees_bank: bool):
    """(field, before, after) per change; BSN and IBAN only for roles that see them."""
    hidden = set()
    if not sees_bsn:
        hidden.add("bsn")
    if not sees_bank:
        hidden.add("iban")
    rows = []
    for name, values in sorted((entry.changes or {}).items()):
        before, after = [*values, None, None][:2] if isinstance(values, list) else (None, values)
        if name in hidden:
            before, after = HIDDEN if before else before, HIDDEN if after else after
        rows.append((name, before, after))
    return rows


@access.view(rights=("views_audit",), objects={"pk": Participant}, audit="audittrail")
def participant_trail(request, participant):
    user = request.user
    entries = AuditEntry.objects.for_participant(participant).select_related("actor")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    sees_bsn = access.may(user, "sees_bsn")
    sees_bank = access.may(user, "sees_bank")
    rows = [(entry, _rows(entry, sees_bsn=sees_bsn, sees_bank=sees_bank)) for entry in page]
    return render(
        request,
        "audit/participant_trail.html",
        {"participant": participant, "page": page, "rows": rows},
    )
