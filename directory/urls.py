from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("practitioners/<slug:slug>/", views.practitioner_detail, name="practitioner-detail"),
]
