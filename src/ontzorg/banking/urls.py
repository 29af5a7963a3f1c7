"""URLs of the bank screens, under /bank/."""

from django.urls import path

from . import views

app_name = "banking"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("inlezen/", views.upload, name="upload"),
    path("import/<int:pk>/", views.import_detail, name="import"),
    path("import/<int:pk>/voortgang/", views.import_progress, name="progress"),
    path("import/<int:pk>/hervatten/", views.import_resume, name="resume"),
    path("werkvoorraad/", views.queue, name="queue"),
    path("post/<int:pk>/", views.entry_detail, name="entry"),
    path("terugboekingen/", views.returns, name="returns"),
    path("terugboekingen/<int:pk>/opnieuw/", views.retry, name="retry"),
    path("terugboekingen/<int:pk>/bestand/", views.retry_file, name="retry_file"),
]
