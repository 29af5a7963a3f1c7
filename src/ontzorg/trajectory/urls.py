"""URLs of the trajectory app, under /traject/."""

from django.urls import path

from . import views

app_name = "trajectory"
urlpatterns = [
    path("deze-week/", views.agenda, name="agenda"),
    path("deelnemer/<int:pk>/", views.participant_trajectory, name="participant"),
    path("deelnemer/<int:pk>/evaluatie/", views.evaluate, name="evaluate"),
    path("deelnemer/<int:pk>/afbouw/", views.hand_back, name="hand_back"),
    path("deelnemer/<int:pk>/overdracht/", views.handover_check, name="handover_check"),
    path("deelnemer/<int:pk>/maandgeld/", views.allowance, name="allowance"),
    path("deelnemer/<int:pk>/werk/", views.outflow, name="outflow"),
    path("deelnemer/<int:pk>/heropenen/", views.reopen, name="reopen"),
    path("deelnemer/<int:pk>/vaste-lasten/", views.fixed_costs, name="fixed_costs"),
]
