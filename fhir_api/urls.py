from django.urls import path

from fhir_api import export_views, views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("$export", export_views.kick_off, name="export"),
    path("$export-status/<uuid:export_id>", export_views.status, name="export-status"),
    path(
        "$export-file/<uuid:export_id>/<str:resource_type>.ndjson",
        export_views.download,
        name="export-file",
    ),
    path("<str:resource_type>", views.search_type, name="search"),
    path("<str:resource_type>/_search", views.search_post, name="search-post"),
    path("<str:resource_type>/_history", views.history_type, name="history-type"),
    path("<str:resource_type>/<str:resource_id>", views.read_instance, name="read"),
    path(
        "<str:resource_type>/<str:resource_id>/_history",
        views.history_instance,
        name="history-instance",
    ),
    path(
        "<str:resource_type>/<str:resource_id>/_history/<str:version_id>",
        views.vread,
        name="vread",
    ),
    path("", views.unknown),
    path("<path:rest>", views.unknown),
]
