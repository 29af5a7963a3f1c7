from django.urls import path

from . import views

app_name = "monitor"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("regio/<slug:slug>/", views.region_dashboard, name="region"),
    path("wat-werkt/", views.what_works, name="what_works"),
    path("regio/<slug:slug>/wat-werkt/", views.region_what_works, name="region_what_works"),
    path("meetmomenten/", views.moments, name="moments"),
    path("meetmomenten/<int:pk>/momentopname/", views.build_snapshot, name="build"),
    path("export/", views.export_page, name="export"),
    path("export/codeboek.csv", views.codebook, name="codebook"),
    path("caseload/", views.caseload, name="caseload"),
]
