from django.urls import path

from credentialing import views
from credentialing.models import CREDENTIAL_KINDS

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("monitoring/", views.monitoring_page, name="monitoring"),
    path("claims/<uuid:public_id>/", views.claim_review, name="claim"),
    *(
        path(
            f"{kind}/<uuid:public_id>/",
            views.credential_review,
            {"kind": kind},
            name=model.kind,
        )
        for kind, model in CREDENTIAL_KINDS.items()
    ),
]
