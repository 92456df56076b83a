from django.urls import path

from credentialing import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("monitoring/", views.monitoring_page, name="monitoring"),
    path("claims/<uuid:public_id>/", views.claim_review, name="claim"),
    path(
        "licenses/<uuid:public_id>/",
        views.credential_review,
        {"kind": "licenses"},
        name="license",
    ),
    path(
        "certifications/<uuid:public_id>/",
        views.credential_review,
        {"kind": "certifications"},
        name="certification",
    ),
]
