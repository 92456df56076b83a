from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from directory import verification
from directory import views as directory_views

# While the database is unreachable: a 503 page (or the API's JSON error) with Retry-After.
handler500 = "ops.errors.server_error"

# The admin signs in through allauth, so staff pass two-factor authentication there.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", directory_views.home, name="home"),
    path("", include("directory.urls")),
    path(
        "practitioners/<slug:slug>/verification/",
        verification.history,
        name="verification-history",
    ),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", include("accounts.urls")),
    path("review/", include("directory.review.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
