"""URLs of the payment runs, under /betalingen/."""

from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("", views.run_list, name="list"),
    path("nieuw/", views.run_new, name="new"),
    path("<int:pk>/", views.run_detail, name="detail"),
    path("<int:pk>/voortgang/", views.run_progress, name="progress"),
    path("<int:pk>/betalingen/", views.run_instructions, name="instructions"),
    path("<int:pk>/wijzigingen/", views.run_changes, name="changes"),
    path("<int:pk>/tekort/<int:case_pk>/", views.run_decide, name="decide"),
    path("<int:pk>/tegengehouden/", views.run_recheck, name="recheck"),
    path("<int:pk>/goedkeuren/", views.run_approve, name="approve"),
    path("<int:pk>/exporteren/", views.run_export, name="export"),
    path("<int:pk>/boeken/", views.run_book, name="book"),
    path("<int:pk>/annuleren/", views.run_cancel, name="cancel"),
    path("<int:pk>/hervatten/", views.run_resume, name="resume"),
    path("<int:pk>/bestand/<int:file_pk>/", views.file_download, name="download"),
    path("rekening/<int:pk>/", views.debtor_account, name="debtor_account"),
]
