"""URLs of the signals app: pages under /signalen/, the creditor API under /signalen/api/v1/."""

from django.urls import path

from . import api, views

app_name = "signals"
urlpatterns = [
    path("", views.signal_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("achterstanden/", views.arrears_list, name="arrears"),
    path("achterstanden/csv/", views.arrears_csv, name="arrears_csv"),
    path("upload/<int:pk>/", views.import_detail, name="import"),
    path("upload/<int:pk>/voortgang/", views.import_progress, name="import_progress"),
    path("upload/<int:pk>/hervatten/", views.import_resume, name="import_resume"),
    path("<int:pk>/", views.signal_detail, name="detail"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("<int:pk>/koppelen/", views.match, name="match"),
    path("api/v1/signalen", api.post_signal, name="api-post"),
    path("api/v1/openapi.json", api.openapi_document, name="api-openapi"),
]
