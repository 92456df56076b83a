from django.urls import path

from directory import api

urlpatterns = [
    path(
        "practitioners/<slug:slug>/",
        api.PractitionerDetail.as_view(),
        name="api-practitioner-detail",
    ),
]
