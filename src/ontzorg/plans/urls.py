"""URLs of the plans app."""

from django.urls import path

from . import payee_views, pot_views, views

app_name = "plans"
urlpatterns = [
    path("deelnemer/<int:participant_pk>/", views.overview, name="overview"),
    path("deelnemer/<int:participant_pk>/plan/", views.create_plan, name="create"),
    path("deelnemer/<int:participant_pk>/vaste-last/", views.add_line, name="add_line"),
    path("deelnemer/<int:participant_pk>/machtiging/", views.sign_machtiging, name="machtiging"),
    path("deelnemer/<int:participant_pk>/inkomen/", views.record_income, name="income"),
    path("deelnemer/<int:participant_pk>/uitstroom/", views.record_outflow, name="outflow"),
    path("deelnemer/<int:participant_pk>/einde/", views.end_or_extend, name="end_or_extend"),
    path("vaste-last/<int:line_pk>/bedrag/", views.change_amount, name="change_amount"),
    path("vaste-last/<int:line_pk>/stoppen/", views.close_line, name="close_line"),
    path("vaste-last/<int:line_pk>/verwijderen/", views.remove_line, name="remove_line"),
    path("deelnemer/<int:participant_pk>/vorm/", views.decide_mode, name="mode"),
    path("deelnemer/<int:participant_pk>/spaarpot/", pot_views.create_pot, name="create_pot"),
    path(
        "deelnemer/<int:participant_pk>/eenmalige-betaling/",
        pot_views.one_off,
        name="one_off",
    ),
    path(
        "deelnemer/<int:participant_pk>/overbrugging/",
        pot_views.bridging,
        name="bridging",
    ),
    path(
        "deelnemer/<int:participant_pk>/sleutels/",
        pot_views.keys_received,
        name="keys_received",
    ),
    path("spaarpot/<int:pot_pk>/uitbetalen/", pot_views.pot_payout, name="pot_payout"),
    path("spaarpot/<int:pot_pk>/opheffen/", pot_views.end_pot, name="end_pot"),
    path(
        "deelnemer/<int:participant_pk>/rekening/",
        payee_views.participant_payee,
        name="participant_payee",
    ),
    path("schuldeisers/", payee_views.creditor_list, name="creditors"),
    path(
        "schuldeiser/<int:creditor_pk>/rekening/",
        payee_views.creditor_payee,
        name="creditor_payee",
    ),
]
