from django.urls import path

from . import views

app_name = "monitor"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("regio/<slug:slug>/", views.region_dashboard, name="region"),
    path("meetmomenten/", views.moments, name="moments"),
    path("meetmomenten/<int:pk>/momentopname/", views.build_snapshot, name="build"),
    path("export/", views.export_page, name="export"),
    path("export/codeboek.csv", views.codebook, name="codebook"),
    path("caseload/", views.caseload, name="caseload"),
]
