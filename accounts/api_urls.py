from django.urls import path

from accounts import api

urlpatterns = [
    path("profile/", api.MyProfile.as_view(), name="api-me-profile"),
    path("locations/", api.MyLocations.as_view(), name="api-me-locations"),
    path("locations/<int:pk>/", api.MyLocation.as_view(), name="api-me-location"),
    path("licenses/", api.MyLicenses.as_view(), name="api-me-licenses"),
    path("licenses/<uuid:public_id>/", api.MyLicense.as_view(), name="api-me-license"),
    path("certifications/", api.MyCertifications.as_view(), name="api-me-certifications"),
    path(
        "certifications/<uuid:public_id>/",
        api.MyCertification.as_view(),
        name="api-me-certification",
    ),
]
