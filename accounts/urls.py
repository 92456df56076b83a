from django.urls import path

from accounts import views

app_name = "accounts"


urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.practitioner_new, name="practitioner-new"),
    path("claim/", views.claim_new, name="claim-new"),
    path("claims/<uuid:public_id>/", views.claim_detail, name="claim"),
    path("api-token/", views.api_token, name="api-token"),
    path("profile/<slug:slug>/", views.practitioner_overview, name="practitioner"),
    path("profile/<slug:slug>/edit/", views.practitioner_edit, name="practitioner-edit"),
    path("profile/<slug:slug>/confirm/", views.practitioner_confirm, name="practitioner-confirm"),
    path("profile/<slug:slug>/photo/", views.practitioner_photo, name="practitioner-photo"),
    path(
        "profile/<slug:slug>/photo/remove/",
        views.practitioner_photo_remove,
        name="practitioner-photo-remove",
    ),
    path("profile/<slug:slug>/clinics/new/", views.location_new, name="location-new"),
    path("profile/<slug:slug>/clinics/<int:pk>/", views.location_edit, name="location-edit"),
    path(
        "profile/<slug:slug>/clinics/<int:pk>/remove/",
        views.location_delete,
        name="location-delete",
    ),
    path(
        "profile/<slug:slug>/licenses/new/",
        views.credential_edit,
        {"kind": "licenses"},
        name="license-new",
    ),
    path(
        "profile/<slug:slug>/licenses/<uuid:public_id>/",
        views.credential_edit,
        {"kind": "licenses"},
        name="license-edit",
    ),
    path(
        "profile/<slug:slug>/licenses/<uuid:public_id>/document/",
        views.credential_document,
        {"kind": "licenses"},
        name="license-document",
    ),
    path(
        "profile/<slug:slug>/certifications/new/",
        views.credential_edit,
        {"kind": "certifications"},
        name="certification-new",
    ),
    path(
        "profile/<slug:slug>/certifications/<uuid:public_id>/",
        views.credential_edit,
        {"kind": "certifications"},
        name="certification-edit",
    ),
    path(
        "profile/<slug:slug>/certifications/<uuid:public_id>/document/",
        views.credential_document,
        {"kind": "certifications"},
        name="certification-document",
    ),
]
