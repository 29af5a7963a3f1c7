"""The monthly overview pages for staff, under /deelnemers/<id>/maand/ ("letters" namespace)."""

from datetime import date

from django.urls import path, register_converter

from . import batch_views, document_views, views


class MonthConverter:
    """``2026-03`` in a URL as the first day of that month."""

    regex = r"[0-9]{4}-(0[1-9]|1[0-2])"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(f"{value}-01")

    def to_url(self, value: date) -> str:
        return f"{value:%Y-%m}"


register_converter(MonthConverter, "month")

app_name = "letters"
urlpatterns = [
    path("<int:pk>/maand/", views.month_list, name="months"),
    path("<int:pk>/maand/<month:month>/", views.month_overview, name="overview"),
    # Letters to print and as PDF (document_views, batch_views: P2 of issue 11).
    path(
        "<int:pk>/maand/<month:month>/afdrukken/",
        document_views.overview_print,
        name="overview_print",
    ),
    path("<int:pk>/maand/<month:month>.pdf", document_views.overview_pdf, name="overview_pdf"),
    path("<int:pk>/brief/vaste-lasten.pdf", document_views.fixed_costs_pdf, name="fixed_costs_pdf"),
    path("<int:pk>/brief/start/", document_views.start_print, name="start_print"),
    path("<int:pk>/brief/start.pdf", document_views.start_pdf, name="start_pdf"),
    path("besluit/<int:decision>/", document_views.decision_print, name="decision_print"),
    path("besluit/<int:decision>.pdf", document_views.decision_pdf, name="decision_pdf"),
    path("pdf-regio/", batch_views.batch_list, name="batches"),
    path("pdf-regio/<int:batch>/", batch_views.batch_detail, name="batch"),
    path("pdf-regio/<int:batch>/voortgang/", batch_views.batch_progress, name="batch_progress"),
    path("pdf-regio/<int:batch>/zip/", batch_views.batch_download, name="batch_download"),
]
