"""URLs of the guidance app, under /begeleiding/."""

from django.urls import path

from . import views

app_name = "guidance"
urlpatterns = [
    path("deelnemer/<int:pk>/", views.participant_guidance, name="participant"),
    path("deelnemer/<int:pk>/voorziening/", views.participant_condition, name="condition"),
    path("activiteiten/", views.activities, name="activities"),
    path("activiteiten/<int:pk>/", views.activity_detail, name="activity"),
    path("activiteiten/<int:pk>/bijeenkomst/", views.session_add, name="session_add"),
    path("activiteiten/<int:pk>/aanmelden/", views.enroll, name="enroll"),
    path("bijeenkomsten/<int:pk>/aanwezigheid/", views.attendance, name="attendance"),
    path("uren/", views.hours, name="hours"),
]
