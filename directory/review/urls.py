from django.urls import path

from directory.review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("claims/<uuid:public_id>/", views.claim_review, name="claim"),
]
for kind in ("licenses", "certifications"):
    urlpatterns.append(
        path(
            f"{kind}/<uuid:public_id>/",
            views.credential_review,
            {"kind": kind},
            name=kind.removesuffix("s"),
        )
    )
