from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# Unknown addresses under /api/ answer 404 in the API's JSON error shape.
handler404 = "common.api.not_found"
# allauth's rate limits answer with our 429 page and a Retry-After header.
handler429 = "common.ratelimit.allauth_429"
# While the database is unreachable: a 503 page (or the API's JSON error) with Retry-After.
handler500 = "ops.errors.server_error"

# The admin signs in through allauth, so staff pass two-factor authentication there.
admin.site.login = secure_admin_login(admin.site.login)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return redirect(static("favicon.svg"), permanent=True)


# Pages, in every language: English at /search/, Spanish at /es/search/ (docs/languages.md).
pages = i18n_patterns(
    path("", include("directory.urls")),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", include("accounts.urls")),
    path("review/", include("credentialing.urls")),
    path("", include("evidence.urls")),
    prefix_default_language=False,
)

# Machine-readable answers keep one address: their field names and codes are not translated.
urlpatterns = [
    *pages,
    path("favicon.ico", favicon),
    path("api/v1/", include("config.api_urls")),
    path("fhir/", include("fhir_api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file (?script), not inline.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]
