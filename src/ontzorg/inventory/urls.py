"""URLs of the intake inventory, under /inventarisatie/."""

from django.urls import path

from . import views

app_name = "inventory"
urlpatterns = [
    path("deelnemer/<int:pk>/", views.participant_inventory, name="participant"),
    path("deelnemer/<int:pk>/schuld/", views.debt_add, name="debt_add"),
    path("deelnemer/<int:pk>/vermogen/", views.asset_add, name="asset_add"),
    path("deelnemer/<int:pk>/duaal-traject/", views.integration_add, name="integration_add"),
    path("deelnemer/<int:pk>/bijwerken/", views.update, name="update"),
]
