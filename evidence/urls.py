from django.urls import path

from evidence import views

app_name = "evidence"

urlpatterns = [
    path("evidence/", views.library, name="library"),
    path("evidence/studies/<slug:slug>/", views.study_detail, name="study-detail"),
    path("evidence/claims/", views.claim_list, name="claims"),
]
