"""URLs of the guidance app, under /begeleiding/."""

from django.urls import path

from . import views

app_name = "guidance"
urlpatterns = [
    path("deelnemer/<int:pk>/", views.participant_guidance, name="participant"),
    path("deelnemer/<int:pk>/voorziening/", views.participant_condition, name="condition"),
    path("deelnemer/<int:pk>/verwijzing/", views.participant_referral, name="referral"),
    path("deelnemer/<int:pk>/verwijzing/status/", views.referral_status, name="referral_status"),
    path("activiteiten/", views.activities, name="activities"),
    path("activiteiten/<int:pk>/", views.activity_detail, name="activity"),
    path("activiteiten/<int:pk>/bijeenkomst/", views.session_add, name="session_add"),
    path("activiteiten/<int:pk>/aanmelden/", views.enroll, name="enroll"),
    path("bijeenkomsten/<int:pk>/aanwezigheid/", views.attendance, name="attendance"),
    path("uren/", views.hours, name="hours"),
]
