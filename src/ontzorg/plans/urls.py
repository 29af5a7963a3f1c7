"""URLs of the plans app."""

from django.urls import path

from . import views

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
]
