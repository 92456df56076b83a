from django.contrib import admin
from django.urls import include, path

from directory import views as directory_views

urlpatterns = [
    path("", directory_views.home, name="home"),
    path("", include("directory.urls")),
    path("admin/", admin.site.urls),
]
