from django.urls import path

from evidence import api

urlpatterns = [
    path("studies/", api.StudyList.as_view(), name="api-study-list"),
    path("studies/<slug:slug>/", api.StudyDetail.as_view(), name="api-study-detail"),
    path("claims/", api.ClaimList.as_view(), name="api-claim-list"),
]
