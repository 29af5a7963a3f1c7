"""URLs of the measurements app, under /metingen/."""

from django.urls import path

from . import views

app_name = "measurements"
urlpatterns = [
    path("agenda/", views.agenda, name="agenda"),
    path("deelnemer/<int:pk>/", views.participant_measurements, name="participant"),
]
