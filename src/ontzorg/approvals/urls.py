"""URLs of the proposals, under /voorstellen/."""

from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/goedkeuren/", views.proposal_approve, name="approve"),
    path("<int:pk>/afwijzen/", views.proposal_reject, name="reject"),
    path("<int:pk>/intrekken/", views.proposal_withdraw, name="withdraw"),
]
