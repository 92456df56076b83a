from django.urls import path

from directory import conditions, verification, views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("practitioners/<slug:slug>/", views.practitioner_detail, name="practitioner-detail"),
    path(
        "practitioners/<slug:slug>/verification/",
        verification.history,
        name="verification-history",
    ),
    path("photos/<str:name>", views.photo, name="photo"),
    path("conditions/<slug:slug>/", conditions.condition_detail, name="condition-detail"),
]
