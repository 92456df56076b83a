from django.urls import path

from directory import api, conditions

urlpatterns = [
    path("practitioners/", api.PractitionerSearch.as_view(), name="api-practitioner-search"),
    path(
        "practitioners/<slug:slug>/",
        api.PractitionerDetail.as_view(),
        name="api-practitioner-detail",
    ),
    path("places/", api.PlaceSuggestions.as_view(), name="api-places"),
    path("conditions/", conditions.ConditionList.as_view(), name="api-condition-list"),
]
