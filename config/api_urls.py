"""/api/v1/: each app contributes its endpoints here."""

from django.urls import include, path

urlpatterns = [
    path("", include("directory.api_urls")),
    path("me/", include("accounts.api_urls")),
    path("", include("evidence.api_urls")),
]
