"""Audit events of the trajectory app."""

from django.utils.translation import gettext_lazy as _

from ontzorg.audit.events import Action, Event

EVALUATION_RECORDED = Event(
    "trajectory.evaluation_recorded", Action.DECISION, _("evaluatie: %(outcome)s")
)
LINE_HANDED_BACK = Event(
    "trajectory.line_handed_back",
    Action.DECISION,
    _("afbouw stap %(order)s: %(line)s zelf betalen vanaf %(from_on)s"),
)
MONTHLY_ALLOWANCE = Event(
    "trajectory.monthly_allowance",
    Action.UPDATE,
    _("afbouw: maandgeld in plaats van weekgeld vanaf %(from_on)s"),
)
JOB_RECORDED = Event(
    "trajectory.job_recorded",
    Action.CREATE,
    _("uitstroom naar %(kind)s bij %(employer)s vanaf %(starts_on)s"),
)
REOPENED = Event(
    "trajectory.reopened", Action.DECISION, _("dossier heropend, nieuw plan vanaf %(start_on)s")
)
NAZORG_EXPIRED = Event(
    "trajectory.nazorg_expired", Action.UPDATE, _("nazorg afgelopen, dossier afgesloten")
)
